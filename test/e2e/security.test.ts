import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { createJoinToken } from '../../server/index.js';
import { ensureCoturn, startCoturn, type Coturn } from '../security/coturn.js';
import {
  callState,
  clickJoin,
  eventually,
  expectDecodingFromEveryPeer,
  launchChromium,
  openPage,
  remoteNames,
  selectedCandidateTypes,
  startPeercallWith,
  startThirdPartySite,
  uniqueRoom,
} from './harness.js';

/**
 * Token rooms, the waiting room, host controls and TURN relay-only, as visitors meet them: real
 * peercall servers, real Chromium pages on a third-party site embedding the built widget, real
 * join tokens signed as a site's backend would sign them, and (for TURN) Debian's coturn.
 */

const TOKEN_SECRET = 'e2e-join-token-secret-0123456789abcdef';
const TURN_SECRET = 'e2e-coturn-static-auth-secret';

type Site = Awaited<ReturnType<typeof startThirdPartySite>>;

/** A site page that embeds the widget from the peercall server, as a customer's page would. */
function embeddingPage(peercallUrl: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Call</title>
<script type="module" src="${peercallUrl}video-call.js"></script></head>
<body><main><video-call server="${peercallUrl}"></video-call></main></body></html>`;
}

interface Visitor {
  room: string;
  name: string;
  /** A join token from the site's backend (the page sets it as a property, never in the URL). */
  token?: string;
  relayOnly?: boolean;
}

async function openCall(browser: Browser, site: Site, visitor: Visitor): Promise<Page> {
  const page = await openPage(browser, `${site.url}/call.html`);
  await page.evaluate(({ room, name, token, relayOnly }) => {
    const el = document.querySelector('video-call')!;
    Object.assign(el, { room, name, token: token ?? '', relayOnly: !!relayOnly });
  }, visitor);
  return page;
}

/** The element's visible status lines (joining, waiting, errors, notices). */
function shownText(page: Page): Promise<string> {
  return page.evaluate(() =>
    [...document.querySelector('video-call')!.shadowRoot!.querySelectorAll('[part~="status"]')]
      .filter((node) => !node.closest('[hidden]'))
      .map((node) => node.textContent?.trim())
      .join(' '),
  );
}

async function waitForText(page: Page, text: string, what: string): Promise<void> {
  await eventually(() => shownText(page), (shown) => shown.includes(text), what);
}

async function waitForState(page: Page, state: string, what: string): Promise<void> {
  await eventually(() => callState(page), (s) => s === state, what, 15_000);
}

/**
 * Clicks, with the mouse, a button of the page's call: a knock's (`knock`) or a remote tile's
 * (`tile`) button `part` for the participant `name`, or the Remove button of the removal
 * confirmation (`confirm`). Waits for it to appear.
 */
async function clickButton(page: Page, kind: 'knock' | 'tile' | 'confirm', name = '', part = ''): Promise<void> {
  const what = `${kind} ${name} ${part}`;
  await eventually(
    async () => {
      const handle = await page.evaluateHandle(
        (kind, name, part) => {
          const root = document.querySelector('video-call')!.shadowRoot!;
          if (kind === 'confirm') {
            return [...root.querySelectorAll('[part="remove-confirm"] button')].find((b) => b.textContent?.trim() === 'Remove') ?? null;
          }
          const [items, label] = kind === 'knock' ? ['[part~="knock"]', '.knock__name'] : ['[part~="remote-tile"]', '[part="name"]'];
          const item = [...root.querySelectorAll(items)].find((node) => node.querySelector(label)?.textContent === name);
          return item?.querySelector(`[part~="${part}"]`) ?? null;
        },
        kind,
        name,
        part,
      );
      const button = handle.asElement() as ElementHandle<Element> | null;
      if (!button) {
        await handle.dispose();
        return false;
      }
      await button.click();
      await button.dispose();
      return true;
    },
    (clicked) => clicked,
    what,
  );
}

function knockNames(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelector('video-call')!.shadowRoot!.querySelectorAll('[part~="knock"] .knock__name')].map(
      (node) => node.textContent ?? '',
    ),
  );
}

describe('token rooms and host controls, end to end', () => {
  let peercall: Awaited<ReturnType<typeof startPeercallWith>>;
  let site: Site;
  let browser: Browser;

  before(async () => {
    peercall = await startPeercallWith([
      '--token-rooms',
      'sec-*,secw-*',
      '--waiting-rooms',
      'secw-*',
      '--token-secret',
      TOKEN_SECRET,
      // Small, so that the room fills up with three pages.
      '--max-participants',
      '2',
    ]);
    site = await startThirdPartySite({ '/call.html': embeddingPage(peercall.url) });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    await peercall?.server.close();
  });

  /** What the site's backend would hand its signed-in visitor. */
  const token = (room: string, name: string, role: 'host' | 'guest' = 'guest') =>
    createJoinToken({ secret: TOKEN_SECRET, room, role, name, ttlSeconds: 600, jti: `${name}-${room}` });

  it('refuses a visitor without a token, in words, and lets a visitor with one in', async () => {
    const room = uniqueRoom('sec');
    const stranger = await openCall(browser, site, { room, name: 'Stranger' });
    await clickJoin(stranger);
    await waitForState(stranger, 'error', 'the stranger to be refused');
    await waitForText(stranger, 'This room needs an invitation', 'the unauthorized text');

    const invited = await openCall(browser, site, { room, name: 'Typed name', token: await token(room, 'Ivy') });
    await clickJoin(invited);
    await waitForState(invited, 'joined', 'the invited guest to join');
    assert.equal(await invited.evaluate(() => document.querySelector('video-call')!.participants[0].name), 'Ivy');
    await Promise.all([stranger.close(), invited.close()]);
  });

  it('lets a host admit, decline, remove, ask to mute, and a full room says so', async () => {
    const room = uniqueRoom('secw');
    const host = await openCall(browser, site, { room, name: 'Hana', token: await token(room, 'Hana', 'host') });
    await clickJoin(host);
    await waitForState(host, 'joined', 'the host to join');

    // Two guests knock; the host sees both, by name.
    const ann = await openCall(browser, site, { room, name: 'Ann', token: await token(room, 'Ann') });
    const bob = await openCall(browser, site, { room, name: 'Bob', token: await token(room, 'Bob') });
    await clickJoin(ann);
    await clickJoin(bob);
    for (const [page, name] of [[ann, 'Ann'], [bob, 'Bob']] as const) {
      await waitForState(page, 'waiting', `${name} to knock`);
      await waitForText(page, 'Waiting for the host to let you in…', `${name}'s waiting view`);
    }
    await eventually(() => knockNames(host), (names) => names.length === 2, 'the host to see two knocks');
    assert.deepEqual((await knockNames(host)).sort(), ['Ann', 'Bob']);

    // Admit Ann: she joins and the two see each other.
    await clickButton(host, 'knock', 'Ann', 'admit-button');
    await waitForState(ann, 'joined', 'Ann to be admitted');
    await expectDecodingFromEveryPeer(host, 1, 'the host');
    await expectDecodingFromEveryPeer(ann, 1, 'Ann');
    // Decline Bob: his page says so.
    await clickButton(host, 'knock', 'Bob', 'decline-button');
    await waitForState(bob, 'error', 'Bob to be declined');
    await waitForText(bob, 'The host did not let you in.', 'the declined text');

    // Remove Ann, after confirming: her page says so, and her token no longer works.
    await clickButton(host, 'tile', 'Ann', 'remove-button');
    await clickButton(host, 'confirm');
    await waitForState(ann, 'error', 'Ann to be removed');
    await waitForText(ann, 'A host removed you from the call.', 'the removed text');
    await eventually(() => remoteNames(host), (names) => names.length === 0, 'Ann to be gone from the host');
    const rejoin = await ann.evaluate(() =>
      document.querySelector('video-call')!.join().then(
        () => 'joined',
        (error: { type: string }) => error.type,
      ),
    );
    assert.equal(rejoin, 'removed');

    // Bob knocks again and is admitted; the host asks him to mute.
    await bob.locator('video-call >>> .panel:not([hidden]) [part="join-button"]').click();
    await eventually(() => knockNames(host), (names) => names.includes('Bob'), 'Bob’s second knock');
    await clickButton(host, 'knock', 'Bob', 'admit-button');
    await waitForState(bob, 'joined', 'Bob to be admitted');
    const micOn = () =>
      bob.evaluate(() => document.querySelector('video-call')!.participants[0].stream!.getAudioTracks()[0].enabled);
    assert.equal(await micOn(), true);
    await clickButton(host, 'tile', 'Bob', 'mute-button');
    await eventually(micOn, (on) => on === false, 'Bob’s microphone to turn off');
    await waitForText(bob, 'A host muted your microphone.', 'the muted-by-host notice');
    const micPressed = await bob.evaluate(
      () =>
        document
          .querySelector('video-call')!
          .shadowRoot!.querySelector('call-button[action="toggle-audio"]')!
          .shadowRoot!.querySelector('button')!
          .getAttribute('aria-pressed'),
    );
    assert.equal(micPressed, 'false');

    // Host and Bob fill the room (two at most on this server): an admitted third finds it full.
    const cat = await openCall(browser, site, { room, name: 'Cat', token: await token(room, 'Cat') });
    await clickJoin(cat);
    await eventually(() => knockNames(host), (names) => names.includes('Cat'), 'Cat’s knock');
    await clickButton(host, 'knock', 'Cat', 'admit-button');
    await waitForState(cat, 'error', 'Cat to find the room full');
    await waitForText(cat, 'This room is full.', 'the room-full text');

    await Promise.all([host, ann, bob, cat].map((page) => page.close()));
  });
});

describe('TURN relay-only, end to end with coturn', () => {
  let coturn: Coturn;
  let peercall: Awaited<ReturnType<typeof startPeercallWith>>;
  let site: Site;
  let browser: Browser;

  before(async () => {
    ensureCoturn();
    coturn = await startCoturn(TURN_SECRET, 'peercall.test');
    peercall = await startPeercallWith([
      '--turn-urls',
      `turn:127.0.0.1:${coturn.port}?transport=udp`,
      '--turn-secret',
      TURN_SECRET,
    ]);
    site = await startThirdPartySite({ '/call.html': embeddingPage(peercall.url) });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    await peercall?.server.close();
    await coturn?.stop();
  });

  it('sends media through the relay only: relay candidates on both ends, and frames decode', async () => {
    const room = uniqueRoom('relay');
    const ann = await openCall(browser, site, { room, name: 'Ann', relayOnly: true });
    const bob = await openCall(browser, site, { room, name: 'Bob', relayOnly: true });
    assert.equal(await ann.evaluate(() => document.querySelector('video-call')!.hasAttribute('relay-only')), true);
    await clickJoin(ann);
    await waitForState(ann, 'joined', 'Ann to join');
    await clickJoin(bob);
    await waitForState(bob, 'joined', 'Bob to join');
    try {
      await expectDecodingFromEveryPeer(ann, 1, 'Ann');
      await expectDecodingFromEveryPeer(bob, 1, 'Bob');
    } catch (error) {
      throw new Error(`${(error as Error).message}\ncoturn log:\n${coturn.log()}`);
    }
    for (const [page, label] of [[ann, 'Ann'], [bob, 'Bob']] as const) {
      const pairs = await eventually(
        () => selectedCandidateTypes(page),
        (found) => found.length === 1 && found[0].local !== 'none',
        `${label}'s selected candidate pair`,
      );
      assert.deepEqual(pairs, [{ local: 'relay', remote: 'relay' }], `${label}'s selected pair`);
    }
    await Promise.all([ann.close(), bob.close()]);
  });
});
