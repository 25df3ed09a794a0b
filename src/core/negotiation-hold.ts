/** The longest a render waits for signaling: a stuck negotiation must not freeze the view. */
const MAX_HOLD_MS = 250;
/**
 * How long after our description a render still waits for ICE candidates. Host candidates come
 * within milliseconds; server-reflexive and relay ones take a round trip to STUN or TURN, which
 * trickle ICE sends later anyway and which no render should wait for.
 */
const GATHER_HOLD_MS = 40;

const pendingSince = new WeakMap<RTCPeerConnection, number>();
const gatheringSince = new WeakMap<RTCPeerConnection, number>();

/** Our half of the offer/answer exchange is not out yet: no offer of ours, or an offer not yet answered by us. */
export function mustSendDescription(pc: RTCPeerConnection): boolean {
  return pc.signalingState === 'have-remote-offer' || (pc.signalingState === 'stable' && !pc.localDescription);
}

/** Our description or our first ICE candidates still have to go out. */
function signalingPending(pc: RTCPeerConnection, now: number): boolean {
  if (mustSendDescription(pc)) return true;
  // Right after setLocalDescription() gathering may not have started yet: it starts in a task of its own.
  if (!pc.localDescription || pc.iceGatheringState === 'complete') return false;
  if (!gatheringSince.has(pc)) gatheringSince.set(pc, now);
  return now - gatheringSince.get(pc)! < GATHER_HOLD_MS;
}

/**
 * When one of `connections` still has to send its offer or answer, or the first ICE candidates
 * that follow it, a promise that resolves once none has (or after MAX_HOLD_MS); otherwise null.
 * PeerJS sends each description in the continuation of setLocalDescription() and each candidate
 * in its `icecandidate` event: a render that starts before them (the joined view, a new tile)
 * delays them, and with them the call, by the render's whole length. The promise resolves a task
 * after the last change, so those sends go first.
 */
export function negotiationHold(connections: Iterable<RTCPeerConnection>): Promise<void> | null {
  const now = performance.now();
  const pending = [...connections].filter((pc) => {
    if (!signalingPending(pc, now)) return false;
    // A connection holds renders for MAX_HOLD_MS in all, however many renders come meanwhile.
    if (!pendingSince.has(pc)) pendingSince.set(pc, now);
    return now - pendingSince.get(pc)! < MAX_HOLD_MS;
  });
  if (!pending.length) return null;
  return new Promise((resolve) => {
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const done = () => {
      for (const timer of timers) clearTimeout(timer);
      for (const pc of pending) {
        pc.removeEventListener('signalingstatechange', check);
        pc.removeEventListener('icegatheringstatechange', check);
      }
      setTimeout(resolve);
    };
    function check() {
      const at = performance.now();
      if (!pending.some((pc) => signalingPending(pc, at))) return done();
      // Gathering started with this change: look again once its share of the hold is over.
      timers.add(setTimeout(check, GATHER_HOLD_MS));
    }
    timers.add(setTimeout(done, MAX_HOLD_MS));
    for (const pc of pending) {
      pc.addEventListener('signalingstatechange', check);
      pc.addEventListener('icegatheringstatechange', check);
    }
  });
}
