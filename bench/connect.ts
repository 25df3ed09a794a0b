/**
 * Join click → first remote frame on both pages, 2 peers: peercall's <video-call> against a plain
 * hand-written PeerJS page on a bare PeerServer, interleaved run by run so both see the same noise.
 * Both pages first sit in their pre-join view for a moment, as a visitor does before clicking; then
 * A joins, and once A is in (plus a pause that spreads the runs over the camera's frame interval),
 * B's Join is clicked at t0. The figure is the later of the two pages' first remote frames, minus t0,
 * read three ways (see FirstFrameTimes): decoded, on screen, and presented to the page's script.
 */
import type { Browser, Page } from 'puppeteer-core';
import { callState, eventually, openPage } from '../test/e2e/harness.js';
import {
  allRemoteFramesAt,
  clickJoinAt,
  firstFrameTimes,
  frameJitterMs,
  lobbyReady,
  recordRemoteFrames,
  summarize,
  type FirstFrameTimes,
  type PageKind,
} from './frames.js';

const RUN_TIMEOUT_MS = 20_000;

async function openPlain(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ type: 'window' });
  await page.goto(url);
  return page;
}

async function measureOnce(a: Page, b: Page, kind: PageKind, aIsIn: () => Promise<boolean>, jitterMs: number): Promise<FirstFrameTimes> {
  await Promise.all([lobbyReady(a, kind), lobbyReady(b, kind)]);
  await clickJoinAt(a, kind);
  await eventually(aIsIn, (ok) => ok, 'the first page to be in', RUN_TIMEOUT_MS);
  await Promise.all([recordRemoteFrames(a, kind, 1), recordRemoteFrames(b, kind, 1)]);
  await new Promise((resolve) => setTimeout(resolve, jitterMs));
  const t0 = await clickJoinAt(b, kind);
  await Promise.all([allRemoteFramesAt(a, RUN_TIMEOUT_MS), allRemoteFramesAt(b, RUN_TIMEOUT_MS)]);
  const [atA, atB] = await Promise.all([firstFrameTimes(a), firstFrameTimes(b)]);
  return {
    decoded: Math.max(atA.decoded, atB.decoded) - t0,
    onScreen: Math.max(atA.onScreen, atB.onScreen) - t0,
    presented: Math.max(atA.presented, atB.presented) - t0,
  };
}

const MEASURES = ['decoded', 'onScreen', 'presented'] as const;

export async function benchConnect(browser: Browser, peercallUrl: string, bareUrl: string, runs: number) {
  const peercall: FirstFrameTimes[] = [];
  const plain: FirstFrameTimes[] = [];
  for (let run = 0; run < runs; run++) {
    const room = `bench-${run}-${Math.random().toString(36).slice(2, 8)}`;
    const a = await openPage(browser, `${peercallUrl}?room=${room}`);
    const b = await openPage(browser, `${peercallUrl}?room=${room}`);
    const jitter = frameJitterMs(run, runs);
    peercall.push(await measureOnce(a, b, 'widget', async () => (await callState(a)) === 'joined', jitter));
    await Promise.all([a.close(), b.close()]);

    const idA = `a${run}x${Date.now()}`;
    const idB = `b${run}x${Date.now()}`;
    const pa = await openPlain(browser, `${bareUrl}plain-peerjs.html?id=${idA}`);
    const pb = await openPlain(browser, `${bareUrl}plain-peerjs.html?id=${idB}&call=${idA}`);
    plain.push(await measureOnce(pa, pb, 'plain', () => pa.evaluate(() => document.body.dataset.ready === 'true'), jitter));
    await Promise.all([pa.close(), pb.close()]);
    const shown = (times: FirstFrameTimes) => MEASURES.map((measure) => times[measure].toFixed(0)).join('/');
    process.stdout.write(`connect run ${run + 1}/${runs} (decoded/on screen/presented): peercall ${shown(peercall[run])} ms, plain ${shown(plain[run])} ms\n`);
  }
  return Object.fromEntries(
    MEASURES.map((measure) => {
      const p = summarize(peercall.map((times) => times[measure]));
      const q = summarize(plain.map((times) => times[measure]));
      const samples = { peercall: peercall.map((times) => times[measure]), plain: plain.map((times) => times[measure]) };
      return [measure, { peercall: p, plain: q, ratio: +(p.median / q.median).toFixed(3), samples }];
    }),
  ) as Record<(typeof MEASURES)[number], ConnectFigures>;
}

interface ConnectFigures {
  peercall: ReturnType<typeof summarize>;
  plain: ReturnType<typeof summarize>;
  ratio: number;
  samples: { peercall: number[]; plain: number[] };
}
