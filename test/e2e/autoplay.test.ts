/**
 * The browser refuses to play the call's sound until the visitor interacts with the page
 * (Chromium's `document-user-activation-required` autoplay policy, the default of real Chrome on
 * a site the visitor has not engaged with). The call must say so and let one click turn it on.
 *
 * Chromium lets a page that is capturing the camera or microphone play sound without a gesture
 * (checked: the same remote stream plays at once while the fake devices run), so the listener here
 * is a visitor who captures nothing: Ann's page stops its own tracks before anyone else arrives.
 *
 * Nothing here may count as a user gesture before that click: puppeteer's own evaluate() runs
 * with `userGesture: true`, which would grant the page activation, so the pages are read through a
 * CDP session's plain Runtime.evaluate instead, and they join through `autojoin`.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, CDPSession, Page } from 'puppeteer-core';
import { eventually, launchChromium, startPeercall, startThirdPartySite, uniqueRoom } from './harness.js';

let browser: Browser;
let peercall: Awaited<ReturnType<typeof startPeercall>>;
let site: Awaited<ReturnType<typeof startThirdPartySite>>;

before(async () => {
  peercall = await startPeercall();
  browser = await launchChromium(['--autoplay-policy=document-user-activation-required']);
  const server = JSON.stringify(peercall.url);
  site = await startThirdPartySite({
    '/': `<!doctype html><html lang="en"><title>autoplay</title>
<script type="module" src="${peercall.url}video-call.js"></script>
<script type="module">
  const query = new URLSearchParams(location.search);
  const call = document.createElement('video-call');
  call.setAttribute('server', ${server});
  call.setAttribute('room', query.get('room'));
  call.setAttribute('name', query.get('name'));
  call.setAttribute('autojoin', '');
  document.body.append(call);
</script>`,
  });
});

after(async () => {
  await browser?.close();
  await site?.close();
  await peercall?.server.close();
});

/** Reads the page without granting it user activation. */
function reader(cdp: CDPSession) {
  return async <T>(expression: string): Promise<T> => {
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value as T;
  };
}

async function joinWithoutGesture(room: string, name: string): Promise<{ page: Page; read: ReturnType<typeof reader> }> {
  const page = await browser.newPage({ type: 'window' });
  await page.goto(`${site.url}/?${new URLSearchParams({ room, name })}`);
  const read = reader(await page.createCDPSession());
  await eventually(
    () => read<string | null>(`document.querySelector('video-call')?.state ?? null`),
    (state) => state === 'joined',
    `${name} to join`,
    20_000,
  );
  return { page, read };
}

interface RemoteVideo {
  paused: boolean;
  muted: boolean;
  decoding: boolean;
}

const REMOTE_VIDEOS = `[...document.querySelector('video-call').shadowRoot.querySelectorAll('[part~="remote-tile"] video')]
  .map((v) => ({ paused: v.paused, muted: v.muted, decoding: v.videoWidth > 0 }))`;
const PROMPT = `document.querySelector('video-call').shadowRoot.querySelector('[part="sound-prompt"]')?.textContent.trim() ?? null`;

it('asks for a click when the browser blocks the sound, and the click turns it on', async () => {
  const room = uniqueRoom('autoplay');
  const ann = await joinWithoutGesture(room, 'Ann');
  await ann.read(`document.querySelector('video-call').participants[0].stream.getTracks().forEach((t) => t.stop())`);
  const bob = await joinWithoutGesture(room, 'Bob');
  try {
    assert.equal(await ann.read<boolean>('navigator.userActivation.hasBeenActive'), false, 'no gesture before the click');
    const prompt = await eventually(() => ann.read<string | null>(PROMPT), (text) => text !== null, 'the sound prompt', 15_000);
    assert.match(prompt!, /holding back the call’s sound/);
    assert.match(prompt!, /Turn on sound/);
    // Meanwhile the video plays, without sound.
    const [silent] = await eventually(
      () => ann.read<RemoteVideo[]>(REMOTE_VIDEOS),
      (videos) => videos.length === 1 && !videos[0].paused && videos[0].decoding,
      'Bob’s video to play muted',
    );
    assert.equal(silent.muted, true);

    await ann.page.locator('video-call >>> [part="sound-button"]').click();
    const [sounding] = await eventually(
      () => ann.read<RemoteVideo[]>(REMOTE_VIDEOS),
      (videos) => videos.length === 1 && !videos[0].muted && !videos[0].paused,
      'Bob’s video to play with sound',
    );
    assert.equal(sounding.decoding, true);
    assert.equal(await ann.read(PROMPT), null, 'the prompt is gone');
    // Bob never clicked either, but his page captures his camera and microphone: Chromium plays
    // his sound, so he gets no prompt.
    assert.equal(await bob.read<boolean>('navigator.userActivation.hasBeenActive'), false);
    await eventually(
      () => bob.read<RemoteVideo[]>(REMOTE_VIDEOS),
      (videos) => videos.length === 1 && !videos[0].muted && !videos[0].paused,
      'Ann’s video to play with sound on Bob’s page',
    );
    assert.equal(await bob.read(PROMPT), null);
  } finally {
    await Promise.all([ann.page.close(), bob.page.close()]);
  }
});
