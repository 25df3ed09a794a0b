import { css } from 'lit';

/** Shared by every element: predictable box sizing and a `hidden` that always hides. */
export const hostStyles = css`
  :host {
    box-sizing: border-box;
  }
  :host *,
  :host *::before,
  :host *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
`;
