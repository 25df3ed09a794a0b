import type { ServerResponse } from 'node:http';
import type { PresenceUpdate } from '../src/core/protocol.js';

export interface PresenceHubOptions {
  maxPerIp: number;
  maxTotal: number;
  /** Connected members of a room: the only thing a presence stream reveals. */
  count: (room: string) => number;
  /** A comment line this often keeps proxies from closing an idle stream (many cut at 30–60 s). */
  heartbeatMs?: number;
}

interface Stream {
  res: ServerResponse;
  room: string;
  ipKey: string;
  lastCount: number;
}

/** A stream whose reader has stopped reading is dropped rather than buffered without end. */
const MAX_UNREAD_BYTES = 16 * 1024;

/**
 * Server-sent event streams of room head counts (GET api/rooms/:room/presence). One event at
 * once, then one whenever the count changes. Capped per client address and in total, since each
 * stream holds a connection open for as long as the visitor likes.
 */
export class PresenceHub {
  private readonly byRoom = new Map<string, Set<Stream>>();
  private readonly perIp = new Map<string, number>();
  private total = 0;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly options: PresenceHubOptions) {
    this.heartbeat = setInterval(() => this.sendHeartbeats(), options.heartbeatMs ?? 25_000);
    this.heartbeat.unref();
  }

  /** Whether another stream from this address fits, and which cap it hits if not. */
  refusal(ipKey: string): 'per-ip' | 'capacity' | undefined {
    if (this.total >= this.options.maxTotal) return 'capacity';
    if ((this.perIp.get(ipKey) ?? 0) >= this.options.maxPerIp) return 'per-ip';
    return undefined;
  }

  /** Starts the event stream on `res`; check refusal() first. */
  open(res: ServerResponse, room: string, ipKey: string): void {
    const stream: Stream = { res, room, ipKey, lastCount: this.options.count(room) };
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // nginx would otherwise buffer the stream and deliver the events late.
      'X-Accel-Buffering': 'no',
    });
    this.add(stream);
    res.on('close', () => this.delete(stream));
    this.write(stream, event(stream.lastCount));
  }

  /** Tells the room's streams the new count, if it changed. */
  update(room: string): void {
    const streams = this.byRoom.get(room);
    if (!streams) return;
    const count = this.options.count(room);
    for (const stream of streams) {
      if (stream.lastCount === count) continue;
      stream.lastCount = count;
      this.write(stream, event(count));
    }
  }

  get size(): number {
    return this.total;
  }

  /** Ends every stream, so that the HTTP server can close. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const streams of this.byRoom.values()) {
      for (const stream of streams) stream.res.end();
    }
  }

  private sendHeartbeats(): void {
    for (const streams of this.byRoom.values()) {
      for (const stream of streams) this.write(stream, ': keep-alive\n\n');
    }
  }

  private write(stream: Stream, text: string): void {
    if (stream.res.writableLength > MAX_UNREAD_BYTES) {
      stream.res.destroy();
      return;
    }
    stream.res.write(text);
  }

  private add(stream: Stream): void {
    let streams = this.byRoom.get(stream.room);
    if (!streams) {
      streams = new Set();
      this.byRoom.set(stream.room, streams);
    }
    streams.add(stream);
    this.perIp.set(stream.ipKey, (this.perIp.get(stream.ipKey) ?? 0) + 1);
    this.total += 1;
  }

  private delete(stream: Stream): void {
    const streams = this.byRoom.get(stream.room);
    if (!streams?.delete(stream)) return;
    if (streams.size === 0) this.byRoom.delete(stream.room);
    const left = (this.perIp.get(stream.ipKey) ?? 1) - 1;
    if (left === 0) this.perIp.delete(stream.ipKey);
    else this.perIp.set(stream.ipKey, left);
    this.total -= 1;
  }
}

function event(count: number): string {
  const update: PresenceUpdate = { count };
  return `data: ${JSON.stringify(update)}\n\n`;
}
