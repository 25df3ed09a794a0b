import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { createPeercallServer, parseConfig } from '../../server/index.js';
import { chromiumArgs, chromiumPath } from '../helpers/chromium.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Host name that resolves to 127.0.0.1 but is not a secure context (only localhost/127.0.0.1 are). */
export const INSECURE_HOST = 'insecure.test';

/** The real peercall server with the built widget and the demo, on an ephemeral loopback port. */
export async function startPeercall() {
  const server = createPeercallServer(parseConfig(['--port', '0', '--host', '127.0.0.1'], {}), {
    widgetDir: `${root}dist/`,
    demoDir: `${root}demo/`,
  });
  const { port } = await server.listen();
  return { server, port, url: `http://127.0.0.1:${port}/` };
}

/**
 * A peercall server and a Chromium for the tests of the enclosing suite: started before its first
 * test, closed after its last. Read them through the returned object once the tests run.
 */
export function serverAndBrowser(): { readonly peercall: Awaited<ReturnType<typeof startPeercall>>; readonly browser: Browser } {
  const suite = {} as { peercall: Awaited<ReturnType<typeof startPeercall>>; browser: Browser };
  before(async () => {
    suite.peercall = await startPeercall();
    suite.browser = await launchChromium();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.peercall?.server.close();
  });
  return suite;
}

/** A page of a third-party site: its HTML, and extra response headers such as a Content-Security-Policy. */
export interface SitePage {
  body: string;
  headers: Record<string, string>;
}

/** A plain web server on another port: a third-party site that embeds the widget. */
export async function startThirdPartySite(
  pages: Record<string, string | SitePage>,
): Promise<{ url: string; close(): Promise<void> }> {
  const site: Server = createServer((req, res) => {
    const page = pages[new URL(req.url ?? '/', 'http://x').pathname];
    const { body, headers } = typeof page === 'string' ? { body: page, headers: {} } : (page ?? { body: '', headers: {} });
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(body || 'not found');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const { port } = site.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        site.close(() => resolve());
        // The browser keeps idle keep-alive connections open; do not wait for it to drop them.
        site.closeAllConnections();
      }),
  };
}

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: chromiumArgs([`--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`, ...extraArgs]),
  });
}

/**
 * Opens a page that records every RTCPeerConnection it creates, so the test can read real
 * getStats() figures from the page's own connections (the connections themselves are untouched).
 * `__peerConnections` lists those that carry media: PeerJS gives each data connection (chat,
 * files) a connection of its own, without transceivers, and the media figures leave those out.
 * `beforeLoad` runs before navigation, e.g. to add more scripts with evaluateOnNewDocument.
 */
export async function openPage(
  browser: Browser,
  url: string,
  beforeLoad: (page: Page) => Promise<unknown> = async () => {},
): Promise<Page> {
  // Its own window, so every page is visible and renders like a user's foreground tab (a background
  // tab would get no animation frames, and its timers would be throttled).
  const page = await browser.newPage({ type: 'window' });
  await beforeLoad(page);
  await page.evaluateOnNewDocument(() => {
    const Native = window.RTCPeerConnection;
    const created: { pc: RTCPeerConnection; at: number }[] = [];
    Object.defineProperties(window, {
      // Methods, not `get: () => …`: tsx names such arrows with a helper the page does not have.
      __peerConnections: {
        get() {
          return created.map(({ pc }) => pc).filter((pc) => pc.getTransceivers().length > 0);
        },
      },
      /** Every connection the page made, with when (performance.now()). */
      __peerConnectionsMade: {
        get() {
          return [...created];
        },
      },
    });
    window.RTCPeerConnection = class extends Native {
      constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
        super(...args);
        created.push({ pc: this, at: performance.now() });
      }
    };
  });
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('video-call') !== undefined, { timeout: 10_000 });
  return page;
}

/** Opens the peercall server's demo page in `room`, types `name` and joins like a user would. */
export async function joinDemo(browser: Browser, serverUrl: string, room: string, name: string): Promise<Page> {
  const page = await openPage(browser, `${serverUrl}?room=${room}`);
  await page.locator('video-call >>> [part="name-input"]').fill(name);
  await clickJoin(page);
  await eventually(() => callState(page), (s) => s === 'joined', `${name} to join`);
  return page;
}

/** Clicks the element's Join button like a user would. */
export async function clickJoin(page: Page): Promise<void> {
  await page.locator('video-call >>> [part="join-button"]').setTimeout(10_000).click();
}

export async function callState(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector('video-call')!.state);
}

/** Remote participants' names as the page shows them. */
export async function remoteNames(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelector('video-call')!.shadowRoot!.querySelectorAll('[part~="remote-tile"] [part="name"]')].map(
      (node) => node.textContent ?? '',
    ),
  );
}

/** Video frames decoded so far on each of the page's open peer connections. */
export async function framesDecodedPerConnection(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const all = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const open = all.filter((pc) => pc.connectionState !== 'closed' && pc.connectionState !== 'failed');
    return Promise.all(
      open.map(async (pc) => {
        let frames = 0;
        (await pc.getStats()).forEach((report: { type: string; kind?: string; framesDecoded?: number }) => {
          if (report.type === 'inbound-rtp' && report.kind === 'video') frames += report.framesDecoded ?? 0;
        });
        return frames;
      }),
    );
  });
}

/** Polls `probe` until `accept` holds, failing with `what` after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/**
 * Asserts that every one of the page's `expected` connections decodes video and keeps decoding:
 * each count is above zero and rises between two readings.
 */
export async function expectDecodingFromEveryPeer(page: Page, expected: number, label: string): Promise<void> {
  const first = await eventually(
    () => framesDecodedPerConnection(page),
    (counts) => counts.length === expected && counts.every((n) => n > 0),
    `${label} to decode video on ${expected} connection(s)`,
  );
  await eventually(
    () => framesDecodedPerConnection(page),
    (counts) => counts.length === expected && counts.every((n, i) => n > first[i]),
    `${label}'s decoded frame counts to keep rising`,
    5_000,
  );
}

export function uniqueRoom(prefix = 'e2e'): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/** The real peercall server like startPeercall(), with extra command-line options (token rooms, TURN, limits). */
export async function startPeercallWith(args: string[]) {
  const server = createPeercallServer(parseConfig(['--port', '0', '--host', '127.0.0.1', ...args], {}), {
    widgetDir: `${root}dist/`,
    demoDir: `${root}demo/`,
  });
  const { port } = await server.listen();
  return { server, port, url: `http://127.0.0.1:${port}/` };
}

/**
 * The candidate types of the selected pair of each of the page's connected peer connections,
 * from getStats(): `host`, `srflx`, `prflx` or `relay` on our side and on theirs.
 */
export async function selectedCandidateTypes(page: Page): Promise<{ local: string; remote: string }[]> {
  return page.evaluate(async () => {
    const all = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const connected = all.filter((pc) => pc.connectionState === 'connected');
    return Promise.all(
      connected.map(async (pc) => {
        const reports = new Map<string, Record<string, unknown>>();
        (await pc.getStats()).forEach((report: Record<string, unknown>) => reports.set(report.id as string, report));
        const transport = [...reports.values()].find((r) => r.type === 'transport' && r.selectedCandidatePairId);
        const pair = transport ? reports.get(transport.selectedCandidatePairId as string) : undefined;
        const local = pair ? reports.get(pair.localCandidateId as string) : undefined;
        const remote = pair ? reports.get(pair.remoteCandidateId as string) : undefined;
        return { local: String(local?.candidateType ?? 'none'), remote: String(remote?.candidateType ?? 'none') };
      }),
    );
  });
}
