import dgram from 'node:dgram';
import { once } from 'node:events';

/**
 * A UDP proxy that impairs traffic on purpose, for fault tests on a kernel without netem. Put it
 * in front of a TURN server's UDP port and give the browsers its port instead: each client address
 * gets its own upstream socket (so the TURN server sees one 5-tuple per client, as it would without
 * the proxy), packets are relayed both ways, and the proxy can drop a fraction of them or all of
 * them (a blackhole) until told otherwise. Everything is bounded: sessions, their idle time, and
 * close() releases every socket.
 */
export interface UdpImpairProxy {
  /** The port clients send to, on `listenHost`. */
  readonly port: number;
  /** Drop this fraction (0–1) of packets in both directions, chosen by a seeded generator. */
  setLoss(fraction: number): void;
  /** Drop every packet until called with false. */
  setBlackhole(on: boolean): void;
  /** Blackhole for `ms`, then restore; resolves when traffic flows again. */
  blackholeFor(ms: number): Promise<void>;
  /** Back to forwarding everything. */
  restore(): void;
  stats(): UdpImpairStats;
  close(): Promise<void>;
}

export interface UdpImpairStats {
  sessions: number;
  forwarded: number;
  dropped: number;
  /** Sessions refused because `maxSessions` were open. */
  refused: number;
}

export interface UdpImpairOptions {
  target: { host: string; port: number };
  listenHost?: string;
  /** 0 picks a free port. */
  listenPort?: number;
  /** Seed of the loss generator, so that a run can be repeated. */
  seed?: number;
  maxSessions?: number;
  /** A client silent (both ways) this long loses its session and upstream socket. */
  sessionIdleMs?: number;
}

interface Session {
  upstream: dgram.Socket;
  clientAddress: string;
  clientPort: number;
  lastActive: number;
}

export async function startUdpImpairProxy({
  target,
  listenHost = '127.0.0.1',
  listenPort = 0,
  seed = 0x5eed,
  maxSessions = 256,
  sessionIdleMs = 5 * 60_000,
}: UdpImpairOptions): Promise<UdpImpairProxy> {
  const front = dgram.createSocket('udp4');
  front.on('error', () => {});
  front.bind(listenPort, listenHost);
  await once(front, 'listening');
  const sessions = new Map<string, Session>();
  const random = mulberry32(seed);
  let loss = 0;
  let blackhole = false;
  let forwarded = 0;
  let dropped = 0;
  let refused = 0;
  let closed = false;
  let restoreTimer: NodeJS.Timeout | undefined;

  const passes = () => {
    if (blackhole || (loss > 0 && random() < loss)) {
      dropped += 1;
      return false;
    }
    forwarded += 1;
    return true;
  };

  const openSession = async (key: string, address: string, port: number): Promise<Session | undefined> => {
    if (sessions.size >= maxSessions) {
      refused += 1;
      return undefined;
    }
    const upstream = dgram.createSocket('udp4');
    upstream.on('error', () => {});
    const session: Session = { upstream, clientAddress: address, clientPort: port, lastActive: Date.now() };
    sessions.set(key, session);
    upstream.on('message', (packet) => {
      session.lastActive = Date.now();
      if (!closed && passes()) front.send(packet, session.clientPort, session.clientAddress);
    });
    upstream.bind(0, listenHost);
    await once(upstream, 'listening');
    return session;
  };

  const pendingOpens = new Map<string, Promise<Session | undefined>>();
  front.on('message', (packet, remote) => {
    if (closed) return;
    const key = `${remote.address}:${remote.port}`;
    const forward = (session: Session | undefined) => {
      if (!session || closed) return;
      session.lastActive = Date.now();
      if (passes()) session.upstream.send(packet, target.port, target.host);
    };
    const session = sessions.get(key);
    if (session) return forward(session);
    let opening = pendingOpens.get(key);
    if (!opening) {
      opening = openSession(key, remote.address, remote.port).finally(() => pendingOpens.delete(key));
      pendingOpens.set(key, opening);
    }
    void opening.then(forward);
  });

  const reaper = setInterval(() => {
    const cutoff = Date.now() - sessionIdleMs;
    for (const [key, session] of sessions) {
      if (session.lastActive < cutoff) {
        session.upstream.close();
        sessions.delete(key);
      }
    }
  }, Math.min(sessionIdleMs, 10_000));
  reaper.unref();

  return {
    port: front.address().port,
    setLoss(fraction) {
      if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`loss must be 0–1, not ${fraction}`);
      loss = fraction;
    },
    setBlackhole(on) {
      clearTimeout(restoreTimer);
      blackhole = on;
    },
    blackholeFor(ms) {
      clearTimeout(restoreTimer);
      blackhole = true;
      return new Promise((resolve) => {
        restoreTimer = setTimeout(() => {
          blackhole = false;
          resolve();
        }, ms);
      });
    },
    restore() {
      clearTimeout(restoreTimer);
      blackhole = false;
      loss = 0;
    },
    stats: () => ({ sessions: sessions.size, forwarded, dropped, refused }),
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(restoreTimer);
      clearInterval(reaper);
      await Promise.allSettled([...pendingOpens.values()]);
      const closing = [front, ...[...sessions.values()].map((session) => session.upstream)].map(
        (socket) => new Promise<void>((resolve) => socket.close(() => resolve())),
      );
      sessions.clear();
      await Promise.all(closing);
    },
  };
}

/** A small seeded PRNG (mulberry32): the same seed drops the same packets. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
