import { css } from 'lit';

export const callButtonStyles = css`
  :host {
    display: inline-block;
    --call-button-background: rgba(255, 255, 255, 0.14);
    --call-button-color: #fff;
    --call-button-radius: 999px;
    --call-button-size: 44px;
    --call-button-off-background: #5f6368;
    --call-button-danger-background: #d93025;
    --call-button-focus-ring: 2px solid #8ab4f8;
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    min-width: var(--call-button-size);
    height: var(--call-button-size);
    padding: 0 0.9em;
    border: 0;
    border-radius: var(--call-button-radius);
    background: var(--call-button-background);
    color: var(--call-button-color);
    font: inherit;
    cursor: pointer;
  }
  .button:focus-visible {
    outline: var(--call-button-focus-ring);
    outline-offset: 2px;
  }
  .button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  .button--off {
    background: var(--call-button-off-background);
  }
  .button--danger {
    background: var(--call-button-danger-background);
  }
  .button--primary {
    background: var(--call-button-accent-background, #1a73e8);
  }
  .icon {
    display: inline-flex;
    width: 1.25em;
    height: 1.25em;
  }
  .icon svg {
    width: 100%;
    height: 100%;
    fill: currentColor;
  }
`;
