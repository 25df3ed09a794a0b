import type { Page } from 'puppeteer-core';
import { eventually } from '../test/e2e/harness.js';

/**
 * Where a page keeps its remote <video>s: inside <video-call>'s shadow root, or in the light DOM
 * (the plain PeerJS page, and `core`: bench/pages/core-mesh.ts with `?lobby=1`).
 */
export type PageKind = 'widget' | 'plain' | 'core';

/**
 * Installs a recorder that notes, with requestVideoFrameCallback, each remote video's first frame
 * (see FirstFrame); install it before any remote video exists. `allRemoteFramesAt` is set once
 * `expected` videos have one: the latest of their `presented` times.
 */
export async function recordRemoteFrames(page: Page, kind: PageKind, expected: number): Promise<void> {
  await page.evaluate(
    (kind, expected) => {
      const w = window as unknown as { firstFrames: FirstFrame[]; allRemoteFramesAt?: number };
      w.firstFrames = [];
      const seen = new WeakSet<HTMLVideoElement>();
      // Watched with a MutationObserver rather than polled, so the recorder's own cost does not grow
      // with the page's DOM (the widget's shadow tree is larger than the plain page). Its callback
      // runs in the same task as the insertion, before the video can present anything.
      // No named inner functions: tsx would wrap them in a helper that does not exist in the page.
      const root = kind === 'widget' ? document.querySelector('video-call')!.shadowRoot! : document.body;
      const selector = kind === 'widget' ? '[part~="remote-tile"] video' : 'video.remote';
      const observer = new MutationObserver(() => {
        for (const video of root.querySelectorAll<HTMLVideoElement>(selector)) {
          if (seen.has(video)) continue;
          seen.add(video);
          video.requestVideoFrameCallback((now, meta) => {
            const origin = performance.timeOrigin;
            // A WebRTC frame carries when its last packet came and how long decoding took after that.
            const received = meta.receiveTime === undefined ? Number.NaN : origin + meta.receiveTime;
            w.firstFrames.push({
              received,
              decoded: received + (meta.processingDuration ?? 0) * 1000,
              onScreen: origin + meta.expectedDisplayTime,
              presented: origin + now,
            });
            if (w.firstFrames.length === expected) {
              w.allRemoteFramesAt = Math.max(...w.firstFrames.map((frame) => frame.presented));
              observer.disconnect();
            }
          });
        }
      });
      observer.observe(root, { childList: true, subtree: true });
    },
    kind,
    expected,
  );
}

/**
 * One remote video's first frame (wall clock, ms): `received` (its last packet), `decoded` (plus
 * its decode time; both from the frame's own metadata), `onScreen` (the compositor's expected
 * display time: Chromium draws video frames without the page's main thread) and `presented` (the
 * requestVideoFrameCallback's time, when the page's main thread got to the frame).
 */
export interface FirstFrame {
  received: number;
  decoded: number;
  onScreen: number;
  presented: number;
}

/** The first frames a page's recorder has noted, one per remote video. */
export async function firstFrames(page: Page): Promise<FirstFrame[]> {
  return page.evaluate(() => (window as unknown as { firstFrames: FirstFrame[] }).firstFrames);
}

/** When the last of a page's remote videos had its first frame, three ways (see FirstFrame). */
export type FirstFrameTimes = Omit<FirstFrame, 'received'>;

export async function firstFrameTimes(page: Page): Promise<FirstFrameTimes> {
  const frames = await firstFrames(page);
  const latest = (key: keyof FirstFrameTimes) => Math.max(...frames.map((frame) => frame[key]));
  return { decoded: latest('decoded'), onScreen: latest('onScreen'), presented: latest('presented') };
}

export async function allRemoteFramesAt(page: Page, timeoutMs: number): Promise<number> {
  return eventually(
    () => page.evaluate(() => (window as unknown as { allRemoteFramesAt?: number }).allRemoteFramesAt ?? 0),
    (at) => at > 0,
    'every remote video to present a frame',
    timeoutMs,
  );
}

/**
 * Chromium for the benchmarks: its fake camera at 30 frames a second, as a webcam delivers them.
 * Left at its default of 20, its 50 ms between frames decides much of a first-frame time: the
 * first frame goes out with the camera's next frame once the connection is up.
 */
export const BENCH_CHROMIUM_ARGS = ['--use-fake-device-for-media-stream=fps=30'];

/**
 * A pause before the measured click, different in every run and the same for both set-ups of a
 * run: where a run falls in the camera's frame interval then varies evenly, instead of favouring
 * whichever set-up happens to click at a good moment every time.
 */
export function frameJitterMs(run: number, runs: number): number {
  return ((run + 0.5) / runs) * (1000 / 30);
}

/** How long a page sits in its pre-join view before Join: the moment a visitor takes to look and click. */
export const LOBBY_MS = 1000;

/**
 * Waits until the page shows its pre-join view as a visitor sees it before clicking Join: for
 * `<video-call>` the camera preview is live, for the core page its camera and standby are ready;
 * then LOBBY_MS more, for every kind of page.
 */
export async function lobbyReady(page: Page, kind: PageKind): Promise<void> {
  if (kind === 'widget') {
    await page.waitForFunction(
      () => document.querySelector('video-call')?.shadowRoot?.querySelector('[part="preview"]')?.getAttribute('data-status') === 'live',
      { timeout: 10_000 },
    );
  } else if (kind === 'core') {
    await page.waitForFunction(() => document.body.dataset.lobby === 'ready', { timeout: 10_000 });
  }
  await new Promise((resolve) => setTimeout(resolve, LOBBY_MS));
}

/** Clicks the page's Join button from inside the page and returns the wall-clock time of the click. */
export async function clickJoinAt(page: Page, kind: PageKind): Promise<number> {
  return page.evaluate((kind) => {
    const button =
      kind === 'widget'
        ? document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLButtonElement>('[part="join-button"]')!
        : document.querySelector<HTMLButtonElement>('#join')!;
    const at = performance.timeOrigin + performance.now();
    button.click();
    return at;
  }, kind);
}

export function summarize(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { n: sorted.length, median: Math.round(median), min: Math.round(sorted[0]), max: Math.round(sorted[sorted.length - 1]) };
}
