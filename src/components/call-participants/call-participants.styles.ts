import { css } from 'lit';

export const callParticipantsStyles = css`
  :host {
    display: block;
  }
  .panel {
    padding: 0.5em 0.75em;
    border-radius: max(0px, calc(var(--video-call-radius, 12px) - 4px));
    background: var(--video-call-tile-background, #dadce0);
  }
  .title {
    margin: 0 0 0.25em;
    font-size: 0.9em;
    font-weight: 600;
  }
  .list {
    max-height: 14em;
    margin: 0;
    padding: 0;
    overflow-y: auto;
    list-style: none;
  }
  .participant {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    padding: 0.25em 0;
  }
  .name {
    flex: 1;
    min-width: 6em;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .role {
    padding: 0 0.5em;
    border-radius: 999px;
    background: var(--video-call-accent-color, #1a73e8);
    color: var(--video-call-accent-contrast-color, #fff);
    font-size: 0.8em;
  }
  .status-icon {
    display: inline-flex;
  }
  .status-icon--hand {
    color: var(--video-call-hand-color, #f9ab00);
  }
  .status-icon--recording {
    color: var(--video-call-recording-color, #ea4335);
  }
  svg {
    width: 20px;
    height: 20px;
    fill: currentColor;
  }
  button {
    display: inline-flex;
    padding: 4px;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  button:hover {
    background: rgba(127, 127, 127, 0.25);
  }
  button:focus-visible {
    outline: var(--video-call-focus-ring, 2px solid #1a73e8);
    outline-offset: 2px;
  }
`;
