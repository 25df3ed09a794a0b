import { unsafeCSS } from 'lit';

/**
 * Declarations for each element's base: inherited text properties that host pages (CMS themes
 * especially) set on ancestors and that would otherwise reach into the shadow tree. Font family,
 * size and colour still inherit, so the elements sit naturally in the page's text.
 */
// A plain string rather than css``: the build's template minifier only understands whole style sheets.
export const textReset = unsafeCSS(`
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
`);
