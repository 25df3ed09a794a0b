/**
 * Counters for operators, served as JSON on GET /metrics. Names only, never ids, tokens or
 * addresses. The counters:
 * - `signaling.relayed`: messages passed to PeerServer for relaying (HEARTBEATs not counted).
 * - `signaling.dropped.<reason>`: messages dropped before PeerServer saw them: `not-json`,
 *   `binary`, `bad-shape`, `type-not-allowed`, `unknown-destination`, `other-room`, `after-close`.
 * - `signaling.closed.<reason>`: sockets the server closed: `rate-limited`, `oversize`,
 *   `protocol-error`, `removed`.
 * - `upgrade.refused.<reason>`: signaling upgrades refused: `identity`, `origin`, `per-ip`, `capacity`.
 * - `http.refused.<code>`: API refusals by ErrorCode (see protocol.ts).
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

  /** `gauges` are the current sizes of things (sockets, rooms…), read when asked. */
  snapshot(gauges: Record<string, number>): MetricsSnapshot {
    const counters = Object.fromEntries([...this.counters].sort(([a], [b]) => a.localeCompare(b)));
    return { uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000), gauges, counters };
  }
}

export interface MetricsSnapshot {
  uptimeSeconds: number;
  gauges: Record<string, number>;
  counters: Record<string, number>;
}
