import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import {
  callState,
  clickJoin,
  eventually,
  expectDecodingFromEveryPeer,
  openPage,
  remoteNames,
  uniqueRoom,
  serverAndBrowser,
} from './harness.js';

/**
 * The lobby opens its signaling socket before the click (a standby) and Join goes over it; where
 * the server has no standby to give, Join goes over HTTP as before.
 */
describe('joining over the lobby’s standby socket', () => {
  const suite = serverAndBrowser();

  const counter = (name: string) => suite.peercall.server.metrics.get(name);
  const standbys = () => Promise.resolve(suite.peercall.server.socketCount);

  async function joinAs(page: Page, name: string): Promise<void> {
    await page.locator('video-call >>> [part="name-input"]').fill(name);
    await clickJoin(page);
    await eventually(() => callState(page), (s) => s === 'joined', `${name} to join`);
  }

  it('opens a standby in the lobby, joins through it, and the two pages see each other', async () => {
    const room = uniqueRoom();
    const joinsBefore = counter('join.standby');
    const ann = await openPage(suite.browser, `${suite.peercall.url}?room=${room}`);
    const bob = await openPage(suite.browser, `${suite.peercall.url}?room=${room}`);
    // Both lobbies hold a socket before anyone clicks, and nobody is in the room.
    await eventually(standbys, (n) => n >= 2, 'both lobbies to open a standby socket');
    assert.equal(suite.peercall.server.rooms.connectedCount(room), 0);
    await joinAs(ann, 'Ann');
    await joinAs(bob, 'Bob');
    assert.equal(counter('join.standby') - joinsBefore, 2);
    await expectDecodingFromEveryPeer(ann, 1, 'Ann');
    await expectDecodingFromEveryPeer(bob, 1, 'Bob');
    assert.deepEqual(await remoteNames(ann), ['Bob']);
    assert.deepEqual(await remoteNames(bob), ['Ann']);
    await Promise.all([ann.close(), bob.close()]);
  });

  it('joins over HTTP when the server gives no standby (an older server answers 404)', async () => {
    const room = uniqueRoom();
    const joinsBefore = counter('join.standby');
    const refusedStandby = async (page: Page) => {
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        if (request.url().endsWith('/api/standby')) void request.respond({ status: 404, body: 'Not found' });
        else void request.continue();
      });
    };
    const ann = await openPage(suite.browser, `${suite.peercall.url}?room=${room}`, refusedStandby);
    const bob = await openPage(suite.browser, `${suite.peercall.url}?room=${room}`, refusedStandby);
    await joinAs(ann, 'Ann');
    await joinAs(bob, 'Bob');
    assert.equal(counter('join.standby'), joinsBefore, 'no join went over a standby');
    await expectDecodingFromEveryPeer(ann, 1, 'Ann');
    await expectDecodingFromEveryPeer(bob, 1, 'Bob');
    await Promise.all([ann.close(), bob.close()]);
  });

  it('joins over HTTP when the standby socket dropped before the click', async () => {
    const room = uniqueRoom();
    // Keeps the page's sockets at hand (a string: the test runner's helpers do not exist in the page).
    const trackSockets = (page: Page) =>
      page.evaluateOnNewDocument(`{
        const Native = window.WebSocket;
        window.__sockets = [];
        window.WebSocket = class extends Native {
          constructor(...args) {
            super(...args);
            window.__sockets.push(this);
          }
        };
      }`);
    const ann = await openPage(suite.browser, `${suite.peercall.url}?room=${room}`, trackSockets);
    await eventually(
      () => ann.evaluate(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.some((s) => s.readyState === 1)),
      (open) => open,
      'the lobby to open a standby socket',
    );
    const joinsBefore = counter('join.standby');
    // The network drops it; the lobby waits a few seconds before opening another.
    await ann.evaluate(() => {
      for (const socket of (window as unknown as { __sockets: WebSocket[] }).__sockets) socket.close();
    });
    await joinAs(ann, 'Ann');
    assert.equal(counter('join.standby'), joinsBefore, 'the join did not go over the dropped standby');
    assert.equal(suite.peercall.server.rooms.connectedCount(room), 1);
    await ann.close();
  });

  it('asks for no standby while a page that was in a call closes', async () => {
    const room = uniqueRoom();
    const mintedBefore = counter('standby.minted');
    const ann = await openPage(suite.browser, `${suite.peercall.url}?room=${room}`);
    await eventually(() => Promise.resolve(counter('standby.minted')), (n) => n > mintedBefore, 'the lobby to ask for a standby');
    await joinAs(ann, 'Ann');
    // Closing ends the call (PeerJS destroys its peer on beforeunload), which brings the lobby back
    // for a moment; a standby minted then would count against this address until it expired.
    await ann.close();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(counter('standby.minted') - mintedBefore, 1, 'only the lobby before the join got a standby');
  });
});
