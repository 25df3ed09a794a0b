/**
 * Join click → first remote frame on both pages, 2 peers: peercall's <video-call>, and its core
 * Call on a page without UI, against a plain hand-written PeerJS page on a bare PeerServer,
 * interleaved run by run so all three see the same noise.
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
/**
 * How long A has been in the room when B clicks Join (plus the jitter): 0 clicks as soon as A is
 * in, while A may still be drawing its joined view; `SETTLE_MS=1000` has B join someone who waits.
 */
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 0);

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
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + jitterMs));
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

/** Three set-ups, measured one after the other in every run so that all see the same noise. */
const SETUPS = ['peercall', 'core', 'plain'] as const;
type Setup = (typeof SETUPS)[number];

export async function benchConnect(browser: Browser, peercallUrl: string, bareUrl: string, runs: number) {
  const times: Record<Setup, FirstFrameTimes[]> = { peercall: [], core: [], plain: [] };
  for (let run = 0; run < runs; run++) {
    const room = `bench-${run}-${Math.random().toString(36).slice(2, 8)}`;
    const jitter = frameJitterMs(run, runs);
    const a = await openPage(browser, `${peercallUrl}?room=${room}`);
    const b = await openPage(browser, `${peercallUrl}?room=${room}`);
    times.peercall.push(await measureOnce(a, b, 'widget', async () => (await callState(a)) === 'joined', jitter));
    await Promise.all([a.close(), b.close()]);

    // peercall's core Call without the element: camera and standby ready before the click, as in the element's lobby.
    const coreUrl = `${bareUrl}core-mesh.html?server=${encodeURIComponent(peercallUrl)}&room=core-${room}&lobby=1`;
    const ca = await openPlain(browser, coreUrl);
    const cb = await openPlain(browser, coreUrl);
    times.core.push(await measureOnce(ca, cb, 'core', () => ca.evaluate(() => document.body.dataset.ready === 'true'), jitter));
    await Promise.all([ca.close(), cb.close()]);

    const idA = `a${run}x${Date.now()}`;
    const idB = `b${run}x${Date.now()}`;
    const pa = await openPlain(browser, `${bareUrl}plain-peerjs.html?id=${idA}`);
    const pb = await openPlain(browser, `${bareUrl}plain-peerjs.html?id=${idB}&call=${idA}`);
    times.plain.push(await measureOnce(pa, pb, 'plain', () => pa.evaluate(() => document.body.dataset.ready === 'true'), jitter));
    await Promise.all([pa.close(), pb.close()]);
    const shown = (setup: Setup) => `${setup} ${MEASURES.map((measure) => times[setup][run][measure].toFixed(0)).join('/')}`;
    process.stdout.write(`connect run ${run + 1}/${runs} (ms decoded/on screen/presented): ${SETUPS.map(shown).join(', ')}\n`);
  }
  return Object.fromEntries(
    MEASURES.map((measure) => {
      const samples = Object.fromEntries(SETUPS.map((setup) => [setup, times[setup].map((t) => t[measure])])) as Record<Setup, number[]>;
      const [peercall, core, plain] = SETUPS.map((setup) => summarize(samples[setup]));
      const ratio = (x: { median: number }) => +(x.median / plain.median).toFixed(3);
      return [measure, { peercall, core, plain, ratio: ratio(peercall), coreRatio: ratio(core), samples }];
    }),
  ) as Record<(typeof MEASURES)[number], ConnectFigures>;
}

interface ConnectFigures {
  peercall: ReturnType<typeof summarize>;
  /** The core Call on a page without UI (bench/pages/core-mesh.ts with ?lobby=1). */
  core: ReturnType<typeof summarize>;
  plain: ReturnType<typeof summarize>;
  /** peercall / plain, medians. */
  ratio: number;
  /** core / plain, medians. */
  coreRatio: number;
  samples: Record<Setup, number[]>;
}
