/**
 * Stands in for `webrtc-adapter` in the widget build (see vite.config.ts).
 *
 * PeerJS imports webrtc-adapter only to read `browserDetails` (which browser, which version) for
 * its support checks, but the import also pulls in every legacy shim and the `sdp` parser: a
 * quarter of the bundle, for browsers that predate what peercall supports anyway (current Chrome,
 * Edge, Firefox and Safari implement standard WebRTC without shims). This module gives PeerJS the
 * same answer, detected the way webrtc-adapter's `detectBrowser()` does, and nothing else.
 */
export interface BrowserDetails {
  browser: string;
  version: number | null;
}

function detect(): BrowserDetails {
  const navigator = globalThis.navigator as
    | (Navigator & { userAgentData?: { brands: { brand: string; version: string }[] } })
    | undefined;
  if (!navigator?.userAgent) return { browser: 'Not a browser.', version: null };
  const chromium = navigator.userAgentData?.brands.find((brand) => brand.brand === 'Chromium');
  if (chromium && parseInt(chromium.version, 10) >= 90) return { browser: 'chrome', version: parseInt(chromium.version, 10) };
  const ua = navigator.userAgent;
  const version = (pattern: RegExp) => Number(ua.match(pattern)?.[1]) || null;
  if ('mozGetUserMedia' in navigator) return { browser: 'firefox', version: version(/Firefox\/(\d+)\./) };
  if ('webkitGetUserMedia' in navigator || 'webkitRTCPeerConnection' in globalThis) {
    return { browser: 'chrome', version: version(/Chrom(?:e|ium)\/(\d+)\./) };
  }
  if ('RTCPeerConnection' in globalThis && /AppleWebKit\/\d+\./.test(ua)) {
    return { browser: 'safari', version: version(/AppleWebKit\/(\d+)\./) };
  }
  return { browser: 'Not a supported browser.', version: null };
}

const adapter = { browserDetails: detect() };
export default adapter;
