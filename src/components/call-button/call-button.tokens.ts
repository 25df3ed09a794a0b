import { unsafeCSS } from 'lit';

// The colour tokens of each theme, as plain strings: the build's template minifier leaves alone any
// file that calls unsafeCSS(), so they live apart from the element's style sheet.
export const light = unsafeCSS(`
  --_background: #e8eaed;
  --_color: #202124;
  --_focus-ring: 2px solid #1a73e8;
  --_presence-color: #1e8e3e;
`);

export const dark = unsafeCSS(`
  --_background: rgba(255, 255, 255, 0.14);
  --_color: #fff;
  --_focus-ring: 2px solid #8ab4f8;
  --_presence-color: #81c995;
`);
