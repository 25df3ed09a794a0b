import { unsafeCSS } from 'lit';

// The colour tokens of each theme, as plain strings: the build's template minifier leaves alone any
// file that calls unsafeCSS(), so they live apart from the element's style sheet.
export const light = unsafeCSS(`
  --_background: #f1f3f4;
  --_color: #202124;
  --_tile-background: #dadce0;
  --_error-color: #c5221f;
  --_focus-ring: 2px solid #1a73e8;
  --_input-border: #80868b;
  --_spinner-track: rgba(0, 0, 0, 0.15);
  color-scheme: light;
`);

export const dark = unsafeCSS(`
  --_background: #202124;
  --_color: #e8eaed;
  --_tile-background: #3c4043;
  --_error-color: #f28b82;
  --_focus-ring: 2px solid #8ab4f8;
  --_input-border: #9aa0a6;
  --_spinner-track: rgba(255, 255, 255, 0.25);
  color-scheme: dark;
`);
