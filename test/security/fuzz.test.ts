import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import type { JoinResponse } from '../../src/core/protocol.js';
import { createJoinToken } from '../../server/index.js';
import { REPO_ROOT, withTimeout } from '../server/helpers.js';

/**
 * A bounded run of random and malformed inputs against a real server in a child process: room
 * names, tokens, query strings, JSON bodies, headers, upgrade URLs and WebSocket frames. The
 * server must stay up, never answer 5xx, answer every API error as JSON with a message, never
 * open a socket for an identity it did not mint, never relay across rooms, and keep its memory.
 * FUZZ_SEED reproduces a run; the seed is printed.
 */

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const HTTP_CASES = 1800;
const SOCKET_UPGRADE_CASES = 600;
const FRAME_CASES = 900;
const CONCURRENCY = 8;
const MAX_RSS_GROWTH_MB = 100;
const SECRET = 'fuzz-token-secret-at-least-32-bytes-long';

let child: ChildProcess;
let base: string;
let port: number;
let stderr = '';

before(async () => {
  console.log(`fuzz seed ${SEED} (set FUZZ_SEED to repeat)`);
  child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/security/fixtures/fuzz-server.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, FUZZ_TOKEN_SECRET: SECRET },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const [message] = (await withTimeout(once(child, 'message'), 15_000, 'the fuzz server to start')) as [{ port: number }];
  port = message.port;
  base = `http://127.0.0.1:${port}`;
});
after(async () => {
  if (child.exitCode === null) {
    child.send('close');
    await withTimeout(once(child, 'exit'), 5000, 'the fuzz server to exit').catch(() => child.kill('SIGKILL'));
  }
});

async function serverMemory(): Promise<{ rss: number; heapUsed: number }> {
  child.send('rss');
  const [message] = (await withTimeout(once(child, 'message'), 5000, 'the server to report its memory')) as [{ rss: number; heapUsed: number }];
  return message;
}

/** mulberry32: small, seedable, good enough to pick test inputs. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chars = (alphabet: string, max: number) => Array.from({ length: int(max + 1) }, () => alphabet[int(alphabet.length)]).join('');
  return { next, int, pick, chars };
}

const rng = random(SEED);
const ROOM_CHARS = 'abcXYZ019_-';
const NASTY = ['..', '%2e%2e', '%2F', '%00', '%E0%A4%A', '%ZZ', '\u202E', '😀', ' ', '"', "'", '<script>', '\\', '%', '?', '#', ';', '{}'];

function roomName(): string {
  switch (rng.int(7)) {
    case 0:
      return rng.chars(ROOM_CHARS, 64) || 'r';
    case 1:
      return `t-${rng.chars(ROOM_CHARS, 10)}`;
    case 2:
      return `tw-${rng.chars(ROOM_CHARS, 10)}`;
    case 3:
      return 'x'.repeat(60 + rng.int(200));
    case 4:
      return Array.from({ length: 1 + rng.int(4) }, () => rng.pick(NASTY)).join('');
    case 5:
      return encodeURIComponent(rng.chars('äöü€\u0000\u202Eab/..', 12));
    default:
      return rng.chars(ROOM_CHARS + NASTY.join(''), 20);
  }
}

async function tokenValue(room: string): Promise<unknown> {
  const exp = Math.floor(Date.now() / 1000) + (rng.next() < 0.2 ? -100 : 600);
  switch (rng.int(9)) {
    case 0:
      return createJoinToken({ secret: SECRET, room: /^[\w-]{1,64}$/.test(room) ? room : 'r', role: rng.pick(['host', 'guest'] as const), ttlSeconds: 60 });
    case 1:
      return new SignJWT({ room, role: rng.pick(['host', 'guest', 'admin', 42]), exp, name: rng.chars('ab\u202E<>', 300) })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(rng.next() < 0.5 ? SECRET : 'w'.repeat(32)));
    case 2:
      return `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ room, role: 'host', exp })).toString('base64url')}.`;
    case 3:
      return Array.from({ length: 3 }, () => rng.chars('ABCxyz-_=+/.', 40)).join('.');
    case 4:
      return rng.chars('abc', 5000);
    case 5:
      return rng.pick([null, 42, true, [], {}, { token: 'x' }]);
    case 6:
      return '';
    default:
      return rng.chars('abcdef0123456789', 64);
  }
}

async function jsonBody(room: string): Promise<string | undefined> {
  switch (rng.int(8)) {
    case 0:
      return undefined;
    case 1:
      return rng.chars('{}[]":,abc\\\u0000 ', 60);
    case 2:
      return '['.repeat(1 + rng.int(5000));
    case 3:
      return JSON.stringify({ name: rng.chars('Ann\u202E\u0000😀<b>', 80), token: await tokenValue(room) });
    case 4:
      return JSON.stringify({
        peerId: rng.chars('abcdef-0123', 36),
        token: rng.chars('abcdef0123', 64),
        action: rng.pick(['lock', 'unlock', 'remove', 'mute', 'admit', 'decline', 'explode', 7]),
        target: rng.pick([undefined, 'x', 42, rng.chars('abc', 100)]),
      });
    case 5:
      return rng.pick(['null', '1', '"str"', '[1,2]', '{"name":{"nested":true}}', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}']);
    case 6:
      return `{"name":"${'n'.repeat(rng.int(6000))}"}`;
    default:
      return JSON.stringify({ name: rng.chars('abc', 20) });
  }
}

function headers(): Record<string, string> {
  const result: Record<string, string> = {};
  if (rng.next() < 0.7) result['content-type'] = rng.pick(['application/json', 'text/plain', 'application/json; charset=utf-16', 'multipart/form-data', '']);
  if (rng.next() < 0.4) result.origin = rng.pick(['https://good.example', 'https://evil.example', 'null', 'not a url', base]);
  if (rng.next() < 0.2) result['x-forwarded-for'] = rng.pick(['1.2.3.4', 'garbage', '::1, 2001:db8::1', '']);
  return result;
}

async function httpCase(): Promise<void> {
  const room = roomName();
  const path = rng.pick([
    `/api/rooms/${room}/join`,
    `/api/rooms/${room}/join`,
    `/api/rooms/${room}/control`,
    `/api/rooms/${room}/presence`,
    `/api/rooms/${room}/waiting/${rng.chars('abcXYZ-_', 43)}`,
    `/api/${roomName()}`,
    `/api/rooms/${room}`,
    `/peerjs/${roomName()}`,
    `/peerjs/peercall/peers`,
    `/metrics?${roomName()}`,
    `/${roomName()}`,
    `/video-call.js`,
  ]);
  const method = rng.pick(['GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);
  const body = method === 'GET' ? undefined : await jsonBody(room);
  const abort = new AbortController();
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, { method, headers: headers(), body, signal: abort.signal });
  } catch (error) {
    // fetch itself refuses some inputs (a bad header value, a malformed URL) before sending.
    if (error instanceof TypeError && !/fetch failed/.test(error.message)) return;
    throw new Error(`${method} ${path}: ${String((error as Error).cause ?? error)}`);
  }
  const where = `${method} ${path} -> ${response.status}`;
  // The URL parser resolves dot segments (%2e%2e too) before sending: judge by what was sent.
  const isApi = new URL(response.url).pathname.startsWith('/api/');
  assert.ok(response.status < 500 || (response.status === 503 && isApi), where);
  if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    abort.abort();
    return;
  }
  const text = await response.text();
  if (isApi && response.status >= 400) {
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/, where);
    const parsed = JSON.parse(text) as { message?: unknown };
    assert.equal(typeof parsed.message, 'string', where);
    assert.ok((parsed.message as string).length > 0, where);
  }
}

function queryString(): string {
  const params = [
    ['key', rng.pick(['peercall', 'peerjs', '', rng.chars('abc', 10)])],
    ['id', rng.pick([crypto.randomUUID(), '', rng.chars('abc-%', 40), 'x'.repeat(2000)])],
    ['token', rng.pick([rng.chars('abcdef0123456789', 64), '', rng.chars('%&=?', 10)])],
  ];
  const parts = params.filter(() => rng.next() < 0.85).map(([name, value]) => `${name}=${rng.next() < 0.8 ? encodeURIComponent(value!) : value}`);
  if (rng.next() < 0.2) parts.push(`id=${crypto.randomUUID()}`);
  if (rng.next() < 0.1) parts.push(rng.chars('&=%?#', 20));
  return parts.join('&');
}

/** An upgrade that presents no minted identity: it must never open. */
async function forgedUpgradeCase(): Promise<void> {
  const path = rng.pick(['/peerjs/peerjs', '/peerjs/peerjs', '/peerjs', '/api/peerjs', `/${roomName()}`]);
  const origin = rng.pick([undefined, 'https://good.example', 'https://evil.example', 'null']);
  const url = `ws://127.0.0.1:${port}${path}?${queryString()}`;
  let ws: WebSocket;
  try {
    ws = new WebSocket(url, { headers: origin ? { origin } : {} });
  } catch {
    return; // ws refused to even build the URL
  }
  const outcome = await withTimeout(
    new Promise<string>((resolve) => {
      ws.once('unexpected-response', (request, response) => {
        request.destroy();
        resolve(`refused ${response.statusCode}`);
      });
      ws.once('open', () => resolve('opened'));
      ws.once('error', () => resolve('error'));
    }),
    5000,
    `the upgrade of ${url}`,
  );
  ws.terminate();
  assert.notEqual(outcome, 'opened', url);
}

async function join(room: string, name: string): Promise<JoinResponse> {
  const response = await fetch(`${base}/api/rooms/${room}/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  assert.equal(response.status, 200);
  return (await response.json()) as JoinResponse;
}

function openSocket(joined: JoinResponse): Promise<{ ws: WebSocket; received: string[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/peerjs/peerjs?key=peercall&id=${joined.peerId}&token=${joined.token}`);
  const received: string[] = [];
  ws.on('message', (data) => received.push(String(data)));
  ws.on('error', () => {});
  return withTimeout(
    new Promise((resolve, reject) => {
      ws.once('open', () => resolve({ ws, received }));
      ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
    }),
    5000,
    'a minted socket to open',
  );
}

function frame(peers: string[]): string | Buffer {
  switch (rng.int(9)) {
    case 0:
      return Buffer.from(Array.from({ length: rng.int(300) }, () => rng.int(256)));
    case 1:
      return rng.chars('{}[]":,abcOFFER\\\u0000', 200);
    case 2:
      return JSON.stringify({ type: rng.pick(['OFFER', 'ANSWER', 'CANDIDATE', 'LEAVE', 'EXPIRE', 'OPEN', 'ID-TAKEN', 'HEARTBEAT', 'PEERCALL_ROSTER', 42]), dst: rng.pick([...peers, crypto.randomUUID(), '', 42, null]), payload: rng.pick([{}, { sdp: 'v=0' }, 'x', null, [], undefined]) });
    case 3:
      return '['.repeat(rng.int(30_000));
    case 4:
      return 'x'.repeat(60 * 1024 + rng.int(10 * 1024));
    case 5:
      return JSON.stringify({ type: 'LEAVE' });
    case 6:
      return Buffer.from([0xff, 0xfe, 0xc3, 0x28]).toString('latin1');
    case 7:
      return JSON.stringify({ type: 'OFFER', dst: rng.pick(peers), payload: { sdp: rng.chars('abc\u202E', 100), connectionId: 'c' } });
    default:
      return '{"type":"HEARTBEAT"}';
  }
}

/**
 * Random frames from a minted socket in room A at its roommate and at a member of room B, whose
 * socket must then have heard nothing but its OPEN and rosters.
 */
async function frameCases(count: number): Promise<void> {
  const suffix = rng.chars(ROOM_CHARS, 8);
  const observerJoin = await join(`fz-b-${suffix}`, 'Observer');
  const observer = await openSocket(observerJoin);
  let sent = 0;
  while (sent < count) {
    const roomA = `fz-a-${suffix}-${sent}`;
    const mateJoin = await join(roomA, 'Mate');
    const mateId = mateJoin.peerId;
    const mate = await openSocket(mateJoin);
    const sender = await openSocket(await join(roomA, 'Sender'));
    const peers = [observerJoin.peerId, observerJoin.peerId, mateId];
    // Until the server closes it (oversize, flood) or 50 frames, then start over with new sockets.
    for (let i = 0; i < 50 && sent < count && sender.ws.readyState === WebSocket.OPEN; i += 1, sent += 1) {
      sender.ws.send(frame(peers));
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    sender.ws.terminate();
    mate.ws.terminate();
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  const types = observer.received.map((m) => (JSON.parse(m) as { type: string }).type);
  assert.deepEqual([...new Set(types)].sort(), ['OPEN', 'PEERCALL_ROSTER'], 'room B heard something from room A');
  observer.ws.terminate();
}

async function inParallel(count: number, run: () => Promise<void>): Promise<void> {
  let started = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (started < count) {
        started += 1;
        await run();
      }
    }),
  );
}

test(`fuzz: ${HTTP_CASES + SOCKET_UPGRADE_CASES + FRAME_CASES} random inputs; the server stays up, answers 4xx with a message, keeps its memory`, { timeout: 90_000 }, async () => {
  const started = Date.now();
  await inParallel(50, httpCase);
  const before = await serverMemory();

  await inParallel(HTTP_CASES, httpCase);
  await inParallel(SOCKET_UPGRADE_CASES, forgedUpgradeCase);
  await frameCases(FRAME_CASES);

  assert.equal(child.exitCode, null, 'the server process exited');
  const health = await fetch(`${base}/healthz`);
  assert.equal(health.status, 200);
  // A legitimate visitor still gets in.
  const legit = await openSocket(await join(`fz-after-${SEED}`, 'Legit'));
  await withTimeout(
    new Promise<void>((resolve) => (legit.received.length > 0 ? resolve() : legit.ws.once('message', () => resolve()))),
    3000,
    'OPEN after the fuzz',
  );
  assert.deepEqual(JSON.parse(legit.received[0]!), { type: 'OPEN' });
  legit.ws.terminate();

  const end = await serverMemory();
  const growthMb = (end.rss - before.rss) / 1024 / 1024;
  const heapGrowthMb = (end.heapUsed - before.heapUsed) / 1024 / 1024;
  console.log(`fuzz: ${Math.round((Date.now() - started) / 1000)} s, server RSS growth ${growthMb.toFixed(1)} MB, heap ${heapGrowthMb.toFixed(1)} MB`);
  assert.ok(growthMb < MAX_RSS_GROWTH_MB, `RSS grew by ${growthMb.toFixed(1)} MB`);
  assert.doesNotMatch(stderr, /request failed|signaling error/, 'the server logged an internal error');
  assert.ok(Date.now() - started < 60_000, 'the fuzz run must stay under 60 s');
});
