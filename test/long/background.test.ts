/**
 * Issue 6, background tabs: a page hidden (its window minimized: timers throttled) or frozen (CDP
 * Page.setWebLifecycleState: no script runs at all) for BACKGROUND_SECONDS (default 180) is still
 * in the room, or back in it within 5 s of becoming visible again. Long: it has its own file, so
 * that it can run on its own (`node --import tsx --test test/e2e/background.test.ts`). Both cases
 * run at once, in two rooms.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser, CDPSession, Page } from 'puppeteer-core';
import { labPageHtml, presenceCount, startPeercallProcess, stateHistory, type PeercallProcess } from '../helpers/relay-lab.js';
import { callState, eventually, expectDecodingFromEveryPeer, launchChromium, openPage, remoteNames, startThirdPartySite, uniqueRoom } from '../e2e/harness.js';

const BACKGROUND_MS = Number(process.env.BACKGROUND_SECONDS ?? 180) * 1000;
const BACK_WITHIN_MS = 5000;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: PeercallProcess;
let browser: Browser;
let site: Awaited<ReturnType<typeof startThirdPartySite>>;

before(async () => {
  server = await startPeercallProcess();
  browser = await launchChromium();
  site = await startThirdPartySite({ '/': labPageHtml(server.url) });
});

after(async () => {
  await browser?.close();
  await site?.close();
  await server?.stop();
});

async function openLabPage(name: string, room: string): Promise<Page> {
  const page = await openPage(browser, `${site.url}/?${new URLSearchParams({ room, name, autojoin: '' })}`);
  await eventually(() => callState(page), (state) => state === 'joined', `${name} to join`, 20_000);
  return page;
}

async function setWindowState(session: CDPSession, windowState: 'minimized' | 'normal'): Promise<void> {
  const { windowId } = await session.send('Browser.getWindowForTarget');
  await session.send('Browser.setWindowBounds', { windowId, bounds: { windowState } });
}

interface Outcome {
  /** Whether the server's roster ever lacked the background page while it was away. */
  leftTheRoom: boolean;
  /** From visible (and active) again until in the room, joined, and seen by the other page. */
  backMs: number;
}

/**
 * Ann stays in front; Bob goes to the background for BACKGROUND_MS (`frozen` adds a freeze on top
 * of the minimized window), then comes back. Checks the room every 5 s meanwhile.
 */
async function backgroundRound(t: TestContext, mode: 'hidden' | 'frozen'): Promise<Outcome> {
  const room = uniqueRoom(mode);
  const ann = await openLabPage('Ann', room);
  const bob = await openLabPage('Bob', room);
  const session = await bob.createCDPSession();
  try {
    await expectDecodingFromEveryPeer(ann, 1, `Ann (${mode})`);
    await expectDecodingFromEveryPeer(bob, 1, `Bob (${mode})`);
    await setWindowState(session, 'minimized');
    assert.equal(await bob.evaluate(() => document.visibilityState), 'hidden');
    if (mode === 'frozen') await session.send('Page.setWebLifecycleState', { state: 'frozen' });
    const awayUntil = Date.now() + BACKGROUND_MS;
    let leftTheRoom = false;
    while (Date.now() < awayUntil) {
      await delay(Math.min(5000, awayUntil - Date.now()));
      if ((await presenceCount(server.url, room)) < 2) leftTheRoom = true;
    }
    if (mode === 'frozen') await session.send('Page.setWebLifecycleState', { state: 'active' });
    await setWindowState(session, 'normal');
    const visibleAt = Date.now();
    assert.equal(await bob.evaluate(() => document.visibilityState), 'visible');
    await eventually(
      async () => ({
        bob: await callState(bob),
        annSees: await remoteNames(ann),
        bobSees: await remoteNames(bob),
        count: await presenceCount(server.url, room),
      }),
      (s) => s.bob === 'joined' && s.annSees.includes('Bob') && s.bobSees.includes('Ann') && s.count === 2,
      `Bob (${mode}) to be back in the room`,
      BACK_WITHIN_MS,
    );
    const backMs = Date.now() - visibleAt;
    // And the call works: both decode each other again.
    await expectDecodingFromEveryPeer(ann, 1, `Ann after Bob came back (${mode})`);
    await expectDecodingFromEveryPeer(bob, 1, `Bob back from ${mode}`);
    const states = (await stateHistory(bob)).map((change) => change.state).join(' → ');
    const line = `${mode} ${BACKGROUND_MS / 1000} s: ${leftTheRoom ? 'left the server roster while away' : 'stayed in the room'}; back ${backMs} ms after becoming visible (Bob: ${states})`;
    t.diagnostic(line);
    process.stderr.write(`[background] ${line}\n`);
    return { leftTheRoom, backMs };
  } finally {
    await session.detach().catch(() => {});
    await Promise.all([ann.close().catch(() => {}), bob.close().catch(() => {})]);
  }
}

describe('background tabs', () => {
  it(`a hidden and a frozen page (${BACKGROUND_MS / 1000} s) stay in the room or are back within 5 s of becoming visible`, { timeout: BACKGROUND_MS + 120_000 }, async (t) => {
    const [hidden, frozen] = await Promise.all([backgroundRound(t, 'hidden'), backgroundRound(t, 'frozen')]);
    assert.ok(hidden.backMs <= BACK_WITHIN_MS && frozen.backMs <= BACK_WITHIN_MS);
  });
});
