import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { eventually, joinDemo, serverAndBrowser, uniqueRoom } from './harness.js';

/** The accessible names of the status icons on the tile of the participant called `name`. */
function tileIcons(page: Page, name: string): Promise<string[]> {
  return page.evaluate((name) => {
    const tiles = document.querySelector('video-call')!.shadowRoot!.querySelectorAll('[part~="tile"]');
    const tile = [...tiles].find((t) => t.querySelector('[part="name"]')?.textContent === name);
    return [...(tile?.querySelectorAll('[part~="status-icon"]') ?? [])].map((icon) => icon.getAttribute('aria-label') ?? '');
  }, name);
}

function press(page: Page, action: string): Promise<void> {
  return page.locator(`video-call >>> call-button[action="${action}"] >>> button:not([disabled])`).setTimeout(10_000).click();
}

describe('peercall end to end: participant status, raised hands and recording across pages', () => {
  const suite = serverAndBrowser();

  it('shows A’s muted microphone, raised hand and recording on B’s page, and gives A a real WebM', async () => {
    const room = uniqueRoom('status');
    const ann = await joinDemo(suite.browser, suite.peercall.url, room, 'Ann');
    const bob = await joinDemo(suite.browser, suite.peercall.url, room, 'Bob');
    await eventually(() => tileIcons(bob, 'Ann'), (icons) => icons.length === 0, 'Bob to see Ann’s tile');

    await press(ann, 'toggle-audio');
    await eventually(() => tileIcons(bob, 'Ann'), (icons) => icons.includes('Microphone off'), 'the muted icon on Bob’s page');

    await press(ann, 'toggle-hand');
    await eventually(() => tileIcons(bob, 'Ann'), (icons) => icons.includes('Hand raised'), 'the hand on Bob’s page');
    await press(bob, 'toggle-participants');
    const listed = () =>
      bob.evaluate(() => {
        const list = document.querySelector('video-call')!.shadowRoot!.querySelector('call-participants');
        return [...(list?.shadowRoot?.querySelectorAll('[part~="participant"]') ?? [])].map((row) =>
          [row.querySelector('.name')?.textContent, ...[...row.querySelectorAll('[part~="status-icon"]')].map((i) => i.getAttribute('aria-label'))].join(' / '),
        );
      });
    assert.deepEqual(
      await eventually(listed, (rows) => rows.length === 2, 'Bob’s participant list'),
      ['Ann / Hand raised / Microphone off', 'Bob (You)'],
    );

    await ann.evaluate(() => {
      const call = document.querySelector('video-call')!;
      call.addEventListener('call-recording-change', ({ detail }) => {
        if (detail.file) (window as unknown as { recording: Blob }).recording = detail.file;
      });
    });
    await press(ann, 'toggle-recording');
    await eventually(() => tileIcons(bob, 'Ann'), (icons) => icons.includes('Recording'), 'the recording icon on Bob’s page');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await press(ann, 'toggle-recording');
    await eventually(() => tileIcons(bob, 'Ann'), (icons) => !icons.includes('Recording'), 'the recording icon to go');
    const file = await eventually(
      () =>
        ann.evaluate(async () => {
          const blob = (window as unknown as { recording?: Blob }).recording;
          if (!blob) return null;
          const head = [...new Uint8Array(await blob.slice(0, 4).arrayBuffer())];
          // MediaRecorder writes no duration into the file: the player finds it by seeking to the end.
          const video = document.createElement('video');
          video.muted = true;
          video.src = URL.createObjectURL(blob);
          await new Promise((resolve) => (video.onloadedmetadata = resolve));
          video.currentTime = Number.MAX_SAFE_INTEGER;
          for (let i = 0; i < 100 && !Number.isFinite(video.duration); i += 1) await new Promise((r) => setTimeout(r, 50));
          return { type: blob.type, size: blob.size, head, duration: video.duration };
        }),
      (found) => found !== null,
      'Ann’s recording',
    );
    assert.equal(file!.type, 'video/webm');
    assert.ok(file!.size > 10_000, `only ${file!.size} bytes`);
    assert.deepEqual(file!.head, [0x1a, 0x45, 0xdf, 0xa3]);
    assert.ok(file!.duration > 1, `duration ${file!.duration}`);
    await Promise.all([ann.close(), bob.close()]);
  });
});
