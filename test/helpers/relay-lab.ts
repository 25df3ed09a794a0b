import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { ensureCoturn, startCoturn, type Coturn } from '../security/coturn.js';
import { startUdpImpairProxy, type UdpImpairProxy } from './udp-impair-proxy.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const READY_TIMEOUT_MS = 15_000;

/**
 * The peercall CLI as a child process (`node --import tsx server/cli.ts`) on a fixed port, with a
 * fixed secret and state dir, so that a test can kill it (even with SIGKILL) and start it again on
 * the same port and have the browsers' resume tickets still work.
 */
export interface PeercallProcess {
  readonly port: number;
  /** http://127.0.0.1:<port>/ */
  readonly url: string;
  readonly running: boolean;
  /** The server's output so far (JSON log lines and any stderr), for failure messages. */
  output(): string;
  /** Sends `signal` and waits (at most 6 s) for the process to exit; returns its exit code. */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  /** Starts it again on the same port, with the same arguments; resolves once /healthz answers. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface PeercallProcessOptions {
  /** Default: a free one. */
  port?: number;
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

export async function startPeercallProcess({ port, args = [], env = {} }: PeercallProcessOptions = {}): Promise<PeercallProcess> {
  const fixedPort = port ?? (await freeTcpPort());
  const stateDir = mkdtempSync(path.join(tmpdir(), 'peercall-lab-state-'));
  const secret = randomBytes(32).toString('hex');
  const url = `http://127.0.0.1:${fixedPort}/`;
  let child: ChildProcess | undefined;
  let log = '';

  const start = async () => {
    const spawned = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'server/cli.ts',
        '--port',
        String(fixedPort),
        '--host',
        '127.0.0.1',
        '--secret',
        secret,
        '--state-dir',
        stateDir,
        '--log-level',
        'warn',
        ...args,
      ],
      // A clean environment, so that the developer's PORT and PEERCALL_* cannot leak in.
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = spawned;
    spawned.stdout!.on('data', (chunk) => (log += chunk));
    spawned.stderr!.on('data', (chunk) => (log += chunk));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (spawned.exitCode !== null) throw new Error(`peercall exited with ${spawned.exitCode}:\n${log}`);
      if (Date.now() > deadline) throw new Error(`peercall did not answer /healthz within ${READY_TIMEOUT_MS} ms:\n${log}`);
      const ok = await fetch(`${url}healthz`, { signal: AbortSignal.timeout(1000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return current?.exitCode ?? null;
    const exited = once(current, 'exit');
    current.kill(signal);
    const killer = setTimeout(() => current.kill('SIGKILL'), 6000);
    const [code] = (await exited) as [number | null];
    clearTimeout(killer);
    return code;
  };

  await start();
  return {
    port: fixedPort,
    url,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    output: () => log,
    kill,
    async restart() {
      await kill('SIGKILL');
      await start();
    },
    async stop() {
      await kill('SIGKILL');
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * Everything a relay-only call under impairment needs: coturn on loopback (use-auth-secret), the
 * impairment proxy in front of its UDP port, and a peercall server (a child process) that hands
 * out TURN credentials for `turn:127.0.0.1:<proxy port>?transport=udp`. Browsers that send media
 * only through TURN then send every packet through the proxy, in both directions.
 */
export interface RelayLab {
  coturn: Coturn;
  proxy: UdpImpairProxy;
  server: PeercallProcess;
  stop(): Promise<void>;
}

export async function startRelayLab({ serverArgs = [] }: { serverArgs?: string[] } = {}): Promise<RelayLab> {
  ensureCoturn();
  const turnSecret = randomBytes(24).toString('hex');
  const coturn = await startCoturn(turnSecret, 'peercall.lab');
  let proxy: UdpImpairProxy | undefined;
  try {
    proxy = await startUdpImpairProxy({ target: { host: '127.0.0.1', port: coturn.port } });
    const server = await startPeercallProcess({
      args: ['--turn-urls', `turn:127.0.0.1:${proxy.port}?transport=udp`, '--turn-secret', turnSecret, ...serverArgs],
    });
    const started = proxy;
    return {
      coturn,
      proxy: started,
      server,
      async stop() {
        await server.stop();
        await started.close();
        await coturn.stop();
      },
    };
  } catch (error) {
    await proxy?.close();
    await coturn.stop();
    throw error;
  }
}

export async function freeTcpPort(): Promise<number> {
  const probe = net.createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// ---------------------------------------------------------------------------------------------
// Pages in the lab: a third-party page with one <video-call>, and what a test reads from it.

/**
 * A page (for harness.startThirdPartySite) with one <video-call> for `serverUrl`, set up from its
 * query: `room`, `name`, `relay` (media through TURN only), `autojoin`. Every `call-state-change`
 * is recorded with its time in `window.__states`.
 */
export function labPageHtml(serverUrl: string): string {
  return `<!doctype html><html lang="en"><title>peercall fault lab</title>
<script type="module" src="${serverUrl}video-call.js"></script>
<script>
  window.__states = [];
  document.addEventListener('call-state-change', (event) => window.__states.push({ state: event.detail.state, at: Date.now() }));
</script>
<script type="module">
  const query = new URLSearchParams(location.search);
  const call = document.createElement('video-call');
  call.setAttribute('server', ${JSON.stringify(serverUrl)});
  call.setAttribute('room', query.get('room'));
  call.setAttribute('name', query.get('name'));
  if (query.has('relay')) call.setAttribute('relay-only', '');
  if (query.has('autojoin')) call.setAttribute('autojoin', '');
  document.body.append(call);
</script>`;
}

type PageLike = Pick<Page, 'evaluate'>;

export interface StateChange {
  state: string;
  at: number;
}

export function stateHistory(page: PageLike): Promise<StateChange[]> {
  return page.evaluate(() => (window as unknown as { __states: StateChange[] }).__states.slice());
}

/** Per open RTCPeerConnection of the page (harness.openPage records them): inbound video figures. */
export interface InboundVideo {
  /** Which of the page's connections, in order of creation: stable while the page lives. */
  index: number;
  connectionState: string;
  bytesReceived: number;
  framesDecoded: number;
  /** Candidate types of the selected pair, e.g. `relay`/`relay`; undefined before one is selected. */
  local: string | undefined;
  remote: string | undefined;
}

export function inboundVideo(page: PageLike): Promise<InboundVideo[]> {
  return page.evaluate(async () => {
    const all = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const open = all.map((pc, index) => ({ pc, index })).filter(({ pc }) => pc.connectionState !== 'closed');
    return Promise.all(
      open.map(async ({ pc, index }) => {
        const stats = await pc.getStats();
        let bytesReceived = 0;
        let framesDecoded = 0;
        let pairId: string | undefined;
        const byId = new Map<string, Record<string, unknown>>();
        stats.forEach((report: Record<string, unknown>) => {
          byId.set(report.id as string, report);
          if (report.type === 'inbound-rtp' && report.kind === 'video') {
            bytesReceived += (report.bytesReceived as number | undefined) ?? 0;
            framesDecoded += (report.framesDecoded as number | undefined) ?? 0;
          }
          if (report.type === 'transport' && typeof report.selectedCandidatePairId === 'string') pairId = report.selectedCandidatePairId;
        });
        const pair = pairId === undefined ? undefined : byId.get(pairId);
        const local = pair === undefined ? undefined : (byId.get(pair.localCandidateId as string)?.candidateType as string | undefined);
        const remote = pair === undefined ? undefined : (byId.get(pair.remoteCandidateId as string)?.candidateType as string | undefined);
        return { index, connectionState: pc.connectionState, bytesReceived, framesDecoded, local, remote };
      }),
    );
  });
}

/** RTCPeerConnections of the page that are not closed. */
export function openConnectionCount(page: PageLike): Promise<number> {
  return page.evaluate(
    () => (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.filter((pc) => pc.connectionState !== 'closed').length,
  );
}

/** How many are connected in `room`, as the server's presence stream says (its first event). */
export async function presenceCount(serverUrl: string, room: string): Promise<number> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    const response = await fetch(`${serverUrl}api/rooms/${room}/presence`, { signal: controller.signal });
    const reader = response.body!.getReader();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`presence stream of ${room} ended without an event`);
      text += new TextDecoder().decode(value);
      const match = /data: (\{[^\n]*\})\n\n/.exec(text);
      if (match) return (JSON.parse(match[1]!) as { count: number }).count;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
