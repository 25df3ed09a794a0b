/**
 * The directory the widget script was loaded from: in the one-file build that is the peercall
 * server itself, so a page that loads `video-call.js` from its server needs no configuration.
 */
// Read into a variable first: bundlers rewrite the literal `new URL('./', import.meta.url)` as an asset.
const scriptUrl = import.meta.url;
export const SCRIPT_SERVER = new URL('./', scriptUrl).href;
