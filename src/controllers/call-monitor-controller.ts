import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ActiveSpeakerDetector } from '../core/active-speaker.js';
import type { CallState } from '../core/call-state.js';
import {
  audioLevel,
  classify,
  QualityTracker,
  readCounters,
  summarize,
  type CallQuality,
  type ConnectionCounters,
} from '../core/call-quality.js';
import type { Participant } from '../core/participant.js';
import { CallActiveSpeakerChangeEvent } from '../events/call-active-speaker-change.js';
import { CallQualityChangeEvent } from '../events/call-quality-change.js';

/** What the monitors need from their element. */
export interface MonitorHost extends ReactiveControllerHost, HTMLElement {
  readonly state: CallState;
  readonly participants: readonly Participant[];
  noActiveSpeaker: boolean;
  noQuality: boolean;
}

/** How often the connections' stats are read: often enough for the speaker highlight to follow speech. */
export const POLL_MS = 500;
/** Loudness is measured over this many readings (about a second), so one syllable or pause does not swing it. */
const LEVEL_SPAN = 2;
/** Quality is judged over spans of about two seconds. */
const QUALITY_SPAN_MS = 2000;

/**
 * While the call is joined, reads every peer connection's getStats() and keeps two monitors up to
 * date: who is speaking (from the audio energy counters of what we receive and of what our
 * microphone sends) and each connection's quality. Fires `call-active-speaker-change` and
 * `call-quality-change` on the host, and re-renders it, only when either changes.
 */
export class CallMonitorController implements ReactiveController {
  private readonly host: MonitorHost;
  private readonly peerConnections: () => ReadonlyMap<string, RTCPeerConnection>;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private detector = new ActiveSpeakerDetector();
  /** Recent readings of each connection, oldest first. */
  private readonly history = new Map<string, ConnectionCounters[]>();
  /** The reading each connection's current quality span started with. */
  private readonly spanStart = new Map<string, ConnectionCounters>();
  private readonly trackers = new Map<string, QualityTracker>();

  constructor(host: MonitorHost, peerConnections: () => ReadonlyMap<string, RTCPeerConnection>) {
    this.peerConnections = peerConnections;
    (this.host = host).addController(this);
  }

  /** The highlighted speaker's peer id (possibly the local user's). */
  get activeSpeaker(): string | null {
    return this.running && !this.host.noActiveSpeaker ? this.detector.speaker : null;
  }

  /** The quality shown for a remote participant, once there has been a reading. */
  quality(peerId: string): CallQuality | null {
    return this.running && !this.host.noQuality ? (this.trackers.get(peerId)?.quality ?? null) : null;
  }

  hostUpdated(): void {
    const { state, noActiveSpeaker, noQuality } = this.host;
    const wanted = (state === 'joined' || state === 'reconnecting') && !(noActiveSpeaker && noQuality);
    if (wanted && !this.running) {
      this.running = true;
      this.schedule();
    } else if (!wanted && this.running) {
      this.stop();
    }
  }

  hostDisconnected(): void {
    this.stop();
  }

  private stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.detector = new ActiveSpeakerDetector();
    this.history.clear();
    this.spanStart.clear();
    this.trackers.clear();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), POLL_MS);
  }

  private async poll(): Promise<void> {
    const connections = [...this.peerConnections()];
    const readings = await Promise.all(
      connections.map(([, pc]) =>
        pc.getStats().then(
          (report) => readCounters(report, performance.now()),
          () => null,
        ),
      ),
    );
    if (!this.running) return;
    const current = new Set(connections.map(([peerId]) => peerId));
    for (const map of [this.history, this.spanStart, this.trackers]) {
      for (const id of map.keys()) if (!current.has(id)) map.delete(id);
    }
    const levels = new Map<string, number>(this.host.participants.map((p) => [p.peerId, 0]));
    const localId = this.host.participants.find((p) => p.local)?.peerId;
    let localMeasured = false;
    connections.forEach(([peerId], index) => {
      const reading = readings[index];
      if (!reading) return;
      const past = this.history.get(peerId) ?? [];
      past.push(reading);
      if (past.length > LEVEL_SPAN + 1) past.shift();
      this.history.set(peerId, past);
      const levelBase = past[0];
      if (levels.has(peerId)) levels.set(peerId, audioLevel(levelBase.remoteAudio, reading.remoteAudio));
      // Every connection sends the same microphone: one of them is enough to hear ours.
      if (localId && !localMeasured && levelBase !== reading && reading.localAudio) {
        levels.set(localId, audioLevel(levelBase.localAudio, reading.localAudio));
        localMeasured = true;
      }
      const start = this.spanStart.get(peerId);
      if (!start) this.spanStart.set(peerId, reading);
      else if (reading.at - start.at >= QUALITY_SPAN_MS - POLL_MS / 2 && !this.host.noQuality) {
        this.spanStart.set(peerId, reading);
        this.judge(peerId, start, reading);
      }
    });
    if (!this.host.noActiveSpeaker) {
      const previous = this.detector.speaker;
      const speaker = this.detector.update(levels, performance.now());
      if (speaker !== previous) {
        this.host.requestUpdate();
        this.host.dispatchEvent(new CallActiveSpeakerChangeEvent({ peerId: speaker, previous }));
      }
    }
    this.schedule();
  }

  /** Judges a connection over one span. */
  private judge(peerId: string, before: ConnectionCounters, after: ConnectionCounters): void {
    const stats = summarize(before, after);
    const tracker = this.trackers.get(peerId) ?? new QualityTracker();
    this.trackers.set(peerId, tracker);
    const previous = tracker.quality;
    if (!stats || !tracker.update(classify(stats))) return;
    this.host.requestUpdate();
    this.host.dispatchEvent(new CallQualityChangeEvent({ peerId, quality: tracker.quality!, previous, stats }));
  }
}
