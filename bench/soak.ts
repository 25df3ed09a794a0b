/**
 * Soak (issue 6): many idle, authenticated peers held for minutes against the peercall server in
 * its own process, as browsers would hold them: each POSTs a join, opens its PeerJS socket with the
 * minted id and token, and sends a HEARTBEAT every 2 s (the widget's pingInterval), in rooms of
 * SOAK_ROOM_SIZE. Reports unexpected closes (any socket the server closed, or that failed, before
 * the end), the server's RSS and event-loop delay (its /metrics, sampled every 10 s) and this
 * process's own event-loop delay (so that a late heartbeat can be told from a slow server).
 *
 *   SOAK_PEERS (5000)  SOAK_SECONDS (300)  SOAK_ROOM_SIZE (4)  SOAK_RAMP_CONCURRENCY (50)
 *   node --import tsx bench/soak.ts        (needs `ulimit -n` ≥ about 2 × peers + 200 in the shell)
 *
 * Exits 1 when a peer could not connect or a socket closed unexpectedly, 2 on a setup problem.
 * Every wait is bounded; the server runs on loopback with its per-address limits raised (every
 * client is 127.0.0.1), everything else at its defaults.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { JoinResponse } from '../src/core/protocol.js';
import type { MetricsSnapshot } from '../server/metrics.js';
import { startPeercallProcess, type PeercallProcess } from '../test/helpers/relay-lab.js';

const PEERS = positive('SOAK_PEERS', 5000);
const SECONDS = positive('SOAK_SECONDS', 300);
const ROOM_SIZE = positive('SOAK_ROOM_SIZE', 4);
const RAMP_CONCURRENCY = positive('SOAK_RAMP_CONCURRENCY', 50);
const HEARTBEAT_MS = 2000;
const SAMPLE_MS = 10_000;
const CONNECT_TIMEOUT_MS = 15_000;
/** The whole run, ramp and teardown included, ends by then whatever happens. */
const HARD_LIMIT_MS = (SECONDS + 300) * 1000;

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`${name} must be a positive whole number, not "${raw}".`);
    process.exit(2);
  }
  return value;
}

function openFileLimit(): number | undefined {
  try {
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return match?.[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match?.[1]);
  } catch {
    return undefined;
  }
}

interface Peer {
  socket: WebSocket;
  heartbeat?: NodeJS.Timeout;
  closedUnexpectedly: boolean;
}

interface Sample {
  at: number;
  sockets: number;
  rssMb: number;
  heapMb: number;
  delayP99: number;
  delayMax: number;
}

const peers: Peer[] = [];
const closes = new Map<string, number>();
let ending = false;
let failedToConnect = 0;

async function main(): Promise<number> {
  const limit = openFileLimit();
  if (limit !== undefined && limit < PEERS * 2 + 200) {
    console.error(`Open-file limit ${limit} is too low for ${PEERS} peers (client and server each hold one per peer). Run: ulimit -n ${PEERS * 2 + 1000}`);
    return 2;
  }
  const server = await startPeercallProcess({
    args: [
      '--max-sockets-per-ip', String(PEERS + 100),
      '--max-sockets', String(PEERS + 100),
      '--join-rate', '100000',
      '--max-pending', String(PEERS + 100),
      '--max-participants', String(Math.max(2, Math.min(50, ROOM_SIZE))),
    ],
  });
  const clientDelay = monitorEventLoopDelay({ resolution: 10 });
  try {
    console.log(`soak: ${PEERS} peers in rooms of ${ROOM_SIZE}, ${SECONDS} s, heartbeat every ${HEARTBEAT_MS} ms, server pid on port ${server.port}`);
    const rampStart = Date.now();
    await ramp(server);
    const rampSeconds = (Date.now() - rampStart) / 1000;
    console.log(`soak: ${peers.length} connected in ${rampSeconds.toFixed(1)} s (${failedToConnect} failed)`);
    clientDelay.enable();

    const samples: Sample[] = [];
    const soakEnd = Date.now() + SECONDS * 1000;
    while (Date.now() < soakEnd) {
      await sleep(Math.min(SAMPLE_MS, soakEnd - Date.now()));
      const sample = await metrics(server);
      if (sample) {
        samples.push(sample);
        const unexpected = [...closes.values()].reduce((a, b) => a + b, 0);
        console.log(
          `soak: t+${Math.round((sample.at - rampStart) / 1000)} s sockets ${sample.sockets} rss ${sample.rssMb} MB heap ${sample.heapMb} MB ` +
            `event-loop delay p99 ${sample.delayP99} ms max ${sample.delayMax} ms, unexpected closes ${unexpected}`,
        );
      }
    }
    clientDelay.disable();
    const final = await metrics(server);
    const lifetime = await lifetimeDelay(server);
    ending = true;
    const unexpected = [...closes.values()].reduce((a, b) => a + b, 0);
    const p99s = samples.map((s) => s.delayP99).sort((a, b) => a - b);
    const result = {
      peers: PEERS,
      connected: peers.length,
      failedToConnect,
      seconds: SECONDS,
      rampSeconds: Number(rampSeconds.toFixed(1)),
      unexpectedCloses: unexpected,
      closesByCode: Object.fromEntries(closes),
      serverSocketsAtEnd: final?.sockets,
      serverRssMb: { atEnd: final?.rssMb, max: Math.max(...samples.map((s) => s.rssMb)) },
      serverHeapMbAtEnd: final?.heapMb,
      serverEventLoopDelayMs: {
        p99OfWorst10sWindow: p99s.at(-1),
        medianOf10sWindowP99s: p99s[Math.floor(p99s.length / 2)],
        maxOverall: Math.max(...samples.map((s) => s.delayMax)),
        p99SinceStart: lifetime,
      },
      clientEventLoopDelayMs: {
        p99: Math.max(0, Math.round(clientDelay.percentile(99) / 1e6 - 10)),
        max: Math.max(0, Math.round(clientDelay.max / 1e6 - 10)),
      },
    };
    console.log(JSON.stringify(result, null, 2));
    const ok = failedToConnect === 0 && unexpected === 0 && final?.sockets === PEERS;
    console.log(ok ? 'soak: PASS' : 'soak: FAIL');
    return ok ? 0 : 1;
  } finally {
    ending = true;
    for (const peer of peers) {
      clearInterval(peer.heartbeat);
      peer.socket.terminate();
    }
    await server.stop();
  }
}

/** Joins and connects every peer, RAMP_CONCURRENCY at a time. */
async function ramp(server: PeercallProcess): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < PEERS) {
      const index = next++;
      try {
        peers.push(await connectPeer(server, `soak-${Math.floor(index / ROOM_SIZE)}`, index));
      } catch (error) {
        failedToConnect += 1;
        if (failedToConnect <= 5) console.error(`soak: peer ${index} failed: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: RAMP_CONCURRENCY }, worker));
}

async function connectPeer(server: PeercallProcess, room: string, index: number): Promise<Peer> {
  const response = await fetch(`${server.url}api/rooms/${room}/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Peer ${index}` }),
    signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS),
  });
  if (response.status !== 200) throw new Error(`join: HTTP ${response.status} ${await response.text()}`);
  const joined = (await response.json()) as JoinResponse;
  const query = new URLSearchParams({ key: joined.peer.key, id: joined.peerId, token: joined.token, version: '1.5.5' });
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}peerjs/peerjs?${query}`, { perMessageDeflate: false });
  const peer: Peer = { socket, closedUnexpectedly: false };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error('no OPEN within 15 s'));
    }, CONNECT_TIMEOUT_MS);
    socket.on('message', (data) => {
      if (String(data).includes('"OPEN"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('unexpected-response', (_request, res) => {
      clearTimeout(timer);
      reject(new Error(`upgrade refused: HTTP ${res.statusCode}`));
    });
  });
  socket.on('error', () => {});
  socket.on('close', (code) => {
    clearInterval(peer.heartbeat);
    if (ending) return;
    peer.closedUnexpectedly = true;
    closes.set(String(code), (closes.get(String(code)) ?? 0) + 1);
  });
  // Spread the heartbeats over the period, as independent browsers would.
  setTimeout(() => {
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send('{"type":"HEARTBEAT"}');
    peer.heartbeat = setInterval(() => {
      if (socket.readyState === WebSocket.OPEN) socket.send('{"type":"HEARTBEAT"}');
    }, HEARTBEAT_MS);
  }, Math.random() * HEARTBEAT_MS).unref();
  return peer;
}

async function metrics(server: PeercallProcess): Promise<Sample | undefined> {
  try {
    const snapshot = (await (await fetch(`${server.url}metrics`, { signal: AbortSignal.timeout(5000) })).json()) as MetricsSnapshot;
    const stats = snapshot.process!;
    return {
      at: Date.now(),
      sockets: snapshot.gauges.sockets!,
      rssMb: Math.round(stats.rssBytes / 2 ** 20),
      heapMb: Math.round(stats.heapUsedBytes / 2 ** 20),
      delayP99: stats.eventLoopDelayMs.p99,
      delayMax: stats.eventLoopDelayMs.max,
    };
  } catch (error) {
    console.error(`soak: /metrics failed: ${(error as Error).message}`);
    return undefined;
  }
}

async function lifetimeDelay(server: PeercallProcess): Promise<number | undefined> {
  try {
    const snapshot = (await (await fetch(`${server.url}metrics`, { signal: AbortSignal.timeout(5000) })).json()) as MetricsSnapshot;
    return snapshot.process!.eventLoopDelayMs.sinceStart.p99;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

const hardLimit = setTimeout(() => {
  console.error(`soak: still running after ${HARD_LIMIT_MS / 1000} s; giving up.`);
  process.exit(2);
}, HARD_LIMIT_MS);
hardLimit.unref();

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
