import { css } from 'lit';

/**
 * Declarations for each element's base: inherited text properties that host pages (CMS themes
 * especially) set on ancestors and that would otherwise reach into the shadow tree. Font family,
 * size and colour still inherit, so the elements sit naturally in the page's text.
 */
export const textReset = css`
  font-style: normal;
  font-weight: 400;
  letter-spacing: normal;
  word-spacing: normal;
  line-height: 1.4;
  text-align: start;
  text-indent: 0;
  text-transform: none;
  text-shadow: none;
  white-space: normal;
`;
