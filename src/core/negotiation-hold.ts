/** The longest a render waits for signaling: a stuck negotiation must not freeze the view. */
const MAX_HOLD_MS = 250;
/** After our description, how long a render waits for a first ICE candidate. */
const FIRST_CANDIDATE_WAIT_MS = 50;
/**
 * After a candidate, how long a render waits for more of the same burst: host candidates (one per
 * interface and protocol) come a few milliseconds apart; server-reflexive and relay ones take a
 * round trip to STUN or TURN, which trickle ICE sends later anyway and which no render waits for.
 */
const CANDIDATE_QUIET_MS = 5;

const pendingSince = new WeakMap<RTCPeerConnection, number>();
const gatheringSince = new WeakMap<RTCPeerConnection, number>();
const lastCandidateAt = new WeakMap<RTCPeerConnection, number>();
const followed = new WeakSet<RTCPeerConnection>();
/** Connections followed since before they gathered: only for them does a missing candidate mean one is still to come. */
const followedFromStart = new WeakSet<RTCPeerConnection>();

/** Our half of the offer/answer exchange is not out yet: no offer of ours, or an offer not yet answered by us. */
function mustSendDescription(pc: RTCPeerConnection): boolean {
  return pc.signalingState === 'have-remote-offer' || (pc.signalingState === 'stable' && !pc.localDescription);
}

/** Notes when each candidate of `pc` was handed out (PeerJS sends it in the same event). */
function followCandidates(pc: RTCPeerConnection): void {
  if (followed.has(pc)) return;
  followed.add(pc);
  if (pc.iceGatheringState === 'new') followedFromStart.add(pc);
  pc.addEventListener('icecandidate', ({ candidate }) => {
    if (candidate) lastCandidateAt.set(pc, performance.now());
  });
}

/**
 * Our description, or the ICE candidates that follow it, still have to go out; or our offer is
 * out and its answer is on its way, and must find the main thread free when it arrives.
 */
function signalingPending(pc: RTCPeerConnection, now: number): boolean {
  if (mustSendDescription(pc) || pc.signalingState === 'have-local-offer') return true;
  // Right after setLocalDescription() gathering may not have started yet: it starts in a task of its own.
  if (!pc.localDescription || pc.iceGatheringState === 'complete' || !followedFromStart.has(pc)) return false;
  const last = lastCandidateAt.get(pc);
  if (last !== undefined) return now - last < CANDIDATE_QUIET_MS;
  if (!gatheringSince.has(pc)) gatheringSince.set(pc, now);
  return now - gatheringSince.get(pc)! < FIRST_CANDIDATE_WAIT_MS;
}

/**
 * When one of `connections` is still in the middle of its offer/answer exchange (our offer or
 * answer not out yet, the ICE candidates that follow it not out yet, or our offer still waiting
 * for its answer), a promise that resolves once none is (or after MAX_HOLD_MS); otherwise null.
 * PeerJS sends each description in the continuation of setLocalDescription(), each candidate in
 * its `icecandidate` event, and applies an answer in its socket's message event: a render that
 * starts before them (the joined view, a new tile) delays them, and with them the call, by the
 * render's whole length. The promise resolves a task after the last change, so those go first.
 */
export function negotiationHold(connections: Iterable<RTCPeerConnection>): Promise<void> | null {
  const now = performance.now();
  const pending = [...connections].filter((pc) => {
    followCandidates(pc);
    if (!signalingPending(pc, now)) return false;
    // A connection holds renders for MAX_HOLD_MS in all, however many renders come meanwhile.
    if (!pendingSince.has(pc)) pendingSince.set(pc, now);
    return now - pendingSince.get(pc)! < MAX_HOLD_MS;
  });
  if (!pending.length) return null;
  return new Promise((resolve) => {
    let recheck: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      clearTimeout(cap);
      clearTimeout(recheck);
      for (const pc of pending) pc.removeEventListener('signalingstatechange', check);
      setTimeout(resolve);
    };
    function check() {
      if (!pending.some((pc) => signalingPending(pc, performance.now()))) return done();
      // Waiting on candidates is waiting on time: look again shortly.
      clearTimeout(recheck);
      if (pending.some((pc) => pc.signalingState === 'stable')) recheck = setTimeout(check, CANDIDATE_QUIET_MS);
    }
    const cap = setTimeout(done, MAX_HOLD_MS);
    for (const pc of pending) pc.addEventListener('signalingstatechange', check);
    check();
  });
}
