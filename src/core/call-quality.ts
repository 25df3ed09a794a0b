/** How a participant's connection is doing, as the tile shows it. */
export type CallQuality = 'good' | 'fair' | 'poor';

/** What one stretch of a connection's stats says; absent figures were not reported. */
export interface QualitySummary {
  /** Round-trip time, ms (the selected ICE candidate pair's, else RTCP's). */
  rtt?: number;
  /** Share of packets lost, 0–1: what we receive from them, or what they report receiving from us, whichever is worse. */
  loss?: number;
  /** Jitter of the audio we receive, ms (of the video when there is no audio). */
  jitter?: number;
  /** Video frames decoded per second. */
  fps?: number;
  /** Share of the time their video stood frozen, 0–1. */
  frozen?: number;
}

/**
 * Where each figure turns the indicator `fair` and `poor`: RTT and jitter in ms, loss as a share.
 * The indicator is about the network, so frames per second and frozen time are reported but do
 * not count: a camera turned off or a busy processor lowers them on a perfect network.
 */
export const QUALITY_THRESHOLDS = {
  fair: { rtt: 250, loss: 0.03, jitter: 40 },
  poor: { rtt: 600, loss: 0.1, jitter: 100 },
} as const;

/** The worst level any figure reaches. */
export function classify(summary: QualitySummary): CallQuality {
  const reaches = (limits: (typeof QUALITY_THRESHOLDS)['fair' | 'poor']) =>
    (Object.keys(limits) as (keyof typeof limits)[]).some((key) => (summary[key] ?? 0) >= limits[key]);
  return reaches(QUALITY_THRESHOLDS.poor) ? 'poor' : reaches(QUALITY_THRESHOLDS.fair) ? 'fair' : 'good';
}

/** Readings in a row a new quality needs before it is shown: worse news sooner than better. */
export const WORSE_AFTER = 2;
export const BETTER_AFTER = 3;

/** A connection's shown quality, which changes only after the new one is seen a few times in a row. */
export class QualityTracker {
  private shown: CallQuality | null = null;
  private next: CallQuality | null = null;
  private count = 0;

  get quality(): CallQuality | null {
    return this.shown;
  }

  /** Takes one reading; answers true when the shown quality changed (the first reading shows at once). */
  update(reading: CallQuality): boolean {
    if (this.shown === null || reading === this.shown) {
      const changed = this.shown === null;
      this.shown = reading;
      this.next = null;
      this.count = 0;
      return changed;
    }
    this.count = reading === this.next ? this.count + 1 : 1;
    this.next = reading;
    const rank = { good: 0, fair: 1, poor: 2 };
    if (this.count < (rank[reading] > rank[this.shown] ? WORSE_AFTER : BETTER_AFTER)) return false;
    this.shown = reading;
    this.next = null;
    this.count = 0;
    return true;
  }
}

/** The cumulative counters of one peer connection at one moment, read from getStats(). */
export interface ConnectionCounters {
  /** When, ms. */
  at: number;
  /** Their audio as we receive it, and our microphone as we send it: energy and seconds of samples. */
  remoteAudio?: { energy: number; duration: number };
  localAudio?: { energy: number; duration: number };
  packetsReceived: number;
  packetsLost: number;
  /** Seconds; current values, not counters. Video jitter follows how frames are paced as much as the network. */
  audioJitter?: number;
  videoJitter?: number;
  /** Seconds; current. */
  rtt?: number;
  /** Loss they report for what we send them, 0–1; current. */
  remoteLoss?: number;
  framesDecoded?: number;
  freezeSeconds?: number;
}

type Stat = Record<string, unknown>;
const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** Picks the counters this module uses out of an RTCStatsReport. */
export function readCounters(report: RTCStatsReport, at: number): ConnectionCounters {
  const counters: ConnectionCounters = { at, packetsReceived: 0, packetsLost: 0 };
  const byId = new Map<string, Stat>();
  report.forEach((stat: Stat) => byId.set(stat.id as string, stat));
  const max = (a: number | undefined, b: number | undefined) => (b === undefined ? a : Math.max(a ?? b, b));
  let pairRtt: number | undefined;
  for (const stat of byId.values()) {
    const energy = num(stat.totalAudioEnergy);
    const duration = num(stat.totalSamplesDuration);
    switch (stat.type) {
      case 'inbound-rtp':
        counters.packetsReceived += num(stat.packetsReceived) ?? 0;
        counters.packetsLost += Math.max(0, num(stat.packetsLost) ?? 0);
        if (stat.kind === 'audio') counters.audioJitter = max(counters.audioJitter, num(stat.jitter));
        else counters.videoJitter = max(counters.videoJitter, num(stat.jitter));
        if (stat.kind === 'audio' && energy !== undefined && duration !== undefined) {
          counters.remoteAudio = { energy, duration };
        }
        if (stat.kind === 'video') {
          counters.framesDecoded = num(stat.framesDecoded);
          counters.freezeSeconds = num(stat.totalFreezesDuration);
        }
        break;
      case 'media-source':
        if (stat.kind === 'audio' && energy !== undefined && duration !== undefined) {
          counters.localAudio = { energy, duration };
        }
        break;
      case 'remote-inbound-rtp':
        counters.remoteLoss = max(counters.remoteLoss, num(stat.fractionLost));
        counters.rtt = max(counters.rtt, num(stat.roundTripTime));
        break;
      case 'transport': {
        const pair = byId.get(stat.selectedCandidatePairId as string);
        pairRtt = num(pair?.currentRoundTripTime) ?? pairRtt;
        break;
      }
    }
  }
  counters.rtt = pairRtt ?? counters.rtt;
  return counters;
}

/** Loudness (RMS, 0–1) between two readings, from the energy counters getStats() keeps. */
export function audioLevel(
  before: { energy: number; duration: number } | undefined,
  after: { energy: number; duration: number } | undefined,
): number {
  if (!before || !after) return 0;
  const seconds = after.duration - before.duration;
  return seconds > 0 ? Math.sqrt(Math.max(0, after.energy - before.energy) / seconds) : 0;
}

/** What happened on a connection between two readings; `null` before any media has arrived. */
export function summarize(before: ConnectionCounters, after: ConnectionCounters): QualitySummary | null {
  if (after.packetsReceived === 0) return null;
  const seconds = (after.at - before.at) / 1000;
  const received = after.packetsReceived - before.packetsReceived;
  const lost = after.packetsLost - before.packetsLost;
  const summary: QualitySummary = {};
  if (after.rtt !== undefined) summary.rtt = Math.round(after.rtt * 1000);
  // Even a muted microphone and a camera turned off keep sending packets: none at all means none get through.
  const inboundLoss = received <= 0 ? 1 : received + lost > 0 ? Math.max(0, lost) / (received + lost) : undefined;
  const loss = Math.max(inboundLoss ?? 0, after.remoteLoss ?? 0);
  if (inboundLoss !== undefined || after.remoteLoss !== undefined) summary.loss = Math.round(loss * 1000) / 1000;
  const jitter = after.audioJitter ?? after.videoJitter;
  if (jitter !== undefined) summary.jitter = Math.round(jitter * 1000);
  if (seconds > 0 && after.framesDecoded !== undefined && before.framesDecoded !== undefined) {
    summary.fps = Math.round((after.framesDecoded - before.framesDecoded) / seconds);
  }
  if (seconds > 0 && after.freezeSeconds !== undefined && before.freezeSeconds !== undefined) {
    summary.frozen = Math.round(Math.min(1, (after.freezeSeconds - before.freezeSeconds) / seconds) * 100) / 100;
  }
  return summary;
}
