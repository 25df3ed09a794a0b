/**
 * Join click → first remote frame on both pages, 2 peers: peercall's <video-call> against a plain
 * hand-written PeerJS page on a bare PeerServer, interleaved run by run so both see the same noise.
 * Both pages first sit in their pre-join view for a moment, as a visitor does before clicking; then
 * A joins, and once A is in (plus a pause that spreads the runs over the camera's frame interval),
 * B's Join is clicked at t0. The figure is the later of the two pages' first remote frames, minus t0.
 */
import type { Browser, Page } from 'puppeteer-core';
import { callState, eventually, openPage } from '../test/e2e/harness.js';
import { allRemoteFramesAt, clickJoinAt, frameJitterMs, lobbyReady, recordRemoteFrames, summarize, type PageKind } from './frames.js';

const RUN_TIMEOUT_MS = 20_000;

async function openPlain(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ type: 'window' });
  await page.goto(url);
  return page;
}

async function measureOnce(a: Page, b: Page, kind: PageKind, aIsIn: () => Promise<boolean>, jitterMs: number): Promise<number> {
  await Promise.all([lobbyReady(a, kind), lobbyReady(b, kind)]);
  await clickJoinAt(a, kind);
  await eventually(aIsIn, (ok) => ok, 'the first page to be in', RUN_TIMEOUT_MS);
  await Promise.all([recordRemoteFrames(a, kind, 1), recordRemoteFrames(b, kind, 1)]);
  await new Promise((resolve) => setTimeout(resolve, jitterMs));
  const t0 = await clickJoinAt(b, kind);
  const [atA, atB] = await Promise.all([allRemoteFramesAt(a, RUN_TIMEOUT_MS), allRemoteFramesAt(b, RUN_TIMEOUT_MS)]);
  return Math.max(atA, atB) - t0;
}

export async function benchConnect(browser: Browser, peercallUrl: string, bareUrl: string, runs: number) {
  const peercall: number[] = [];
  const plain: number[] = [];
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
    process.stdout.write(`connect run ${run + 1}/${runs}: peercall ${peercall[run].toFixed(0)} ms, plain ${plain[run].toFixed(0)} ms\n`);
  }
  const p = summarize(peercall);
  const q = summarize(plain);
  return { peercall: p, plain: q, ratio: +(p.median / q.median).toFixed(3), samples: { peercall, plain } };
}
