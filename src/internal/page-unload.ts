/** How long after `beforeunload` a page that is still here counts as staying (its visitor cancelled the leave). */
const UNLOAD_GRACE_MS = 2_000;

let unloading = false;
let graceTimer: ReturnType<typeof setTimeout> | undefined;

const leaving = () => {
  unloading = true;
  clearTimeout(graceTimer);
  graceTimer = setTimeout(staying, UNLOAD_GRACE_MS);
};
const staying = () => {
  clearTimeout(graceTimer);
  unloading = false;
};

// Registered when the module loads, so before any element's or PeerJS's own listeners: they end
// the call on these events, and what runs after that must already see the page going.
window.addEventListener('beforeunload', leaving);
window.addEventListener('pagehide', leaving);
window.addEventListener('pageshow', staying);

/**
 * The page is being left (or stored in the back/forward cache). A call that ends because of it
 * brings the element's lobby back for a moment, which must not start the camera again or ask the
 * server for a standby the closing page would never use.
 */
export function isPageUnloading(): boolean {
  return unloading;
}
