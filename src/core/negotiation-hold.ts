/** The longest a render waits for signaling: a stuck negotiation must not freeze the view. */
const MAX_HOLD_MS = 250;

const pendingSince = new WeakMap<RTCPeerConnection, number>();

/** Our half of the offer/answer exchange is not out yet: no offer of ours, or an offer not yet answered by us. */
export function mustSendDescription(pc: RTCPeerConnection): boolean {
  return pc.signalingState === 'have-remote-offer' || (pc.signalingState === 'stable' && !pc.localDescription);
}

/**
 * When one of `connections` still has to send its offer or answer, a promise that resolves once
 * none has (or after MAX_HOLD_MS); otherwise null. PeerJS sends each description in the
 * continuation of setLocalDescription(): a render started before that continuation runs (the
 * joined view, a new tile) delays the send, and with it the call, by the render's whole length.
 * The promise resolves a task after the last state change, so that continuation goes first.
 */
export function negotiationHold(connections: Iterable<RTCPeerConnection>): Promise<void> | null {
  const now = performance.now();
  const pending = [...connections].filter((pc) => {
    if (!mustSendDescription(pc)) return false;
    // A connection holds renders for MAX_HOLD_MS in all, however many renders come meanwhile.
    if (!pendingSince.has(pc)) pendingSince.set(pc, now);
    return now - pendingSince.get(pc)! < MAX_HOLD_MS;
  });
  if (!pending.length) return null;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(cap);
      for (const pc of pending) pc.removeEventListener('signalingstatechange', check);
      setTimeout(resolve);
    };
    const check = () => {
      if (!pending.some(mustSendDescription)) done();
    };
    const cap = setTimeout(done, MAX_HOLD_MS);
    for (const pc of pending) pc.addEventListener('signalingstatechange', check);
  });
}
