import { unsafeCSS } from 'lit';

// The colour tokens of each theme, as plain strings: the build's template minifier leaves alone any
// file that calls unsafeCSS(), so they live apart from the element's style sheet.
export const light = unsafeCSS(`
  --_background: #fff;
  --_color: #202124;
  --_border: rgba(0, 0, 0, 0.12);
  --_hover: rgba(0, 0, 0, 0.06);
  --_focus-ring: 2px solid #1a73e8;
  color-scheme: light;
`);

export const dark = unsafeCSS(`
  --_background: #2d2e31;
  --_color: #e8eaed;
  --_border: rgba(255, 255, 255, 0.16);
  --_hover: rgba(255, 255, 255, 0.08);
  --_focus-ring: 2px solid #8ab4f8;
  color-scheme: dark;
`);
