/**
 * The connection-quality indicator under real impairment: two Chromium pages in a relay-only call
 * through coturn behind the UDP impairment proxy. Good on the clean loopback path, poor while the
 * proxy drops packets, good again once it stops; `call-quality-change` follows each change.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { labPageHtml, startRelayLab, type RelayLab } from '../helpers/relay-lab.js';
import { callState, eventually, launchChromium, openPage, startThirdPartySite, uniqueRoom } from './harness.js';

let lab: RelayLab;
let browser: Browser;
let site: Awaited<ReturnType<typeof startThirdPartySite>>;

before(async () => {
  lab = await startRelayLab();
  browser = await launchChromium();
  site = await startThirdPartySite({ '/': labPageHtml(lab.server.url) });
});

after(async () => {
  await browser?.close();
  await site?.close();
  await lab?.stop();
});

interface QualityEvent {
  quality: string;
  previous: string | null;
  stats: { rtt?: number; loss?: number; jitter?: number };
  at: number;
}

async function openRelayPage(name: string, room: string): Promise<Page> {
  const page = await openPage(browser, `${site.url}/?${new URLSearchParams({ room, name, relay: '', autojoin: '' })}`, (p) =>
    p.evaluateOnNewDocument(() => {
      const seen: unknown[] = [];
      (window as unknown as { __quality: unknown[] }).__quality = seen;
      document.addEventListener('call-quality-change', (e) => seen.push({ ...(e as CustomEvent).detail, at: Date.now() }));
    }),
  );
  await eventually(() => callState(page), (state) => state === 'joined', `${name} to join`, 20_000);
  return page;
}

const qualityEvents = (page: Page) => page.evaluate(() => (window as unknown as { __quality: QualityEvent[] }).__quality.slice());
const shownQuality = (page: Page) =>
  page.evaluate(
    () => document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLElement>('[part="quality"]')?.dataset.quality ?? null,
  );

it('shows good, then poor under 25 % packet loss on the relay, then good again', { timeout: 120_000 }, async (t) => {
  const room = uniqueRoom('quality');
  const ann = await openRelayPage('Ann', room);
  const bob = await openRelayPage('Bob', room);
  try {
    await eventually(() => shownQuality(ann), (q) => q === 'good', 'Ann to show a good connection', 20_000);
    lab.proxy.setLoss(0.25);
    const impairedAt = Date.now();
    await eventually(() => shownQuality(ann), (q) => q === 'poor', 'Ann to show a poor connection under loss', 20_000);
    const poorAfter = Date.now() - impairedAt;
    const poor = (await qualityEvents(ann)).at(-1)!;
    assert.equal(poor.quality, 'poor');
    assert.ok((poor.stats.loss ?? 0) >= 0.1, `loss reported as ${poor.stats.loss}`);
    lab.proxy.restore();
    const restoredAt = Date.now();
    await eventually(() => shownQuality(ann), (q) => q === 'good', 'Ann to show a good connection again', 30_000);
    const goodAfter = Date.now() - restoredAt;
    const events = await qualityEvents(ann);
    // Every event is a change: it starts where the one before ended.
    for (let i = 1; i < events.length; i++) {
      assert.equal(events[i].previous, events[i - 1].quality);
      assert.notEqual(events[i].quality, events[i].previous);
    }
    t.diagnostic(`poor ${poorAfter} ms after 25 % loss began (stats ${JSON.stringify(poor.stats)}), good ${goodAfter} ms after it ended`);
    t.diagnostic(`Ann's qualities: ${events.map((e) => e.quality).join(' → ')}`);
  } finally {
    lab.proxy.restore();
    await Promise.all([ann.close(), bob.close()]);
  }
});
