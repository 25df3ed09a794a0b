/**
 * Mesh figures. Join time: N <video-call> pages, their lobbies ready (see `lobbyReady`), click Join
 * together; the figure is from the first click until every page presents a frame from every other
 * page. Load: N pages on peercall's core with the governor on or off, measured over a fixed window
 * once the mesh is up: renderer CPU per page (Chromium's own per-process CPU time) and frames per
 * second received per remote video.
 */
import type { Browser, Page } from 'puppeteer-core';
import { openPage } from '../test/e2e/harness.js';
import { allRemoteFramesAt, clickJoinAt, lobbyReady, recordRemoteFrames, summarize } from './frames.js';

const RUN_TIMEOUT_MS = 30_000;
const LOAD_WINDOW_MS = 8_000;
const SETTLE_MS = 3_000;

const room = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

export async function benchMeshJoin(browser: Browser, peercallUrl: string, sizes: number[], runs: number) {
  const result: Record<string, ReturnType<typeof summarize>> = {};
  for (const size of sizes) {
    const samples: number[] = [];
    for (let run = 0; run < runs; run++) {
      const name = room(`mesh${size}`);
      const pages: Page[] = [];
      for (let i = 0; i < size; i++) pages.push(await openPage(browser, `${peercallUrl}?room=${name}`));
      await Promise.all(pages.map((page) => lobbyReady(page, 'widget')));
      await Promise.all(pages.map((page) => recordRemoteFrames(page, 'widget', size - 1)));
      const clicks: number[] = [];
      for (const page of pages) clicks.push(await clickJoinAt(page, 'widget'));
      const done = await Promise.all(pages.map((page) => allRemoteFramesAt(page, RUN_TIMEOUT_MS)));
      samples.push(Math.max(...done) - Math.min(...clicks));
      await Promise.all(pages.map((page) => page.close()));
    }
    result[`${size} peers`] = summarize(samples);
    process.stdout.write(`mesh ${size}: ${JSON.stringify(result[`${size} peers`])}\n`);
  }
  return result;
}

/** Sum of CPU seconds used so far by all renderer processes of the browser. */
async function rendererCpuSeconds(browser: Browser): Promise<number> {
  const session = await browser.target().createCDPSession();
  try {
    const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as {
      processInfo: { type: string; cpuTime: number }[];
    };
    return processInfo.filter((p) => p.type === 'renderer').reduce((sum, p) => sum + p.cpuTime, 0);
  } finally {
    await session.detach();
  }
}

async function framesPresented(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLVideoElement>('video.remote')].map((v) => v.getVideoPlaybackQuality().totalVideoFrames),
  );
}

export async function benchMeshLoad(browser: Browser, peercallUrl: string, bareUrl: string, sizes: number[]) {
  const rows: { peers: number; governor: boolean; cpuPercentPerPage: number; receivedFps: number }[] = [];
  for (const size of sizes) {
    for (const governor of [true, false]) {
      const name = room(`load${size}`);
      const url = `${bareUrl}core-mesh.html?server=${encodeURIComponent(peercallUrl)}&room=${name}&governor=${governor ? 1 : 0}`;
      const pages: Page[] = [];
      for (let i = 0; i < size; i++) {
        const page = await browser.newPage({ type: 'window' });
        await page.goto(url);
        pages.push(page);
      }
      await Promise.all(pages.map((page) => recordRemoteFrames(page, 'plain', size - 1)));
      for (const page of pages) await clickJoinAt(page, 'plain');
      await Promise.all(pages.map((page) => allRemoteFramesAt(page, RUN_TIMEOUT_MS)));
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const cpuBefore = await rendererCpuSeconds(browser);
      const framesBefore = await Promise.all(pages.map(framesPresented));
      const started = Date.now();
      await new Promise((resolve) => setTimeout(resolve, LOAD_WINDOW_MS));
      const cpuAfter = await rendererCpuSeconds(browser);
      const framesAfter = await Promise.all(pages.map(framesPresented));
      const seconds = (Date.now() - started) / 1000;
      const perVideoFps = framesAfter.flatMap((counts, p) => counts.map((n, v) => (n - (framesBefore[p][v] ?? 0)) / seconds));
      rows.push({
        peers: size,
        governor,
        cpuPercentPerPage: +(((cpuAfter - cpuBefore) / seconds / size) * 100).toFixed(1),
        receivedFps: +(perVideoFps.reduce((a, b) => a + b, 0) / perVideoFps.length).toFixed(1),
      });
      process.stdout.write(`load ${size} peers, governor ${governor ? 'on' : 'off'}: ${JSON.stringify(rows.at(-1))}\n`);
      await Promise.all(pages.map((page) => page.close()));
    }
  }
  return rows;
}
