import { css } from 'lit';

export const videoCallStyles = css`
  :host {
    display: block;
    --video-call-background: #202124;
    --video-call-color: #e8eaed;
    --video-call-tile-background: #3c4043;
    --video-call-gap: 8px;
    --video-call-radius: 12px;
    --video-call-tile-aspect-ratio: 16 / 9;
    --video-call-tile-min-width: 220px;
    --video-call-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --video-call-accent-color: #1a73e8;
    --video-call-error-color: #f28b82;
    min-height: 240px;
  }
  .call {
    display: flex;
    flex-direction: column;
    gap: var(--video-call-gap);
    height: 100%;
    min-height: inherit;
    padding: var(--video-call-gap);
    border-radius: var(--video-call-radius);
    background: var(--video-call-background);
    color: var(--video-call-color);
    font-family: var(--video-call-font);
    line-height: 1.4;
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
    border: 1px solid #5f6368;
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
    background: var(--video-call-accent-color);
    color: #fff;
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  .primary-button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  .lobby__input:focus-visible,
  .primary-button:focus-visible {
    outline: 2px solid #8ab4f8;
    outline-offset: 2px;
  }
  .status--error {
    max-width: 40em;
    color: var(--video-call-error-color);
  }
  .spinner {
    width: 28px;
    height: 28px;
    border: 3px solid rgba(255, 255, 255, 0.25);
    border-top-color: var(--video-call-accent-color);
    border-radius: 50%;
    animation: spin 0.9s linear infinite;
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
    display: grid;
    flex: 1;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, var(--video-call-tile-min-width)), 1fr));
    align-content: center;
    gap: var(--video-call-gap);
  }
  .tile {
    position: relative;
    margin: 0;
    overflow: hidden;
    aspect-ratio: var(--video-call-tile-aspect-ratio);
    border-radius: calc(var(--video-call-radius) - 4px);
    background: var(--video-call-tile-background);
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
  .tile__name {
    position: absolute;
    inset-inline-start: 8px;
    bottom: 8px;
    max-width: calc(100% - 16px);
    padding: 2px 8px;
    overflow: hidden;
    border-radius: 6px;
    background: rgba(0, 0, 0, 0.55);
    font-size: 0.85em;
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
  .notice {
    margin: 0;
    font-size: 0.9em;
    text-align: center;
    opacity: 0.85;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: var(--video-call-gap);
  }
`;
