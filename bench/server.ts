/**
 * What security costs the server: the authenticated peercall server against a bare PeerServer
 * (peer's `PeerServer` with its defaults), in one run, each in its own child process.
 *
 * - Memory per idle peer at 1k, 5k and 10k connected signaling sockets: the server process's RSS
 *   and live heap (heapUsed), after a full GC, over its baseline, divided by the number of
 *   sockets. Clients are raw `ws` sockets in this process that send HEARTBEATs as the real
 *   clients do: every 2 s to peercall (the widget), every 5 s to the bare server (PeerJS's
 *   default). peercall's clients POST a join first and sit in rooms of four. The bare server
 *   is measured twice: clients that bring their own id (socket only), and clients that first
 *   GET an id from PeerServer's /id route, as a PeerJS client does by default. RSS also counts
 *   the heap pages that request traffic leaves fragmented and V8's young generation, which it
 *   resizes between 1 and 32 MB with the allocation rate (tens of KB per peer at 1k sockets);
 *   live heap is what the peers themselves hold.
 * - Join latency at a fixed rate (open loop, 1000 joins/s): peercall = POST join + socket open
 *   until OPEN; bare = socket open until OPEN. Measured from each join's scheduled start, so a
 *   server that falls behind pays for its queue. CPU per join is reported for both processes:
 *   on a 2-core machine client and server share the CPUs.
 * - Relay latency of signaling messages: 100 pairs of connected members (peercall: each pair in a
 *   room of its own) send each other PeerJS messages at a fixed total rate (open loop, 1000/s),
 *   one description (OFFER/ANSWER, a 5 KB SDP) to three CANDIDATEs, as a connection's set-up
 *   does; the time from send to arrival at the other socket, per kind. peercall checks every
 *   message (JSON, type, a destination connected in the sender's room, the sender's rate).
 *
 * Goals (issue 5): peercall ≤ 1.5× the bare server's memory per peer, p99 join < 100 ms.
 * Run: node --import tsx bench/server.ts [--quick]. Writes bench/results/server.json (not with
 * --quick). All clients come from 127.0.0.1, so peercall runs with its per-address limits raised
 * (the checks still run on every request); everything else is its default configuration.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';
import { PeerServer } from 'peer';
import WebSocket from 'ws';
import { HEARTBEAT_INTERVAL_MS, type JoinResponse } from '../src/core/protocol.js';
import { createPeercallServer, parseConfig } from '../server/index.js';

type Kind = 'peercall' | 'bare';

const QUICK = process.argv.includes('--quick');
const LEVELS = QUICK ? [1000, 2000] : [1000, 5000, 10_000];
const JOIN_RATE_PER_S = 1000;
const LATENCY_JOINS = QUICK ? 1000 : 3000;
const LATENCY_WARMUP = 200;
/** Relay: pairs of members, each pair in a room of its own (peercall), relaying at a fixed total rate. */
const RELAY_PAIRS = 100;
const RELAY_RATE_PER_S = 1000;
const RELAY_MESSAGES = QUICK ? 2000 : 6000;
const RELAY_WARMUP = 500;
/** Of every four messages one is a description (OFFER/ANSWER), three are ICE candidates, as in a connection's set-up. */
const RELAY_DESCRIPTION_EVERY = 4;
const OPEN_CONCURRENCY = 20;
/** PeerJS's default heartbeat period; the widget's is HEARTBEAT_INTERVAL_MS, and our server's alive timeout is set for that. */
const PEERJS_HEARTBEAT_MS = 5000;
const ROOM_SIZE = 4;
const SETTLE_MS = 6000;
const STEP_TIMEOUT_MS = 10_000;
const PHASE_TIMEOUT_MS = 180_000;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------- server child

/** `bench/server.ts --serve <kind>`: runs one server and reports its memory on request. */
async function serve(kind: Kind): Promise<void> {
  let port: number;
  if (kind === 'peercall') {
    const dir = mkdtempSync(path.join(tmpdir(), 'peercall-bench-'));
    const config = parseConfig(
      ['--port', '0', '--max-sockets-per-ip', '30000', '--max-sockets', '30000', '--max-pending', '30000', '--join-rate', '100000'],
      {},
    );
    ({ port } = await createPeercallServer(config, { widgetDir: dir, demoDir: dir }).listen());
  } else {
    // peer's defaults, except its 5000-client cap, which would stop the 10k level.
    const server = await new Promise<http.Server>((resolve) => {
      PeerServer({ port: 0, host: '127.0.0.1', concurrent_limit: 30_000 }, (listening) => resolve(listening as http.Server));
    });
    ({ port } = server.address() as AddressInfo);
  }
  process.send!({ port });
  process.on('message', (message) => {
    if (message !== 'memory') return;
    globalThis.gc!();
    const { rss, heapUsed, heapTotal } = process.memoryUsage();
    const { user, system } = process.cpuUsage();
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, Math.round(space.space_size / 2 ** 20)]));
    process.send!({ rss, heapUsed, heapTotal, cpuMs: (user + system) / 1000, spaces });
  });
}

/** The server process's memory after a GC, and the CPU time it has used so far. */
interface ServerSample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  cpuMs: number;
  /** Committed size of each V8 heap space, MB. */
  spaces: Record<string, number>;
}

interface ServerChild {
  kind: Kind;
  port: number;
  memory(): Promise<ServerSample>;
  stop(): Promise<void>;
}

async function startServer(kind: Kind): Promise<ServerChild> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--serve', kind],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const [{ port }] = (await bounded(once(child, 'message'), 20_000, `${kind} server to start`)) as [{ port: number }];
  return {
    kind,
    port,
    async memory() {
      child.send('memory');
      const [memory] = (await bounded(once(child, 'message'), STEP_TIMEOUT_MS, 'a memory report')) as [ServerSample];
      return memory;
    },
    async stop() {
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}

// ---------------------------------------------------------------- clients

function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Reused connections, as a browser reuses its connection to the server; cheaper than fetch(). */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 4000 });

function getId(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: '/peerjs/id', agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    });
    request.on('error', reject);
    request.end();
  });
}

function postJoin(port: number, room: string): Promise<JoinResponse> {
  return bounded(
    new Promise((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port, path: `/api/rooms/${room}/join`, method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => {
            if (response.statusCode === 200) resolve(JSON.parse(body) as JoinResponse);
            else reject(new Error(`join answered ${response.statusCode}: ${body}`));
          });
        },
      );
      request.on('error', reject);
      request.end('{"name":"Bench"}');
    }),
    STEP_TIMEOUT_MS,
    'a join',
  );
}

/**
 * Opens one signaling socket (joining first for peercall) and resolves when OPEN arrives.
 * `asksForId`: a bare client first fetches an id from PeerServer's /id route, as a PeerJS client
 * created without an id does.
 */
async function connectPeer(server: ServerChild, room: string, asksForId = false): Promise<WebSocket> {
  let url: string;
  if (server.kind === 'peercall') {
    const joined = await postJoin(server.port, room);
    url = `ws://127.0.0.1:${server.port}/peerjs/peerjs?key=${joined.peer.key}&id=${joined.peerId}&token=${joined.token}`;
  } else {
    // As a PeerJS client does: a UUID from the server's /id route and a short random token.
    const token = Math.random().toString(36).slice(2);
    const id = asksForId ? await getId(server.port) : randomUUID();
    url = `ws://127.0.0.1:${server.port}/peerjs?key=peerjs&id=${id}&token=${token}`;
  }
  const ws = new WebSocket(url);
  await bounded(
    new Promise<void>((resolve, reject) => {
      ws.once('message', (data) => {
        if ((JSON.parse(String(data)) as { type?: string }).type === 'OPEN') resolve();
        else reject(new Error(`first message was ${String(data)}`));
      });
      ws.once('error', reject);
      ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
    }),
    STEP_TIMEOUT_MS,
    'OPEN',
  );
  return ws;
}

/**
 * Keeps the sockets of one server alive the way its clients do, spread evenly over the heartbeat
 * period: the widget's period against peercall, PeerJS's default against the bare server.
 */
class Heartbeats {
  private readonly sockets: WebSocket[] = [];
  /**
   * The next socket due: a cursor, not a counter taken modulo the length, which jumped over some
   * sockets while others were added, for longer than the server's alive timeout.
   */
  private next = 0;
  private readonly periodMs: number;
  constructor(kind: Kind) {
    this.periodMs = kind === 'peercall' ? HEARTBEAT_INTERVAL_MS : PEERJS_HEARTBEAT_MS;
  }
  private readonly timer = setInterval(() => {
    const perTick = Math.ceil(this.sockets.length / (this.periodMs / 100));
    for (let i = 0; i < perTick && this.sockets.length > 0; i += 1) {
      if (this.next >= this.sockets.length) this.next = 0;
      const ws = this.sockets[this.next++]!;
      if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"HEARTBEAT"}');
    }
  }, 100);

  add(ws: WebSocket): void {
    this.sockets.push(ws);
  }

  get open(): number {
    return this.sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  }

  closeAll(): void {
    clearInterval(this.timer);
    for (const ws of this.sockets) ws.terminate();
  }
}

// ---------------------------------------------------------------- measurements

interface MemoryLevel {
  sockets: number;
  rssPerPeerBytes: number;
  heapPerPeerBytes: number;
  rssMb: number;
}

async function measureMemory(kind: Kind, asksForId = false): Promise<MemoryLevel[]> {
  const server = await startServer(kind);
  const label = asksForId ? `${kind} (GET /id first)` : kind;
  const heartbeats = new Heartbeats(kind);
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  try {
    // Warm up code paths and lazily built structures, then settle the baseline.
    const warm: WebSocket[] = [];
    for (let i = 0; i < 50; i += 1) warm.push(await connectPeer(server, `warm-${i}`, asksForId));
    warm.forEach((ws) => ws.close());
    await sleep(1000);
    const baseline = await server.memory();
    process.stdout.write(`  ${label}: baseline RSS ${mb(baseline.rss)} MB, heap ${mb(baseline.heapUsed)} MB used of ${mb(baseline.heapTotal)}\n`);
    const levels: MemoryLevel[] = [];
    let connected = 0;
    for (const target of LEVELS) {
      let started = connected;
      await Promise.all(
        Array.from({ length: OPEN_CONCURRENCY }, async () => {
          while (started < target) {
            if (Date.now() > deadline) throw new Error(`${kind}: ramp to ${target} sockets took too long`);
            const index = started++;
            heartbeats.add(await connectPeer(server, `room-${Math.floor(index / ROOM_SIZE)}`, asksForId));
          }
        }),
      );
      connected = target;
      // Longer than HTTP keep-alive (5 s on the server, 4 s in our agent), so that idle join
      // connections are gone.
      await sleep(SETTLE_MS);
      if (heartbeats.open !== target) throw new Error(`${kind}: ${heartbeats.open} of ${target} sockets are open`);
      const memory = await server.memory();
      levels.push({
        sockets: target,
        rssPerPeerBytes: Math.round((memory.rss - baseline.rss) / target),
        heapPerPeerBytes: Math.round((memory.heapUsed - baseline.heapUsed) / target),
        rssMb: +(memory.rss / 1024 / 1024).toFixed(1),
      });
      process.stdout.write(
        `  ${label}: ${target} sockets, RSS ${levels.at(-1)!.rssMb} MB, heap ${mb(memory.heapUsed)} MB used of ` +
          `${mb(memory.heapTotal)} (old space ${memory.spaces.old_space} MB, new space ${memory.spaces.new_space} MB)\n`,
      );
    }
    return levels;
  } finally {
    heartbeats.closeAll();
    await server.stop();
  }
}

interface Latency {
  joins: number;
  failed: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU time per join, server process (includes a GC per sample) and this client process. */
  serverCpuMsPerJoin: number;
  clientCpuMsPerJoin: number;
}

async function measureLatency(kind: Kind): Promise<Latency> {
  const server = await startServer(kind);
  const heartbeats = new Heartbeats(kind);
  try {
    const run = async (count: number, offset: number) => {
      const latencies: number[] = [];
      let failed = 0;
      const start = performance.now() + 50;
      const joins = Array.from({ length: count }, async (_, i) => {
        const scheduled = start + (i * 1000) / JOIN_RATE_PER_S;
        await sleep(Math.max(0, scheduled - performance.now()));
        try {
          heartbeats.add(await connectPeer(server, `lat-${Math.floor((offset + i) / ROOM_SIZE)}`));
          latencies.push(performance.now() - scheduled);
        } catch {
          failed += 1;
        }
      });
      await bounded(Promise.all(joins), (count / JOIN_RATE_PER_S) * 1000 + 30_000, `${count} joins`);
      return { latencies, failed };
    };
    await run(LATENCY_WARMUP, 0);
    const cpuBefore = (await server.memory()).cpuMs;
    const clientCpuBefore = process.cpuUsage();
    const { latencies, failed } = await run(LATENCY_JOINS, LATENCY_WARMUP);
    const serverCpuMsPerJoin = +(((await server.memory()).cpuMs - cpuBefore) / LATENCY_JOINS).toFixed(3);
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const clientCpuMsPerJoin = +((clientCpu.user + clientCpu.system) / 1000 / LATENCY_JOINS).toFixed(3);
    const at = percentiles(latencies, 1);
    return { joins: LATENCY_JOINS, failed, p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: at(1), serverCpuMsPerJoin, clientCpuMsPerJoin };
  } finally {
    heartbeats.closeAll();
    await server.stop();
  }
}

interface RelayLatency {
  messages: number;
  lost: number;
  /** Descriptions (OFFER/ANSWER with a 5 KB SDP) and candidates, each p50/p99 in ms. */
  description: { p50Ms: number; p99Ms: number };
  candidate: { p50Ms: number; p99Ms: number };
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  serverCpuMsPerMessage: number;
}

/** A Chromium-sized session description (audio, video, data channel): about 5 KB. */
const SDP = Array.from({ length: 90 }, (_, i) => `a=line-${i}:${'x'.repeat(48)}`).join('\r\n');

/** The message PeerJS sends; `connectionId` carries our sequence number. */
function signalingMessage(seq: number, dst: string): string {
  if (seq % RELAY_DESCRIPTION_EVERY === 0) {
    return JSON.stringify({ type: 'OFFER', dst, payload: { sdp: { type: 'offer', sdp: SDP }, type: 'media', connectionId: `mc_${seq}`, metadata: {} } });
  }
  const candidate = `candidate:${seq} 1 udp 2122260223 127.0.0.1 ${40000 + (seq % 20000)} typ host generation 0 ufrag abcd network-id 1`;
  return JSON.stringify({ type: 'CANDIDATE', dst, payload: { candidate: { candidate, sdpMid: '0', sdpMLineIndex: 0 }, type: 'media', connectionId: `mc_${seq}` } });
}

/** The id a socket was opened with (peercall: minted by the join; bare: ours). */
function socketPeerId(ws: WebSocket): string {
  return new URL(ws.url).searchParams.get('id')!;
}

async function measureRelay(kind: Kind): Promise<RelayLatency> {
  const server = await startServer(kind);
  const heartbeats = new Heartbeats(kind);
  try {
    const pairs: [WebSocket, WebSocket][] = [];
    for (let i = 0; i < RELAY_PAIRS; i += 1) {
      const room = `relay-${i}`;
      const pair: [WebSocket, WebSocket] = [await connectPeer(server, room), await connectPeer(server, room)];
      for (const ws of pair) heartbeats.add(ws);
      pairs.push(pair);
    }
    const sentAt = new Map<number, number>();
    const arrivals = { description: [] as number[], candidate: [] as number[] };
    for (const ws of pairs.flat()) {
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type?: string; payload?: { connectionId?: string } };
        const seq = Number(message.payload?.connectionId?.slice(3));
        const start = sentAt.get(seq);
        if (start === undefined) return;
        sentAt.delete(seq);
        (message.type === 'OFFER' ? arrivals.description : arrivals.candidate).push(performance.now() - start);
      });
    }
    const run = async (count: number, firstSeq: number) => {
      arrivals.description.length = arrivals.candidate.length = 0;
      const start = performance.now() + 50;
      for (let i = 0; i < count; i += 1) {
        const scheduled = start + (i * 1000) / RELAY_RATE_PER_S;
        const wait = scheduled - performance.now();
        if (wait > 0) await sleep(wait);
        const seq = firstSeq + i;
        // Alternate directions and pairs, so every socket sends and receives.
        const [from, to] = i % 2 === 0 ? pairs[(i >> 1) % RELAY_PAIRS]! : [...pairs[(i >> 1) % RELAY_PAIRS]!].reverse();
        sentAt.set(seq, performance.now());
        from!.send(signalingMessage(seq, socketPeerId(to!)));
      }
      const deadline = performance.now() + 10_000;
      while (arrivals.description.length + arrivals.candidate.length < count && performance.now() < deadline) await sleep(20);
      return count - arrivals.description.length - arrivals.candidate.length;
    };
    await run(RELAY_WARMUP, 0);
    const cpuBefore = (await server.memory()).cpuMs;
    const lost = await run(RELAY_MESSAGES, RELAY_WARMUP);
    const serverCpuMsPerMessage = +(((await server.memory()).cpuMs - cpuBefore) / RELAY_MESSAGES).toFixed(4);
    const all = percentiles([...arrivals.description, ...arrivals.candidate], 2);
    const description = percentiles(arrivals.description, 2);
    const candidate = percentiles(arrivals.candidate, 2);
    return {
      messages: RELAY_MESSAGES,
      lost,
      description: { p50Ms: description(0.5), p99Ms: description(0.99) },
      candidate: { p50Ms: candidate(0.5), p99Ms: candidate(0.99) },
      p50Ms: all(0.5),
      p99Ms: all(0.99),
      maxMs: all(1),
      serverCpuMsPerMessage,
    };
  } finally {
    heartbeats.closeAll();
    await server.stop();
  }
}

/** The q-quantile (0–1) of `values`, rounded to `digits` decimals; NaN when there are none. */
function percentiles(values: number[], digits: number): (q: number) => number {
  const sorted = [...values].sort((a, b) => a - b);
  return (q) => +(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN).toFixed(digits);
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Two sockets per peer (ours and the server's) plus slack must fit under the open-file limit. */
function checkFileLimit(): void {
  const needed = Math.max(...LEVELS) + 2000;
  const soft = Number(spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim());
  if (soft < needed) {
    throw new Error(`ulimit -n is ${soft}; this benchmark needs ${needed} per process. Run it as: sh -c 'ulimit -n ${needed} && node --import tsx bench/server.ts'`);
  }
}

async function main(): Promise<void> {
  checkFileLimit();
  process.stdout.write(`server bench: levels ${LEVELS.join('/')}, ${LATENCY_JOINS} joins at ${JOIN_RATE_PER_S}/s\n`);
  const memory = {
    peercall: await measureMemory('peercall'),
    bare: await measureMemory('bare'),
    barePeerjsFlow: await measureMemory('bare', true),
  };
  const latency = { peercall: await measureLatency('peercall'), bare: await measureLatency('bare') };
  const relay = { peercall: await measureRelay('peercall'), bare: await measureRelay('bare') };

  const kb = (bytes: number) => (bytes / 1024).toFixed(1).padStart(7);
  const lines = [
    '',
    'Memory per idle peer: server process over its baseline, after a full GC (KB)',
    '            ------------- RSS -------------------   ------------- live heap -------------',
    '  sockets   peercall    bare   ratio   bare+GET/id   peercall    bare   ratio   bare+GET/id',
    ...LEVELS.map((sockets, i) => {
      const [p, b, g] = [memory.peercall[i]!, memory.bare[i]!, memory.barePeerjsFlow[i]!];
      const ratio = (x: number, y: number) => `${(x / y).toFixed(2)}×`.padStart(6);
      return (
        `  ${String(sockets).padStart(7)}   ${kb(p.rssPerPeerBytes)} ${kb(b.rssPerPeerBytes)}  ${ratio(p.rssPerPeerBytes, b.rssPerPeerBytes)}   ${kb(g.rssPerPeerBytes)}` +
        `      ${kb(p.heapPerPeerBytes)} ${kb(b.heapPerPeerBytes)}  ${ratio(p.heapPerPeerBytes, b.heapPerPeerBytes)}   ${kb(g.heapPerPeerBytes)}`
      );
    }),
    '  (bare+GET/id: bare PeerServer with clients that fetch their id first, as PeerJS does by default)',
    '',
    `Join latency at ${JOIN_RATE_PER_S}/s (${LATENCY_JOINS} joins, from the scheduled start; ms)`,
    '             p50      p90      p99      max   failed   server CPU/join   client CPU/join',
    ...(['peercall', 'bare'] as const).map((kind) => {
      const l = latency[kind];
      return `  ${kind.padEnd(8)} ${String(l.p50Ms).padStart(6)}   ${String(l.p90Ms).padStart(6)}   ${String(l.p99Ms).padStart(6)}   ${String(l.maxMs).padStart(6)}   ${String(l.failed).padStart(6)}   ${l.serverCpuMsPerJoin.toFixed(3).padStart(12)} ms   ${l.clientCpuMsPerJoin.toFixed(3).padStart(12)} ms`;
    }),
    '  (peercall = POST join + socket until OPEN; bare = socket until OPEN)',
    '',
    `Relay latency of signaling messages at ${RELAY_RATE_PER_S}/s (${RELAY_MESSAGES} messages between ${RELAY_PAIRS} pairs, send to arrival; ms)`,
    '             all p50   all p99      max   OFFER p50   OFFER p99   CANDIDATE p50   CANDIDATE p99   lost   server CPU/message',
    ...(['peercall', 'bare'] as const).map((kind) => {
      const r = relay[kind];
      const f = (n: number, w: number) => String(n).padStart(w);
      return `  ${kind.padEnd(8)} ${f(r.p50Ms, 8)}  ${f(r.p99Ms, 8)} ${f(r.maxMs, 8)}    ${f(r.description.p50Ms, 8)}    ${f(r.description.p99Ms, 8)}        ${f(r.candidate.p50Ms, 8)}        ${f(r.candidate.p99Ms, 8)}  ${f(r.lost, 5)}   ${r.serverCpuMsPerMessage.toFixed(4).padStart(14)} ms`;
    }),
    '  (OFFER: a 5 KB session description; CANDIDATE: one ICE candidate; 1 in 4 messages is an OFFER)',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  const top = LEVELS.length - 1;
  const goals = {
    sockets: LEVELS[top],
    rssRatio: +(memory.peercall[top]!.rssPerPeerBytes / memory.bare[top]!.rssPerPeerBytes).toFixed(3),
    heapRatio: +(memory.peercall[top]!.heapPerPeerBytes / memory.bare[top]!.heapPerPeerBytes).toFixed(3),
    p99Ms: latency.peercall.p99Ms,
  };
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  process.stdout.write(
    `Goals at ${goals.sockets} sockets: memory ≤ 1.5×: RSS ${goals.rssRatio}× ${verdict(goals.rssRatio <= 1.5)}, ` +
      `live heap ${goals.heapRatio}× ${verdict(goals.heapRatio <= 1.5)}; p99 < 100 ms: ${goals.p99Ms} ms ${verdict(goals.p99Ms < 100)}\n`,
  );
  if (!QUICK) {
    mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
    const result = { date: new Date().toISOString(), machine: { cpus: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version }, memory, latency, relay, goals };
    writeFileSync(path.join(ROOT, 'bench/results/server.json'), `${JSON.stringify(result, null, 2)}\n`);
  }
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex !== -1) await serve(process.argv[serveIndex + 1] as Kind);
else await main();
