import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { callState, clickJoin, eventually, expectDecodingFromEveryPeer, openPage, serverAndBrowser, uniqueRoom } from './harness.js';

/** While the visitor looks at the pre-join view, the page gets ready for the call: Join then only connects and renders. */
describe('the lobby warms up for the call', () => {
  const suite = serverAndBrowser();

  /** Chunk names (`call-stage`, …) the page has fetched so far. */
  function fetchedChunks(page: Page): () => Promise<string[]> {
    const names: string[] = [];
    page.on('requestfinished', (request) => {
      const chunk = request.url().match(/\/video-call-(.+)-[\w-]{8}\.js$/);
      if (chunk) names.push(chunk[1]);
    });
    return () => Promise.resolve([...names]);
  }

  it('fetches the in-call chunks and starts WebRTC before the click, then joins as usual', async () => {
    const room = uniqueRoom();
    let chunks: () => Promise<string[]> = () => Promise.resolve([]);
    const ann = await openPage(suite.browser, `${suite.peercall.url}?room=${room}`, async (page) => {
      chunks = fetchedChunks(page);
    });
    const inCall = ['call-stage', 'call-chat', 'device-menu', 'participant-features', 'mesh-governor', 'device-switch'];
    await eventually(chunks, (names) => inCall.every((name) => names.includes(name)), 'the in-call chunks to load in the lobby');
    await eventually(
      () => ann.evaluate(() => (window as unknown as { __peerConnectionsMade: unknown[] }).__peerConnectionsMade.length),
      (created) => created >= 1,
      'a throwaway RTCPeerConnection in the lobby',
    );
    assert.equal(await callState(ann), 'idle', 'nobody clicked Join');
    assert.equal(suite.peercall.server.rooms.connectedCount(room), 0);

    const bob = await openPage(suite.browser, `${suite.peercall.url}?room=${room}`);
    await clickJoin(ann);
    await clickJoin(bob);
    await eventually(() => callState(bob), (state) => state === 'joined', 'Bob to join');
    await expectDecodingFromEveryPeer(ann, 1, 'Ann');
    await expectDecodingFromEveryPeer(bob, 1, 'Bob');
    await Promise.all([ann.close(), bob.close()]);
  });
});
