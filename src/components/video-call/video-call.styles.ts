import { css } from 'lit';
import { textReset } from '../../styles/text-reset.styles.js';
import { dark, light } from './video-call.tokens.js';


export const videoCallStyles = css`
  :host {
    display: block;
    /* The compact layout follows the element's own width, wherever the page puts it. */
    container-type: inline-size;
    /* Size containment gives the element no width of its own: keep it from collapsing in flex rows. */
    min-inline-size: min(100%, 16rem);
    min-height: 240px;
  }
  .call {
    ${light}
    ${textReset}
    position: relative;
    display: flex;
    flex-direction: column;
    gap: var(--video-call-gap, 8px);
    height: 100%;
    min-height: inherit;
    padding: var(--video-call-gap, 8px);
    border-radius: var(--video-call-radius, 12px);
    background: var(--video-call-background, var(--_background));
    color: var(--video-call-color, var(--_color));
    font-family: var(--video-call-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
  }
  @media (prefers-color-scheme: dark) {
    .call:not(.call--light) {
      ${dark}
    }
  }
  .call--dark {
    ${dark}
  }
  .panel {
    display: flex;
    flex: 1;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 0.75em;
    padding: 1em;
    text-align: center;
  }
  .panel__title {
    margin: 0;
    font-size: 1.1em;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .preview {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 0.5em;
    width: min(100%, 28em);
  }
  .preview--off {
    width: auto;
  }
  .preview__frame {
    position: relative;
    display: grid;
    place-items: center;
    width: 100%;
    aspect-ratio: var(--video-call-tile-aspect-ratio, 16 / 9);
    overflow: hidden;
    border-radius: calc(var(--video-call-radius, 12px) - 4px);
    background: var(--video-call-tile-background, var(--_tile-background));
  }
  .preview__video {
    width: 100%;
    height: 100%;
    object-fit: cover;
    /* A mirror, as people expect to see themselves. */
    transform: scaleX(-1);
  }
  .preview__placeholder {
    padding: 0 1em;
    font-size: 0.9em;
  }
  .preview__controls {
    display: flex;
    flex-direction: column;
    gap: 0.5em;
    width: 100%;
    /* The toggles and one row of device pickers: the height they take once the camera is live. */
    min-height: 7.5em;
  }
  .preview__bar {
    display: flex;
    align-items: center;
    gap: 0.5em;
    width: 100%;
  }
  .preview__toggle--off {
    background: var(--video-call-error-color, var(--_error-color));
  }
  .meter {
    flex: 1;
    height: 6px;
    overflow: hidden;
    border-radius: 3px;
    background: var(--_spinner-track);
  }
  .meter__bar {
    display: block;
    height: 100%;
    background: var(--video-call-accent-color, #1a73e8);
    transform-origin: left;
    transition: transform 80ms linear;
  }
  .preview__pickers {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 0.5em;
    width: 100%;
  }
  .preview__pickers .lobby__input {
    min-width: 0;
    max-width: 100%;
  }
  .preview__pickers .lobby__field {
    flex: 1 1 8em;
    min-width: 0;
  }
  .lobby__form {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    justify-content: center;
    gap: 0.5em;
  }
  .lobby__field {
    display: flex;
    flex-direction: column;
    gap: 0.25em;
    text-align: start;
    font-size: 0.9em;
  }
  .lobby__input {
    min-width: 12em;
    height: 44px;
    padding: 0 0.75em;
    border: 1px solid var(--_input-border);
    border-radius: 8px;
    background: transparent;
    color: inherit;
    font: inherit;
  }
  .primary-button {
    height: 44px;
    padding: 0 1.25em;
    border: 0;
    border-radius: 999px;
    background: var(--video-call-accent-color, #1a73e8);
    color: var(--video-call-accent-contrast-color, #fff);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  .primary-button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  .secondary-button {
    height: 44px;
    padding: 0 1.25em;
    border: 1px solid var(--_input-border);
    border-radius: 999px;
    background: transparent;
    color: inherit;
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  .small-button {
    min-height: 36px;
    padding: 0 0.9em;
    border: 1px solid var(--_input-border);
    border-radius: 999px;
    background: transparent;
    color: inherit;
    font: inherit;
    font-size: 0.9em;
    font-weight: 600;
    cursor: pointer;
  }
  .small-button--primary {
    border-color: transparent;
    background: var(--video-call-accent-color, #1a73e8);
    color: var(--video-call-accent-contrast-color, #fff);
  }
  .small-button--danger {
    border-color: transparent;
    background: #c5221f;
    color: #fff;
  }
  .icon-button {
    display: inline-grid;
    place-items: center;
    width: 36px;
    height: 36px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: rgba(0, 0, 0, 0.6);
    color: #fff;
    cursor: pointer;
  }
  .icon-button svg {
    width: 20px;
    height: 20px;
    fill: currentColor;
  }
  .icon-button:hover {
    background: rgba(0, 0, 0, 0.8);
  }
  .lobby__input:focus-visible,
  .secondary-button:focus-visible,
  .small-button:focus-visible,
  .icon-button:focus-visible,
  .primary-button:focus-visible {
    outline: var(--video-call-focus-ring, var(--_focus-ring));
    outline-offset: 2px;
  }
  .status--error {
    max-width: 40em;
    color: var(--video-call-error-color, var(--_error-color));
  }
  .spinner {
    width: 28px;
    height: 28px;
    border: 3px solid var(--_spinner-track);
    border-top-color: var(--video-call-accent-color, #1a73e8);
    border-radius: 50%;
    animation: spin 0.9s linear infinite;
  }
  /* Holds the spinner's place without turning it (see SPINNER_DELAY_MS). */
  .spinner--held {
    visibility: hidden;
    animation: none;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 3s;
    }
  }
  .stage {
    position: relative;
    display: grid;
    flex: 1;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, var(--video-call-tile-min-width, 220px)), 1fr));
    align-content: center;
    gap: var(--video-call-gap, 8px);
  }
  .tile {
    position: relative;
    margin: 0;
    overflow: hidden;
    aspect-ratio: var(--video-call-tile-aspect-ratio, 16 / 9);
    border-radius: max(0px, calc(var(--video-call-radius, 12px) - 4px));
    background: var(--video-call-tile-background, var(--_tile-background));
  }
  .tile__video {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  .tile--local .tile__video {
    transform: scaleX(-1);
  }
  /* Labels over video. */
  .tile__name,
  .stage__hint {
    position: absolute;
    border-radius: 6px;
    background: rgba(0, 0, 0, 0.55);
    color: #fff;
    font-size: 0.85em;
  }
  .tile__name {
    inset-inline-start: 8px;
    bottom: 8px;
    max-width: calc(100% - 16px);
    padding: 2px 8px;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .tile__status {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    font-size: 0.9em;
  }
  /*
   * Over the stage rather than beside it: when the first person arrives it goes without moving
   * anything, where a line taken from the layout resized the grid and redrew the whole view while
   * their call was being set up.
   */
  .stage__hint {
    top: 8px;
    inset-inline: 8px;
    width: fit-content;
    margin: 0 auto;
    padding: 4px 12px;
    text-align: center;
  }
  .notice {
    margin: 0;
    font-size: 0.9em;
    text-align: center;
    opacity: 0.85;
  }
  .notice--error {
    color: var(--video-call-error-color, var(--_error-color));
    opacity: 1;
  }
  .knocks {
    padding: 0.5em 0.75em;
    border-radius: max(0px, calc(var(--video-call-radius, 12px) - 4px));
    background: var(--video-call-tile-background, var(--_tile-background));
  }
  .knocks__title {
    margin: 0 0 0.25em;
    font-size: 0.9em;
    font-weight: 600;
  }
  .knocks__list {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .knock {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    padding: 0.25em 0;
  }
  .knock__name {
    flex: 1;
    min-width: 6em;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .tile__actions {
    position: absolute;
    top: 8px;
    inset-inline-end: 8px;
    display: flex;
    gap: 6px;
  }
  .tile__confirm {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 0.5em;
    padding: 0.75em;
    background: rgba(0, 0, 0, 0.8);
    color: #fff;
    text-align: center;
  }
  .tile__question {
    margin: 0;
    font-size: 0.9em;
    overflow-wrap: anywhere;
  }
  .tile__answers {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 0.5em;
  }
  .tile__confirm .cancel {
    border-color: rgba(255, 255, 255, 0.7);
    color: #fff;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: var(--video-call-gap, 8px);
  }
  .announcer {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  /* Compact layout for narrow containers (a sidebar, a phone, the floating panel). */
  @container (max-width: 399.98px) {
    .call {
      gap: calc(var(--video-call-gap, 8px) / 2);
      padding: calc(var(--video-call-gap, 8px) / 2);
      font-size: 0.9375em;
    }
    .panel {
      padding: 0.5em;
    }
    .lobby__form {
      flex-direction: column;
      align-items: stretch;
      width: 100%;
    }
    .lobby__input {
      width: 100%;
      min-width: 0;
    }
    .tile__actions {
      top: 4px;
      inset-inline-end: 4px;
    }
    .tile__name {
      inset-inline-start: 4px;
      bottom: 4px;
      max-width: calc(100% - 8px);
    }
  }
`;
