import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { eventually, joinDemo, launchChromium, startPeercall, uniqueRoom } from './harness.js';

interface Recorded {
  type: string;
  at: number;
  detail: Record<string, unknown>;
}

/** Starts recording the element's chat and file events in the page. */
function record(page: Page): Promise<void> {
  return page.evaluate(() => {
    const seen: unknown[] = [];
    (window as unknown as { __chatEvents: unknown[] }).__chatEvents = seen;
    const el = document.querySelector('video-call')!;
    for (const type of ['call-chat-message', 'call-file-progress', 'call-file-received']) {
      el.addEventListener(type, (event) => seen.push({ type, at: Date.now(), detail: (event as CustomEvent).detail }));
    }
  });
}

function recorded(page: Page): Promise<Recorded[]> {
  return page.evaluate(() => (window as unknown as { __chatEvents: Recorded[] }).__chatEvents);
}

/** Peer ids the page has an open data link with. */
function linkedPeers(page: Page): Promise<number> {
  return page.evaluate(
    () => document.querySelector('video-call')!.shadowRoot!.querySelector('call-chat')?.call?.data?.connected.length ?? 0,
  );
}

async function openChat(page: Page): Promise<void> {
  // Asked of the page until the joined view shows the button: a locator started while that view
  // was still held back (its offers waiting for answers) did not see the button appear inside the
  // element's shadow root, and timed out with the button on screen.
  await eventually(
    () =>
      page.evaluate(
        () =>
          !!document
            .querySelector('video-call')
            ?.shadowRoot?.querySelector('call-button[action="toggle-chat"]')
            ?.shadowRoot?.querySelector('button:not([disabled])'),
      ),
    (shown) => shown,
    'the Chat button',
  );
  await page.locator('video-call >>> call-button[action="toggle-chat"] >>> button:not([disabled])').setTimeout(10_000).click();
}

describe('chat and files between two real pages (built widget, real server)', () => {
  let peercall: Awaited<ReturnType<typeof startPeercall>>;
  let browser: Browser;
  let dir: string;

  before(async () => {
    peercall = await startPeercall();
    browser = await launchChromium();
    dir = await mkdtemp(join(tmpdir(), 'peercall-chat-'));
  });

  after(async () => {
    await browser?.close();
    await peercall?.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('carries a message and a 5 MB file byte for byte with progress on both sides, and hands a latecomer the history', async () => {
    const room = uniqueRoom('chat');
    const ann = await joinDemo(browser, peercall.url, room, 'Ann');
    const bob = await joinDemo(browser, peercall.url, room, 'Bob');
    await Promise.all([record(ann), record(bob)]);
    await eventually(() => linkedPeers(ann), (n) => n === 1, 'Ann’s data link to Bob');

    await openChat(ann);
    await ann.locator('video-call >>> call-chat >>> textarea').fill('Hello from Ann');
    await ann.keyboard.press('Enter');
    const message = await eventually(
      () => recorded(bob),
      (events) => events.some((e) => e.type === 'call-chat-message'),
      'Bob to get the message',
    );
    assert.deepEqual(
      (({ name, text, local, history }) => ({ name, text, local, history }))(message[0].detail),
      { name: 'Ann', text: 'Hello from Ann', local: false, history: false },
    );

    const bytes = randomBytes(5 * 1024 * 1024);
    const path = join(dir, 'five-megabytes.bin');
    await writeFile(path, bytes);
    const input = await ann.$('video-call >>> call-chat >>> input[type="file"]');
    assert.ok(input, 'the Send a file input');
    await input.uploadFile(path);
    const received = await eventually(
      () => recorded(bob),
      (events) => events.some((e) => e.type === 'call-file-received'),
      'Bob to receive the file',
      30_000,
    );
    const file = received.find((e) => e.type === 'call-file-received')!;
    assert.equal(file.detail.fileName, 'five-megabytes.bin');
    assert.equal(file.detail.size, bytes.length);
    const digest = await bob.evaluate(async (url: string) => {
      const data = await (await fetch(url)).arrayBuffer();
      return [...new Uint8Array(await crypto.subtle.digest('SHA-256', data))].map((b) => b.toString(16).padStart(2, '0')).join('');
    }, file.detail.url as string);
    assert.equal(digest, createHash('sha256').update(bytes).digest('hex'));

    const sent = (await recorded(ann)).filter((e) => e.type === 'call-file-progress' && e.detail.fileName === 'five-megabytes.bin');
    const got = received.filter((e) => e.type === 'call-file-progress' && e.detail.fileName === 'five-megabytes.bin');
    for (const [side, events] of [['sender', sent], ['receiver', got]] as const) {
      const partial = events.filter((e) => (e.detail.bytes as number) > 0 && (e.detail.bytes as number) < bytes.length);
      assert.ok(partial.length >= 10, `${side}: progress on the way (${partial.length} events)`);
      assert.equal(events.at(-1)!.detail.status, 'done', `${side}: done`);
    }
    const elapsed = file.at - sent[0].at;
    console.log(`5 MB between two pages on loopback: ${elapsed} ms (${(5 / (elapsed / 1000)).toFixed(1)} MB/s)`);

    // A latecomer gets what was said before.
    await openChat(bob);
    await bob.locator('video-call >>> call-chat >>> textarea').fill('And Bob');
    await bob.keyboard.press('Enter');
    const cat = await joinDemo(browser, peercall.url, room, 'Cat');
    await openChat(cat);
    const log = () =>
      cat.evaluate(() =>
        [...document.querySelector('video-call')!.shadowRoot!.querySelector('call-chat')!.shadowRoot!.querySelectorAll('[part="message"]')].map(
          (li) => `${li.querySelector('[part="message-name"]')!.textContent}: ${li.querySelector('[part="message-text"]')!.textContent}`,
        ),
      );
    await eventually(log, (lines) => lines.length === 2, 'Cat to get the history');
    assert.deepEqual(await log(), ['Ann: Hello from Ann', 'Bob: And Bob']);
    await Promise.all([ann.close(), bob.close(), cat.close()]);
  });
});
