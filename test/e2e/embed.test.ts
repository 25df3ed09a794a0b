import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import {
  callState,
  clickJoin,
  eventually,
  expectDecodingFromEveryPeer,
  openPage,
  startThirdPartySite,
  uniqueRoom,
  joinDemo as joinDemoPage,
  serverAndBrowser,
} from './harness.js';

const cmsDemo = readFileSync(new URL('../../demo/cms.html', import.meta.url), 'utf8');

/** Records uncaught errors and Content-Security-Policy violations from the very start of the page. */
function recordProblems(page: Page): Promise<unknown> {
  return page.evaluateOnNewDocument(() => {
    const problems: string[] = [];
    (window as unknown as { __problems: string[] }).__problems = problems;
    window.addEventListener('error', (event) => problems.push(`error: ${event.message}`));
    window.addEventListener('unhandledrejection', (event) => problems.push(`rejection: ${String(event.reason)}`));
    document.addEventListener('securitypolicyviolation', (event) =>
      problems.push(`CSP: ${event.effectiveDirective} blocked ${event.blockedURI}`),
    );
  });
}

function problems(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __problems: string[] }).__problems);
}

/** The click-to-call button's panel call, as seen from the page. */
function panelCallState(page: Page): Promise<string | undefined> {
  return page.evaluate(
    () =>
      document
        .querySelector('call-button')
        ?.shadowRoot?.querySelector('call-panel')
        ?.shadowRoot?.querySelector('video-call')?.state,
  );
}

function presenceText(page: Page): Promise<string | undefined> {
  return page.evaluate(
    () => document.querySelector('call-button')?.shadowRoot?.querySelector('[part="presence"]')?.textContent?.trim(),
  );
}

describe('peercall embedded in other sites', () => {
  const suite = serverAndBrowser();

  /** Someone on the peercall server's own demo page, in `room`. */
  const joinDemo = (room: string, name: string): Promise<Page> => joinDemoPage(suite.browser, suite.peercall.url, room, name);

  it('serves the CMS demo from another origin: the inline call and the click-to-call button both connect', async () => {
    const site = await startThirdPartySite({
      '/': cmsDemo.replaceAll('src="/video-call.js"', `src="${suite.peercall.url}video-call.js"`),
    });
    try {
      assert.notEqual(new URL(site.url).origin, new URL(suite.peercall.url).origin);
      const visitor = await openPage(suite.browser, site.url, recordProblems);

      // The inline <video-call> in the article.
      await clickJoin(visitor);
      await eventually(() => callState(visitor), (s) => s === 'joined', 'the inline call to join');
      const mechanic = await joinDemo('cms-workshop', 'Mechanic');
      await expectDecodingFromEveryPeer(visitor, 1, 'the CMS visitor');
      await expectDecodingFromEveryPeer(mechanic, 1, 'the mechanic');
      await visitor.evaluate(() => document.querySelector('video-call')!.leave());
      await mechanic.close();

      // The standalone <call-button> in the sidebar: live presence, then a call in its panel.
      await eventually(() => presenceText(visitor), (text) => text === 'Nobody online', 'an empty sales room');
      const agent = await joinDemo('cms-sales', 'Agent');
      await eventually(() => presenceText(visitor), (text) => text === '1 online', 'the agent to be counted');
      await visitor.locator('aside call-button >>> [part~="base"]').click();
      await eventually(() => panelCallState(visitor), (s) => s === 'joined', 'the panel call to join');
      await expectDecodingFromEveryPeer(agent, 1, 'the sales agent');
      await expectDecodingFromEveryPeer(visitor, 1, 'the visitor in the panel');
      await eventually(() => presenceText(visitor), (text) => text === '2 online', 'both to be counted');

      await visitor.locator('aside call-button >>> call-panel >>> [part="close-button"]').click();
      await eventually(() => panelCallState(visitor), (s) => s === undefined, 'the panel to close');
      await eventually(() => presenceText(visitor), (text) => text === '1 online', 'the visitor to have left');
      assert.deepEqual(await problems(visitor), []);
      await Promise.all([visitor.close(), agent.close()]);
    } finally {
      await site.close();
    }
  });

  it('works in a page whose Content-Security-Policy allows exactly what the README lists', async () => {
    const room = uniqueRoom('csp');
    const server = new URL(suite.peercall.url).origin;
    const socket = server.replace(/^http/, 'ws');
    const site = await startThirdPartySite({
      '/': {
        headers: {
          'content-security-policy': [
            "default-src 'none'",
            `script-src 'self' ${server}`,
            `connect-src 'self' ${server} ${socket}`,
          ].join('; '),
        },
        body: `<!doctype html><html lang="en"><title>Strict page</title>
          <script type="module" src="${suite.peercall.url}video-call.js"></script>
          <video-call room="${room}"></video-call>`,
      },
    });
    try {
      const visitor = await openPage(suite.browser, site.url, recordProblems);
      await clickJoin(visitor);
      await eventually(() => callState(visitor), (s) => s === 'joined', 'the call to join under CSP');
      const host = await joinDemo(room, 'Host');
      await expectDecodingFromEveryPeer(visitor, 1, 'the visitor under CSP');
      await expectDecodingFromEveryPeer(host, 1, 'the host');
      assert.deepEqual(await problems(visitor), []);
      await Promise.all([visitor.close(), host.close()]);
    } finally {
      await site.close();
    }
  });

  it('tolerates the script tag twice, from two URLs, and still calls', async () => {
    const room = uniqueRoom('twice');
    const site = await startThirdPartySite({
      '/': `<!doctype html><html lang="en"><title>Two plugins, one widget</title>
        <script type="module" src="${suite.peercall.url}video-call.js?v=1"></script>
        <script type="module" src="${suite.peercall.url}video-call.js?v=2"></script>
        <video-call room="${room}"></video-call>`,
    });
    try {
      const visitor = await openPage(suite.browser, site.url, recordProblems);
      // Both copies load and run: the second finds the elements registered and leaves them alone.
      await eventually(
        () =>
          visitor.evaluate(() =>
            performance.getEntriesByType('resource').filter((entry) => /video-call\.js\?v=[12]$/.test(entry.name)).length,
          ),
        (loaded) => loaded === 2,
        'both copies of the script to load',
      );
      await clickJoin(visitor);
      await eventually(() => callState(visitor), (s) => s === 'joined', 'the call to join');
      const host = await joinDemo(room, 'Host');
      await expectDecodingFromEveryPeer(visitor, 1, 'the visitor');
      assert.deepEqual(await problems(visitor), []);
      await Promise.all([visitor.close(), host.close()]);
    } finally {
      await site.close();
    }
  });
});
