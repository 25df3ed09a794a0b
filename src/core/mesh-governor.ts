/**
 * In a mesh every browser encodes and uploads its camera once per remote peer, so uplink and CPU
 * grow with the room. The governor caps each video sender for the current room size and steps the
 * resolution down further while the encoder reports that the CPU cannot keep up; at the lowest
 * resolution, still limited, it stops sending video to the least active peers one by one (they
 * keep our audio), and sends it again, most active first, once the load falls.
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
/** Mean audio power over a sample (level², level 0–1) above which a peer counts as speaking: about -40 dBFS. */
const SPEAKING_POWER = 1e-4;

/** Limits for `remotePeers` outgoing connections: about 2.5 Mbps of uplink in all, 1.2 Mbps at most per peer. */
export function limitsFor(remotePeers: number, cpuStep = 0): SenderLimits {
  const peers = Math.max(1, remotePeers);
  return {
    maxBitrate: Math.round(Math.min(1_200_000, 2_500_000 / peers)),
    maxFramerate: peers <= 2 ? 30 : peers === 3 ? 24 : 15,
    scaleResolutionDownBy: (peers >= 4 ? 1.5 : 1) * 2 ** Math.min(cpuStep, MAX_CPU_STEP),
  };
}

/**
 * Applies `limits` to the video senders of `pc` that have been negotiated (their encodings exist);
 * `active: false` stops sending the camera on them altogether.
 */
export async function applyLimits(pc: RTCPeerConnection, limits: SenderLimits, active = true): Promise<void> {
  // Not while an exchange is under way: setParameters() then delays our answer, or, before the
  // answer to our offer is in, the first frame (by 50 ms and more). The call applies the limits
  // when the connection's media arrives, once the exchange is over.
  if (pc.signalingState !== 'stable' || !pc.localDescription) return;
  for (const sender of pc.getSenders()) {
    if (sender.track?.kind !== 'video') continue;
    const parameters = sender.getParameters();
    if (!parameters.encodings?.length) continue;
    // A shared screen (content hint `detail`) keeps its size, so that its text stays legible, and
    // reaches everyone: it is what the others are there to see.
    const screen = sender.track.contentHint === 'detail';
    parameters.encodings[0] = {
      ...parameters.encodings[0],
      ...limits,
      scaleResolutionDownBy: screen ? 1 : limits.scaleResolutionDownBy,
      active: active || screen,
    };
    // A sender that closed meanwhile rejects; the next update covers whatever is still open.
    await sender.setParameters(parameters).catch(() => {});
  }
}

export interface MeshGovernorOptions {
  sampleIntervalMs?: number;
  /**
   * The encoder's verdict on why `pc` sends less than asked ('cpu', 'bandwidth', 'other' or
   * 'none'); by default its own, from getStats(). Tests stand in for a CPU that cannot keep up.
   */
  limitation?: (pc: RTCPeerConnection, stats: RTCStatsReport) => string;
}

export class MeshGovernor {
  private readonly connections: () => RTCPeerConnection[];
  private readonly options: MeshGovernorOptions;
  /** Resolution steps up to MAX_CPU_STEP, then one more per peer that gets no video. */
  private cpuStep = 0;
  private limitedSamples = 0;
  private freeSamples = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  /** The connections the last update() sent no video on. */
  private paused = new Set<RTCPeerConnection>();
  /** Per connection: the inbound audio's energy and duration at the last sample, and when they last spoke. */
  private readonly audio = new WeakMap<RTCPeerConnection, { energy: number; duration: number; spokeAt: number }>();

  /** @param connections The current peer connections, one per remote participant. */
  constructor(connections: () => RTCPeerConnection[], options: MeshGovernorOptions = {}) {
    this.connections = connections;
    this.options = options;
  }

  /** The limits in force now. */
  get limits(): SenderLimits {
    return limitsFor(this.connections().length, this.cpuStep);
  }

  /** The connections we send no video on now (audio only), least recently active first. */
  get audioOnly(): RTCPeerConnection[] {
    const connections = this.connections();
    const count = Math.min(this.cpuStep - MAX_CPU_STEP, connections.length - 1);
    if (count <= 0) return [];
    const spokeAt = (pc: RTCPeerConnection) => this.audio.get(pc)?.spokeAt ?? -Infinity;
    // A stable sort: among peers equally quiet, the ones that joined first lose their video first.
    return [...connections].sort((a, b) => spokeAt(a) - spokeAt(b)).slice(0, count);
  }

  /** Re-applies the limits, e.g. after someone joined, left, or a connection finished negotiating. */
  update(): void {
    if (this.stopped) return;
    const limits = this.limits;
    this.paused = new Set(this.audioOnly);
    for (const pc of this.connections()) void applyLimits(pc, limits, !this.paused.has(pc));
    this.timer ??= setInterval(() => void this.sample(), this.options.sampleIntervalMs ?? SAMPLE_INTERVAL_MS);
  }

  /** Stops for good: a late event from a closing connection must not restart the sampling. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async sample(): Promise<void> {
    const connections = this.connections();
    const reasons = await Promise.all(connections.map((pc) => this.read(pc)));
    if (this.stopped) return;
    // Video paused on all peers but one is as far as it goes (fewer peers now, fewer steps).
    const lowest = MAX_CPU_STEP + Math.max(0, connections.length - 1);
    this.cpuStep = Math.min(this.cpuStep, lowest);
    if (reasons.includes('cpu')) {
      this.freeSamples = 0;
      if (++this.limitedSamples >= STEP_DOWN_AFTER && this.cpuStep < lowest) this.step(+1);
    } else {
      this.limitedSamples = 0;
      if (++this.freeSamples >= STEP_UP_AFTER && this.cpuStep > 0) this.step(-1);
    }
    // Someone quiet spoke: they get our video back, and the quietest loses it instead.
    const audioOnly = this.audioOnly;
    if (audioOnly.length !== this.paused.size || audioOnly.some((pc) => !this.paused.has(pc))) this.update();
  }

  /** One getStats() per connection: the encoder's limitation, and whether the peer spoke since the last sample. */
  private async read(pc: RTCPeerConnection): Promise<string> {
    let stats: RTCStatsReport;
    try {
      stats = await pc.getStats();
    } catch {
      // A connection closing under us has no stats; it no longer counts.
      return 'none';
    }
    let reason = 'none';
    stats.forEach((report: { type: string; kind?: string; qualityLimitationReason?: string; totalAudioEnergy?: number; totalSamplesDuration?: number }) => {
      if (report.type === 'outbound-rtp' && report.kind === 'video' && report.qualityLimitationReason) {
        reason = report.qualityLimitationReason === 'none' ? reason : report.qualityLimitationReason;
      }
      if (report.type === 'inbound-rtp' && report.kind === 'audio' && report.totalAudioEnergy !== undefined) {
        const energy = report.totalAudioEnergy;
        const duration = report.totalSamplesDuration ?? 0;
        const last = this.audio.get(pc);
        const spoke = last !== undefined && duration > last.duration && (energy - last.energy) / (duration - last.duration) > SPEAKING_POWER;
        this.audio.set(pc, { energy, duration, spokeAt: spoke ? performance.now() : (last?.spokeAt ?? -Infinity) });
      }
    });
    return this.options.limitation?.(pc, stats) ?? reason;
  }

  private step(direction: 1 | -1): void {
    this.cpuStep += direction;
    this.limitedSamples = 0;
    this.freeSamples = 0;
    this.update();
  }
}
