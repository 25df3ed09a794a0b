/**
 * In a mesh every browser encodes and uploads its camera once per remote peer, so uplink and CPU
 * grow with the room. The governor caps each video sender for the current room size and steps the
 * resolution down further while the encoder reports that the CPU cannot keep up.
 */

/** Encoding limits applied to every outgoing video sender. */
export interface SenderLimits {
  maxBitrate: number;
  maxFramerate: number;
  scaleResolutionDownBy: number;
}

/** How far the CPU fallback may scale down: 2^2 = a quarter of the capture width. */
const MAX_CPU_STEP = 2;
const SAMPLE_INTERVAL_MS = 2000;
/** Consecutive CPU-limited samples before stepping down, and unconstrained ones before stepping back up. */
const STEP_DOWN_AFTER = 2;
const STEP_UP_AFTER = 10;

/** Limits for `remotePeers` outgoing connections: about 2.5 Mbps of uplink in all, 1.2 Mbps at most per peer. */
export function limitsFor(remotePeers: number, cpuStep = 0): SenderLimits {
  const peers = Math.max(1, remotePeers);
  return {
    maxBitrate: Math.round(Math.min(1_200_000, 2_500_000 / peers)),
    maxFramerate: peers <= 2 ? 30 : peers === 3 ? 24 : 15,
    scaleResolutionDownBy: (peers >= 4 ? 1.5 : 1) * 2 ** cpuStep,
  };
}

/** Applies `limits` to the video senders of `pc` that have been negotiated (their encodings exist). */
export async function applyLimits(pc: RTCPeerConnection, limits: SenderLimits): Promise<void> {
  for (const sender of pc.getSenders()) {
    if (sender.track?.kind !== 'video') continue;
    const parameters = sender.getParameters();
    if (!parameters.encodings?.length) continue;
    // A shared screen (content hint `detail`) keeps its size, so that its text stays legible.
    const scale = sender.track.contentHint === 'detail' ? 1 : limits.scaleResolutionDownBy;
    parameters.encodings[0] = { ...parameters.encodings[0], ...limits, scaleResolutionDownBy: scale };
    // A sender that closed meanwhile rejects; the next update covers whatever is still open.
    await sender.setParameters(parameters).catch(() => {});
  }
}

export class MeshGovernor {
  private readonly connections: () => RTCPeerConnection[];
  private cpuStep = 0;
  private limitedSamples = 0;
  private freeSamples = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;

  /** @param connections The current peer connections, one per remote participant. */
  constructor(connections: () => RTCPeerConnection[]) {
    this.connections = connections;
  }

  /** The limits in force now. */
  get limits(): SenderLimits {
    return limitsFor(this.connections().length, this.cpuStep);
  }

  /** Re-applies the limits, e.g. after someone joined, left, or a connection finished negotiating. */
  update(): void {
    if (this.stopped) return;
    const limits = this.limits;
    for (const pc of this.connections()) void applyLimits(pc, limits);
    this.timer ??= setInterval(() => void this.sampleCpu(), SAMPLE_INTERVAL_MS);
  }

  /** Stops for good: a late event from a closing connection must not restart the sampling. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async sampleCpu(): Promise<void> {
    const reasons = await Promise.all(this.connections().map(qualityLimitation));
    if (reasons.includes('cpu')) {
      this.freeSamples = 0;
      if (++this.limitedSamples >= STEP_DOWN_AFTER && this.cpuStep < MAX_CPU_STEP) this.step(+1);
    } else {
      this.limitedSamples = 0;
      if (++this.freeSamples >= STEP_UP_AFTER && this.cpuStep > 0) this.step(-1);
    }
  }

  private step(direction: 1 | -1): void {
    this.cpuStep += direction;
    this.limitedSamples = 0;
    this.freeSamples = 0;
    this.update();
  }
}

/** The encoder's own verdict on why it sends less than asked: 'cpu', 'bandwidth', 'other' or 'none'. */
async function qualityLimitation(pc: RTCPeerConnection): Promise<string> {
  let reason = 'none';
  try {
    (await pc.getStats()).forEach((report: { type: string; kind?: string; qualityLimitationReason?: string }) => {
      if (report.type === 'outbound-rtp' && report.kind === 'video' && report.qualityLimitationReason) {
        reason = report.qualityLimitationReason === 'none' ? reason : report.qualityLimitationReason;
      }
    });
  } catch {
    // A connection closing under us has no stats; it no longer counts.
  }
  return reason;
}
