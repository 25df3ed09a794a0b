/**
 * Join click → first remote video frame on both pages, two real Chromium pages on loopback
 * against the real peercall server, plus the size of the widget bundle. Prints a table and writes
 * bench/results/connect.json. Bounded: RUNS runs, each with a 20 s limit.
 *
 * Method: page A is already in a fresh room; at t0 (read in page B) B's Join button is clicked;
 * each page records, with requestVideoFrameCallback, when its first remote frame is presented.
 * The figure is the later of the two, minus t0. Both pages share the machine's clock.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import type { Page } from 'puppeteer-core';
import { callState, clickJoin, eventually, launchChromium, openPage, startPeercall, uniqueRoom } from '../test/e2e/harness.js';

const RUNS = Number(process.env.RUNS ?? 10);
const RUN_TIMEOUT_MS = 20_000;

/** Installs a recorder in the page: the wall-clock time its first remote frame was presented. */
async function recordFirstRemoteFrame(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { firstRemoteFrameAt?: number };
    const poll = setInterval(() => {
      const video = document.querySelector('video-call')?.shadowRoot?.querySelector<HTMLVideoElement>('[part~="remote-tile"] video');
      if (!video) return;
      clearInterval(poll);
      video.requestVideoFrameCallback((now) => (w.firstRemoteFrameAt = performance.timeOrigin + now));
    }, 2);
  });
}

async function firstRemoteFrameAt(page: Page): Promise<number> {
  return eventually(
    () => page.evaluate(() => (window as unknown as { firstRemoteFrameAt?: number }).firstRemoteFrameAt ?? 0),
    (at) => at > 0,
    'a remote frame',
    RUN_TIMEOUT_MS,
  );
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { n: sorted.length, median, min: sorted[0], max: sorted[sorted.length - 1] };
}

async function main() {
  const peercall = await startPeercall();
  const browser = await launchChromium();
  const samples: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const room = uniqueRoom('bench');
      const a = await openPage(browser, `${peercall.url}?room=${room}`);
      const b = await openPage(browser, `${peercall.url}?room=${room}`);
      await clickJoin(a);
      await eventually(() => callState(a), (s) => s === 'joined', 'A to join', RUN_TIMEOUT_MS);
      await Promise.all([recordFirstRemoteFrame(a), recordFirstRemoteFrame(b)]);
      const t0 = await b.evaluate(() => {
        const start = performance.timeOrigin + performance.now();
        document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
        return start;
      });
      const [atA, atB] = await Promise.all([firstRemoteFrameAt(a), firstRemoteFrameAt(b)]);
      samples.push(Math.max(atA, atB) - t0);
      process.stdout.write(`run ${run + 1}/${RUNS}: ${(Math.max(atA, atB) - t0).toFixed(0)} ms\n`);
      await Promise.all([a.close(), b.close()]);
    }
  } finally {
    await browser.close();
    await peercall.server.close();
  }

  const bundle = readFileSync(new URL('../dist/video-call.js', import.meta.url));
  const result = {
    date: new Date().toISOString(),
    connect2PeersMs: stats(samples),
    samplesMs: samples.map((s) => Math.round(s)),
    bundleBytes: { raw: bundle.length, gzip: gzipSync(bundle, { level: 9 }).length, brotli: brotliCompressSync(bundle).length },
  };
  const c = result.connect2PeersMs;
  console.log('\n| measure | median | min | max | n |\n| --- | --- | --- | --- | --- |');
  console.log(`| Join click → first remote frame, 2 peers (ms) | ${c.median.toFixed(0)} | ${c.min.toFixed(0)} | ${c.max.toFixed(0)} | ${c.n} |`);
  console.log(`\nvideo-call.js: ${result.bundleBytes.raw} B raw, ${result.bundleBytes.gzip} B gzip, ${result.bundleBytes.brotli} B brotli`);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/connect.json', import.meta.url), JSON.stringify(result, null, 2));
}

await main();
