import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * Counters for operators, served as JSON on GET /metrics. Names only, never ids, tokens or
 * addresses. The counters:
 * - `signaling.relayed`: messages passed to PeerServer for relaying (HEARTBEATs not counted).
 * - `signaling.dropped.<reason>`: messages dropped before PeerServer saw them: `not-json`,
 *   `binary`, `bad-shape`, `type-not-allowed`, `unknown-destination`, `other-room`, `after-close`,
 *   `bad-status` (a StatusMessage that is not four booleans), `status-rate` (too many of them).
 * - `signaling.closed.<reason>`: sockets the server closed: `rate-limited`, `oversize`,
 *   `protocol-error`, `removed`.
 * - `signaling.departed.<reason>`: members who left a room: `left` (a LeaveMessage or a host's
 *   removal), `lost` (the socket closed or went silent).
 * - `upgrade.refused.<reason>`: signaling upgrades refused: `identity`, `origin`, `per-ip`,
 *   `capacity`, `draining`.
 * - `http.refused.<code>`: API refusals by ErrorCode (see protocol.ts).
 * - `join.resumed`: joins that got their peer id back with a resume ticket.
 * - `standby.minted`, `join.standby`: standby identities minted, and joins made over one.
 * - `standby.refused.<code>`: joins over a standby socket refused, by ErrorCode; `standby.expired`:
 *   standby sockets closed for want of a keep; `standby.dropped.not-standby`: JoinMessages from a
 *   socket that is not (or no longer) a standby.
 * The snapshot also has `process`: memory and event-loop delay (see ProcessStats).
 */
export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly startedAt = Date.now();

  count(name: string): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + 1);
  }

  get(name: string): number {
    return this.counters.get(name) ?? 0;
  }

  /** Counters whose name starts with `prefix`, for log summaries. */
  countersStartingWith(prefix: string): Map<string, number> {
    return new Map([...this.counters].filter(([name]) => name.startsWith(prefix)));
  }

  /** `gauges` are the current sizes of things (sockets, rooms…), read when asked. */
  snapshot(gauges: Record<string, number>, process?: ProcessSnapshot): MetricsSnapshot {
    const counters = Object.fromEntries([...this.counters].sort(([a], [b]) => a.localeCompare(b)));
    return {
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      gauges,
      counters,
      ...(process !== undefined && { process }),
    };
  }
}

export interface MetricsSnapshot {
  uptimeSeconds: number;
  gauges: Record<string, number>;
  counters: Record<string, number>;
  process?: ProcessSnapshot;
}

export interface DelaySummary {
  p50: number;
  p99: number;
  max: number;
}

export interface ProcessSnapshot {
  rssBytes: number;
  heapUsedBytes: number;
  /**
   * How late the event loop ran timers, in ms (perf_hooks monitorEventLoopDelay sampling every
   * 10 ms): over the last complete window of `windowSeconds`, and since the start.
   */
  eventLoopDelayMs: DelaySummary & { windowSeconds: number; sinceStart: DelaySummary };
}

const NS_PER_MS = 1e6;
const RESOLUTION_MS = 10;

/** Memory and event-loop delay of this process; `close()` stops its monitors. */
export class ProcessStats {
  private readonly window: IntervalHistogram;
  private readonly lifetime: IntervalHistogram;
  private readonly timer: NodeJS.Timeout;
  private lastWindow: DelaySummary = { p50: 0, p99: 0, max: 0 };
  private windowDone = false;

  constructor(private readonly windowMs = 10_000) {
    this.window = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.lifetime = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.window.enable();
    this.lifetime.enable();
    this.timer = setInterval(() => {
      this.lastWindow = summarize(this.window);
      this.windowDone = true;
      this.window.reset();
    }, windowMs);
    this.timer.unref();
  }

  snapshot(): ProcessSnapshot {
    const memory = process.memoryUsage();
    // Before the first window completes, the one in progress is all there is.
    const window = this.windowDone ? this.lastWindow : summarize(this.window);
    return {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      eventLoopDelayMs: { ...window, windowSeconds: this.windowMs / 1000, sinceStart: summarize(this.lifetime) },
    };
  }

  close(): void {
    clearInterval(this.timer);
    this.window.disable();
    this.lifetime.disable();
  }
}

function summarize(histogram: IntervalHistogram): DelaySummary {
  // An empty histogram reports huge sentinel values; nothing measured is no delay.
  if (histogram.count === 0) return { p50: 0, p99: 0, max: 0 };
  // The histogram records the time between two ticks of its timer: the delay is what exceeds the period.
  const ms = (ns: number) => Math.max(0, Math.round((ns / NS_PER_MS - RESOLUTION_MS) * 10) / 10);
  return { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) };
}
