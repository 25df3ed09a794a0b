import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { JoinResponse, RosterMember, RosterMessage } from '../../src/core/protocol.js';
import { createPeercallServer, parseConfig, type PeercallServer, type ServerConfig } from '../../server/index.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Stands for one of the widget's lazily loaded chunks. */
export const FAKE_WIDGET_CHUNK = 'export const panel = 1;\n';
export const FAKE_WIDGET = 'export const fakeWidget = true;\n';
export const FAKE_DEMO = '<!doctype html><title>fake demo</title>\n';
/** Servers under test log only their own bugs, unless PEERCALL_TEST_LOG_LEVEL asks for more. */
export const TEST_LOG_LEVEL = (process.env.PEERCALL_TEST_LOG_LEVEL ?? 'error') as ServerConfig['logLevel'];

/** Rejects after `ms` so that no test can hang on an event that never comes. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface TestServer {
  server: PeercallServer;
  port: number;
  base: string;
  close(): Promise<void>;
}

/** A real server on an ephemeral port, serving a fake widget and demo from a temp dir. */
export async function startTestServer(
  overrides: Partial<ServerConfig> = {},
  { withWidget = true } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'peercall-test-'));
  if (withWidget) {
    writeFileSync(path.join(dir, 'video-call.js'), FAKE_WIDGET);
    writeFileSync(path.join(dir, 'video-call-panel-Ab12_cD.js'), FAKE_WIDGET_CHUNK);
  }
  writeFileSync(path.join(dir, 'index.html'), FAKE_DEMO);
  // Every test joins from 127.0.0.1, far faster than a person would: only tests of the join
  // rate limit itself get the default.
  const config = { ...parseConfig(['--port', '0'], {}), joinRate: 100_000, logLevel: TEST_LOG_LEVEL, ...overrides };
  const server = createPeercallServer(config, { widgetDir: dir, demoDir: dir });
  const { port } = await server.listen();
  return {
    server,
    port,
    base: `http://127.0.0.1:${port}`,
    async close() {
      await withTimeout(server.close(), 3000, 'server.close()');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function join(base: string, room: string, name?: string): Promise<JoinResponse> {
  const response = await fetch(`${base}/api/rooms/${room}/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(name === undefined ? {} : { name }),
  });
  if (response.status !== 200) throw new Error(`join ${room}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as JoinResponse;
}

export function socketUrl(port: number, query: Record<string, string>): string {
  return `ws://127.0.0.1:${port}/peerjs/peerjs?${new URLSearchParams(query)}`;
}

export function identityQuery(joined: JoinResponse): Record<string, string> {
  return { key: joined.peer.key, id: joined.peerId, token: joined.token };
}

/** A signaling socket that keeps every message it receives, in order. */
export class PeerSocket {
  readonly messages: unknown[] = [];
  private read = 0;
  private waiter: (() => void) | undefined;

  private readonly closing: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    this.closing = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)));
      this.waiter?.();
    });
  }

  /** Resolves once the socket is open; rejects if the server refuses the upgrade. */
  static open(port: number, query: Record<string, string>, headers: Record<string, string> = {}): Promise<PeerSocket> {
    const ws = new WebSocket(socketUrl(port, query), { headers });
    const socket = new PeerSocket(ws);
    const opened = new Promise<PeerSocket>((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_request, response) => {
        reject(new Error(`upgrade refused with HTTP ${response.statusCode}`));
      });
      ws.once('error', reject);
    });
    return withTimeout(opened, 3000, 'the socket to open');
  }

  /** The next message not yet returned by next(). */
  async next(what = 'a message'): Promise<unknown> {
    while (this.read >= this.messages.length) {
      const arrived = new Promise<void>((resolve) => (this.waiter = resolve));
      await withTimeout(arrived, 3000, what);
    }
    return this.messages[this.read++];
  }

  async nextRoster(): Promise<RosterMember[]> {
    const message = (await this.next('a roster')) as RosterMessage;
    if (message.type !== 'PEERCALL_ROSTER') throw new Error(`expected a roster, got ${JSON.stringify(message)}`);
    return message.payload.members;
  }

  /** Resolves with the close code and reason once the socket closes (by either side). */
  closed(ms = 3000): Promise<{ code: number; reason: string }> {
    return withTimeout(this.closing, ms, 'the socket to close');
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    this.ws.close();
    await withTimeout(closed, 3000, 'the socket to close');
  }
}

/** Opens a socket for a joined identity; returns it with OPEN and the first roster already read. */
export async function connect(joined: JoinResponse, port: number): Promise<PeerSocket> {
  const socket = await PeerSocket.open(port, identityQuery(joined));
  assert.deepEqual(await socket.next(), { type: 'OPEN' });
  await socket.next('the first roster');
  return socket;
}

/** The next roster that satisfies `accept` (others are skipped). */
export async function rosterWhere(
  socket: PeerSocket,
  accept: (payload: RosterMessage['payload']) => boolean,
): Promise<RosterMessage['payload']> {
  for (;;) {
    const message = (await socket.next('a roster')) as RosterMessage;
    if (message.type === 'PEERCALL_ROSTER' && accept(message.payload)) return message.payload;
  }
}

export interface Refusal {
  status: number;
  /** Everything the refused socket received; must stay empty. */
  messages: unknown[];
}

/** Opens a socket that is expected to be refused; fails if it opens instead. */
export function expectRefusedSocket(
  port: number,
  query: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Refusal> {
  const ws = new WebSocket(socketUrl(port, query), { headers });
  const messages: unknown[] = [];
  ws.on('message', (data) => messages.push(String(data)));
  const refused = new Promise<Refusal>((resolve, reject) => {
    ws.once('unexpected-response', (request, response) => {
      request.destroy();
      resolve({ status: response.statusCode ?? 0, messages });
    });
    ws.once('open', () => {
      // Give a wrongly accepted socket the moment it needs to receive its OPEN, for the report.
      setTimeout(() => {
        ws.terminate();
        reject(new Error(`socket was accepted; received ${JSON.stringify(messages)}`));
      }, 200);
    });
    ws.once('error', reject);
  });
  return withTimeout(refused, 3000, 'the upgrade to be refused');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return withTimeout(done, 15_000, `peercall-server ${args.join(' ')}`).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  // A clean environment, so that a PORT set on the developer's machine cannot leak in.
  return spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A server-sent event stream read with node:http, one raw event block at a time. */
export class EventStreamClient {
  private buffer = '';
  private readonly blocks: string[] = [];
  private waiter: (() => void) | undefined;
  ended = false;

  private constructor(
    readonly request: http.ClientRequest,
    readonly response: http.IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) !== -1) {
        this.blocks.push(this.buffer.slice(0, end));
        this.buffer = this.buffer.slice(end + 2);
      }
      this.waiter?.();
    });
    response.on('end', () => {
      this.ended = true;
      this.waiter?.();
    });
  }

  /** Resolves with the response, whatever its status; read the body of a refusal with text(). */
  static open(url: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
    const request = http.get(url, { headers });
    const opened = new Promise<EventStreamClient>((resolve, reject) => {
      request.once('response', (response) => resolve(new EventStreamClient(request, response)));
      request.once('error', reject);
    });
    return withTimeout(opened, 3000, 'the event stream to answer');
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  /** The next event or comment block, e.g. `data: {"count":1}` or `: keep-alive`. */
  async next(what = 'an event', ms = 3000): Promise<string> {
    while (this.blocks.length === 0) {
      if (this.ended) throw new Error(`the stream ended while waiting for ${what}`);
      await withTimeout(new Promise<void>((resolve) => (this.waiter = resolve)), ms, what);
    }
    return this.blocks.shift()!;
  }

  /** Blocks received and not yet read. */
  get unread(): readonly string[] {
    return this.blocks;
  }

  async untilEnd(ms = 3000): Promise<void> {
    while (!this.ended) await withTimeout(new Promise<void>((resolve) => (this.waiter = resolve)), ms, 'the stream to end');
  }

  close(): void {
    this.request.destroy();
  }
}

export type LogLine = Record<string, unknown>;

/** The JSON log lines a stream carries, as they arrive; a line that is not JSON becomes `{ raw }`. */
export class JsonLines {
  readonly lines: LogLine[] = [];
  private buffer = '';
  private readonly waiters = new Set<() => void>();

  constructor(stream: NodeJS.ReadableStream) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\n')) !== -1) {
        const text = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 1);
        let line: LogLine;
        try {
          line = JSON.parse(text) as LogLine;
        } catch {
          line = { raw: text };
        }
        this.lines.push(line);
      }
      for (const wake of this.waiters) wake();
    });
  }

  /** The first line (already received or yet to come) that `accept` takes; bound it with withTimeout. */
  async find(accept: (line: LogLine) => boolean): Promise<LogLine> {
    for (;;) {
      const found = this.lines.find(accept);
      if (found) return found;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
      });
    }
  }

  get text(): string {
    return this.lines.map((line) => JSON.stringify(line)).join('\n');
  }
}

export function jsonLines(stream: NodeJS.ReadableStream): JsonLines {
  return new JsonLines(stream);
}

/** Ann and Bob in `room`, both sockets open, once Ann's roster lists them both. */
export async function joinPair(server: TestServer, room: string) {
  const ann = await join(server.base, room, 'Ann');
  const bob = await join(server.base, room, 'Bob');
  const annSocket = await connect(ann, server.port);
  const bobSocket = await connect(bob, server.port);
  await rosterWhere(annSocket, (p) => p.members.length === 2);
  return { room, ann, bob, annSocket, bobSocket };
}
