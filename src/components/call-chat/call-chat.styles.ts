import { css } from 'lit';

/**
 * Added to the `<video-call>`'s own styles by the panel (see CallChat): from 640 px the open
 * panel sits beside the tiles rather than over them. It lives here so that it loads with the panel.
 */
export const callChatCallStyles = css`
  @container (min-width: 640px) {
    .call:has(> call-chat[open]) {
      padding-inline-end: calc(var(--video-call-chat-width, 20rem) + 2 * var(--video-call-gap, 8px));
    }
  }
`;

/**
 * Laid over the whole `<video-call>` (its `.call` is the containing block): the panel at the
 * end side, the floating reactions at the bottom start. The host lets clicks through to the
 * call except where the panel is. Colours come from the call's own tokens, which inherit.
 */
export const callChatStyles = css`
  :host {
    position: absolute;
    inset: 0;
    z-index: 2;
    pointer-events: none;
    --_gap: var(--video-call-gap, 8px);
  }
  .panel {
    position: absolute;
    inset-block: var(--_gap);
    inset-inline-end: var(--_gap);
    display: flex;
    flex-direction: column;
    gap: 8px;
    width: min(var(--video-call-chat-width, 20rem), calc(100% - 2 * var(--_gap)));
    padding: 8px;
    border-radius: var(--video-call-radius, 12px);
    background: var(--video-call-chat-background, var(--video-call-background, var(--_background)));
    color: var(--video-call-color, var(--_color));
    box-shadow: 0 4px 18px rgba(0, 0, 0, 0.3);
    pointer-events: auto;
  }
  /* Under 640 px there is no room beside the tiles: the panel covers the call. */
  @container (max-width: 639.98px) {
    .panel {
      inset: 0;
      width: auto;
    }
  }
  .header {
    display: flex;
    align-items: center;
    justify-content: space-between;
  }
  .title {
    margin: 0;
    font-size: 1em;
    font-weight: 600;
  }
  button,
  textarea,
  .small-button {
    font: inherit;
    color: inherit;
  }
  .icon-button {
    display: inline-grid;
    place-items: center;
    flex: none;
    width: 40px;
    height: 40px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    cursor: pointer;
  }
  .icon-button svg {
    width: 20px;
    height: 20px;
    fill: currentColor;
  }
  .reactions {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
  }
  .reaction {
    min-width: 40px;
    min-height: 40px;
    border: 0;
    border-radius: 8px;
    background: var(--video-call-tile-background, var(--_tile-background));
    font-size: 1.2em;
    cursor: pointer;
  }
  .log {
    flex: 1;
    min-height: 0;
    margin: 0;
    padding: 0;
    overflow-y: auto;
    list-style: none;
  }
  .empty {
    opacity: 0.75;
    font-size: 0.9em;
  }
  .message,
  .file-entry {
    display: flex;
    flex-direction: column;
    gap: 2px;
    margin-block-end: 10px;
    overflow-wrap: anywhere;
  }
  .message__meta {
    font-size: 0.8em;
    opacity: 0.8;
  }
  .message__name,
  .file-entry__name {
    font-weight: 600;
    margin-inline-end: 0.5em;
  }
  .message__text {
    white-space: pre-wrap;
  }
  .message--local .message__name {
    color: var(--video-call-accent-color, #1a73e8);
  }
  progress {
    width: 100%;
  }
  .small-button {
    align-self: flex-start;
    padding: 6px 12px;
    border: 1px solid var(--_input-border);
    border-radius: 999px;
    background: transparent;
    font-size: 0.85em;
    font-weight: 600;
    text-decoration: none;
    cursor: pointer;
  }
  .error:empty {
    display: none;
  }
  .error {
    margin: 0;
    font-size: 0.9em;
    color: var(--video-call-error-color, var(--_error-color));
  }
  .composer {
    display: flex;
    align-items: flex-end;
    gap: 4px;
  }
  .input {
    flex: 1;
    min-width: 0;
    padding: 8px;
    border: 1px solid var(--_input-border);
    border-radius: 8px;
    background: transparent;
    resize: none;
  }
  .file {
    position: relative;
  }
  /* Kept focusable (and so reachable by keyboard) but invisible: the label is what shows. */
  .file__input {
    position: absolute;
    inset: 0;
    opacity: 0;
    width: 100%;
    cursor: pointer;
  }
  .file:focus-within,
  button:focus-visible,
  .small-button:focus-visible,
  .input:focus-visible,
  .log:focus-visible {
    outline: var(--video-call-focus-ring, var(--_focus-ring));
    outline-offset: 1px;
  }
  .send {
    min-height: 40px;
    padding: 0 14px;
    border: 0;
    border-radius: 999px;
    background: var(--video-call-accent-color, #1a73e8);
    color: var(--video-call-accent-contrast-color, #fff);
    font-weight: 600;
    cursor: pointer;
  }
  .floating {
    position: absolute;
    inset-inline-start: calc(2 * var(--_gap));
    bottom: 72px;
    display: flex;
    flex-direction: column-reverse;
    gap: 4px;
  }
  .floating__item {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 2px 10px 2px 4px;
    border-radius: 999px;
    background: rgba(0, 0, 0, 0.55);
    color: #fff;
    font-size: 0.85em;
    animation: rise 3s ease-out forwards;
  }
  .floating__emoji {
    font-size: 1.8em;
  }
  @keyframes rise {
    from {
      transform: translateY(16px);
      opacity: 0;
    }
    15%,
    75% {
      transform: none;
      opacity: 1;
    }
    to {
      transform: translateY(-24px);
      opacity: 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .floating__item {
      animation-name: none;
    }
  }
  .announcer {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
