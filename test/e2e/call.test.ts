import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import {
  INSECURE_HOST,
  callState,
  clickJoin,
  eventually,
  expectDecodingFromEveryPeer,
  launchChromium,
  openPage,
  remoteNames,
  startPeercall,
  startThirdPartySite,
  uniqueRoom,
  joinDemo as joinDemoPage,
  serverAndBrowser,
} from './harness.js';

describe('peercall end to end: real server, real Chromium pages, fake camera', () => {
  const suite = serverAndBrowser();

  const joinDemo = (room: string, name: string): Promise<Page> => joinDemoPage(suite.browser, suite.peercall.url, room, name);

  it('connects two and then three demo pages in a full mesh, each decoding every other', async () => {
    const room = uniqueRoom();
    const ann = await joinDemo(room, 'Ann');
    const bob = await joinDemo(room, 'Bob');
    await expectDecodingFromEveryPeer(ann, 1, 'Ann');
    await expectDecodingFromEveryPeer(bob, 1, 'Bob');
    assert.deepEqual(await remoteNames(ann), ['Bob']);

    const cat = await joinDemo(room, 'Cat');
    for (const [page, label] of [[ann, 'Ann'], [bob, 'Bob'], [cat, 'Cat']] as const) {
      await expectDecodingFromEveryPeer(page, 2, label);
    }
    assert.deepEqual((await remoteNames(cat)).sort(), ['Ann', 'Bob']);

    // A clean leave (the Leave button) disappears from the others within 3 s.
    await cat.locator('video-call >>> call-button[action="leave"] >>> button').click();
    const leftAt = Date.now();
    for (const page of [ann, bob]) {
      await eventually(() => remoteNames(page), (names) => !names.includes('Cat'), 'Cat to be gone', 3_000);
    }
    assert.ok(Date.now() - leftAt < 3_000);

    // Closing the tab without hanging up counts as a leave too.
    await bob.close();
    await eventually(() => remoteNames(ann), (names) => names.length === 0, 'Bob’s closed tab to be gone', 3_000);
    await Promise.all([ann.close(), cat.close()]);
  });

  it('removes a crashed tab from the others within 10 s', async () => {
    const room = uniqueRoom();
    const ann = await joinDemo(room, 'Ann');
    const bob = await joinDemo(room, 'Bob');
    await eventually(() => remoteNames(ann), (names) => names.length === 1, 'Ann to see Bob');
    const session = await bob.createCDPSession();
    // The crashed renderer never answers this command, so do not wait for a reply.
    void session.send('Page.crash').catch(() => {});
    await eventually(() => remoteNames(ann), (names) => names.length === 0, 'the crashed tab to be gone', 10_000);
    await ann.close();
    await session.detach().catch(() => {});
  });

  it('keeps two rooms apart', async () => {
    const ann = await joinDemo(uniqueRoom('a'), 'Ann');
    const bob = await joinDemo(uniqueRoom('b'), 'Bob');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.deepEqual(await remoteNames(ann), []);
    assert.deepEqual(await remoteNames(bob), []);
    await Promise.all([ann.close(), bob.close()]);
  });

  it('never opens a signaling socket for an id/token pair the server did not mint', async () => {
    const page = await openPage(suite.browser, suite.peercall.url);
    const { id, token } = await page.evaluate(async () => {
      const answer = await fetch('/api/rooms/forgery/join', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }).then((r) => r.json());
      return { id: answer.peerId as string, token: answer.token as string };
    });
    const attempts = [
      { id: 'made-up-id', token: 'made-up-token' },
      { id, token: 'wrong-token' },
      { id: 'made-up-id', token },
    ];
    for (const attempt of attempts) {
      const messages = await page.evaluate(
        ({ id, token }) =>
          new Promise<string[]>((resolve) => {
            const received: string[] = [];
            const url = `${location.origin.replace('http', 'ws')}/peerjs/peerjs?key=peercall&id=${id}&token=${token}`;
            const socket = new WebSocket(url);
            socket.onmessage = (event) => received.push(String(event.data));
            socket.onclose = () => resolve(received);
            setTimeout(() => {
              socket.close();
              resolve(received);
            }, 2_000);
          }),
        attempt,
      );
      assert.ok(!messages.some((m) => m.includes('"OPEN"')), `forged ${JSON.stringify(attempt)} got OPEN`);
    }
    await page.close();
  });

  it('works from a page on another origin with the two-line embed', async () => {
    const room = uniqueRoom('embed');
    const site = await startThirdPartySite({
      '/': `<!doctype html><html lang="en"><title>Someone's site</title>
        <script type="module" src="${suite.peercall.url}video-call.js"></script>
        <video-call room="${room}"></video-call>`,
    });
    try {
      const visitor = await openPage(suite.browser, site.url);
      await clickJoin(visitor);
      await eventually(() => callState(visitor), (s) => s === 'joined', 'the embed to join');
      const host = await joinDemo(room, 'Host');
      await expectDecodingFromEveryPeer(visitor, 1, 'the embedded visitor');
      await expectDecodingFromEveryPeer(host, 1, 'the demo page');
      await Promise.all([visitor.close(), host.close()]);
    } finally {
      await site.close();
    }
  });

  it('explains an insecure page inside the element instead of showing a blank box', async () => {
    const page = await openPage(suite.browser, `http://${INSECURE_HOST}:${suite.peercall.port}/?room=${uniqueRoom()}`);
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    const error = page.evaluate(
      () =>
        new Promise<string>((resolve) =>
          document.querySelector('video-call')!.addEventListener('call-error', (e) => resolve(e.detail.type)),
        ),
    );
    await clickJoin(page);
    assert.equal(await error, 'insecure-context');
    const text = await page.evaluate(() => document.querySelector('video-call')!.shadowRoot!.textContent ?? '');
    assert.match(text, /secure page/);
    await page.close();
  });
});

describe('peercall end to end: camera and microphone permission denied', () => {
  it('says how to allow access and fires call-error', async () => {
    const peercall = await startPeercall();
    const browser = await launchChromium(['--use-fake-ui-for-media-stream=deny']);
    try {
      const page = await openPage(browser, `${peercall.url}?room=${uniqueRoom()}`);
      const error = page.evaluate(
        () =>
          new Promise<string>((resolve) =>
            document.querySelector('video-call')!.addEventListener('call-error', (e) => resolve(e.detail.type)),
          ),
      );
      await clickJoin(page);
      assert.equal(await error, 'media-denied');
      const text = await page.evaluate(() => document.querySelector('video-call')!.shadowRoot!.textContent ?? '');
      assert.match(text, /access is blocked/);
      assert.equal(await callState(page), 'error');
    } finally {
      await browser.close();
      await peercall.server.close();
    }
  });
});
