/**
 * Records every RTCPeerConnection the page creates from now on, so a test can read real
 * getStats() figures from the call's own connections (or break one as a dead path would).
 * Idempotent: every test file in a page shares one list.
 */
export function recordPeerConnections(): RTCPeerConnection[] {
  const w = window as unknown as { __recordedPeerConnections?: RTCPeerConnection[] };
  if (w.__recordedPeerConnections) return w.__recordedPeerConnections;
  const recorded: RTCPeerConnection[] = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      recorded.push(this);
    }
  };
  w.__recordedPeerConnections = recorded;
  return recorded;
}
