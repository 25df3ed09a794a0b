import { css } from 'lit';
import { textReset } from '../../styles/text-reset.styles.js';
import { dark, light } from './call-button.tokens.js';


export const callButtonStyles = css`
  :host {
    display: inline-block;
  }
  .button {
    ${light}
    ${textReset}
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    min-width: var(--call-button-size, 44px);
    min-height: var(--call-button-size, 44px);
    padding: 0.25em 0.9em;
    border: 0;
    border-radius: var(--call-button-radius, 999px);
    background: var(--call-button-background, var(--_background));
    color: var(--call-button-color, var(--_color));
    font: inherit;
    font-weight: 500;
    cursor: pointer;
  }
  @media (prefers-color-scheme: dark) {
    .button:not(.button--light) {
      ${dark}
    }
  }
  .button--dark {
    ${dark}
  }
  .button:focus-visible {
    outline: var(--call-button-focus-ring, var(--_focus-ring));
    outline-offset: 2px;
  }
  .button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  .button--off,
  .button--danger,
  .button--primary,
  .button--locked {
    color: var(--call-button-contrast-color, #fff);
  }
  .button--off {
    background: var(--call-button-off-background, #5f6368);
  }
  .button--danger {
    background: var(--call-button-danger-background, #d93025);
  }
  .button--primary,
  .button--locked {
    background: var(--call-button-accent-background, #1a73e8);
  }
  .icon {
    display: inline-flex;
    flex: none;
    width: 1.25em;
    height: 1.25em;
  }
  .icon svg {
    width: 100%;
    height: 100%;
    fill: currentColor;
  }
  .presence {
    display: inline-flex;
    align-items: center;
    gap: 0.35em;
    font-size: 0.85em;
    font-weight: 400;
    white-space: nowrap;
  }
  .presence::before {
    content: '';
    width: 0.6em;
    height: 0.6em;
    border-radius: 50%;
    background: var(--call-button-presence-color, var(--_presence-color));
    box-shadow: 0 0 0 2px currentColor;
  }
  .badge {
    min-width: 1.5em;
    border-radius: 1em;
    background: var(--call-button-danger-background, #d93025);
    color: #fff;
    font-size: 0.75em;
  }
  .presence--empty::before {
    background: transparent;
  }
`;
