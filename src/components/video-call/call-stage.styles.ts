import { css } from 'lit';

/** The call's layouts and what the stage adds to tiles and controls; adopted when the stage loads. */
export const callStageStyles = css`
  .stage {
    /*
     * Never sized by its tiles (the grid fits the tiles to it): it fills the element when the page
     * gives the element a height, and is the flex basis tall when the element's height is auto.
     */
    container-type: size;
    flex: 1 1 var(--video-call-stage-height, max(240px, min(60vh, 56.25cqw)));
    min-height: 0;
    overflow-y: auto;
    grid-template-columns: repeat(var(--_columns, 1), var(--_tile-width, 1fr));
    place-content: safe center;
  }
  .stage--spotlight {
    grid-template-columns: repeat(var(--_strip, 1), minmax(0, 1fr));
    grid-template-rows: minmax(0, 1fr) auto;
    align-content: stretch;
    overflow: hidden;
  }
  .stage--spotlight .tile {
    justify-self: center;
    width: min(100%, 22cqh * (var(--video-call-tile-aspect-ratio, 16 / 9)));
  }
  .stage--spotlight .tile[part~='featured'] {
    grid-column: 1 / -1;
    order: -1;
    width: 100%;
    height: 100%;
    aspect-ratio: auto;
  }
  /* A shared screen spans the grid's width; in the strip it is one tile like the others. */
  .stage--spotlight .tile[data-presenting]:not([part~='featured']) {
    grid-column: auto;
  }
  .tile[part~='featured'] .tile__video {
    object-fit: contain;
  }
  .tile[part~='speaking']::after {
    content: '';
    position: absolute;
    inset: 0;
    border: 3px solid var(--video-call-speaker-color, var(--video-call-accent-color, #1a73e8));
    border-radius: inherit;
    pointer-events: none;
  }
  .tile__badges {
    position: absolute;
    top: 8px;
    inset-inline-start: 8px;
    display: flex;
    align-items: center;
    gap: 6px;
  }
  .tile__badges .icon-button {
    width: 32px;
    height: 32px;
  }
  .tile__badges .icon-button[aria-pressed='true'] {
    background: var(--video-call-accent-color, #1a73e8);
  }
  .quality {
    display: inline-flex;
    align-items: end;
    gap: 2px;
    height: 14px;
    padding: 4px 6px;
    border-radius: 6px;
    background: rgba(0, 0, 0, 0.55);
    color: #81c995;
  }
  .quality span {
    width: 3px;
    height: 33%;
    border-radius: 1px;
    background: currentColor;
  }
  .quality span:nth-child(2) {
    height: 66%;
  }
  .quality span:nth-child(3) {
    height: 100%;
  }
  .quality--fair {
    color: #fdd663;
  }
  .quality--poor {
    color: #f28b82;
  }
  .quality--fair span:nth-child(3),
  .quality--poor span:nth-child(n + 2) {
    opacity: 0.3;
  }
  .view-control {
    display: inline-grid;
    place-items: center;
    width: var(--call-button-size, 44px);
    height: var(--call-button-size, 44px);
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: var(--_tile-background);
    color: inherit;
    cursor: pointer;
  }
  .view-control:disabled {
    cursor: default;
    opacity: 0.5;
  }
  .view-control[aria-pressed='true'] {
    background: var(--video-call-accent-color, #1a73e8);
    color: var(--video-call-accent-contrast-color, #fff);
  }
  .view-control svg {
    width: 22px;
    height: 22px;
    fill: currentColor;
  }
  .view-control:focus-visible {
    outline: var(--video-call-focus-ring, var(--_focus-ring));
    outline-offset: 2px;
  }
  .sound-prompt {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: 0.5em 1em;
    margin: 0;
    padding: 0.5em 0.75em;
    border-radius: max(0px, calc(var(--video-call-radius, 12px) - 4px));
    background: var(--video-call-tile-background, var(--_tile-background));
    text-align: center;
  }
  @container (max-width: 399.98px) {
    .tile__badges {
      top: 4px;
      inset-inline-start: 4px;
    }
  }
`;
