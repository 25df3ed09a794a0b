import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { callState, eventually, expectDecodingFromEveryPeer, joinDemo, launchChromium, openPage, startPeercall, uniqueRoom } from './harness.js';

/** The remote's decoder: frames decoded so far and the size of the last one, per open connection. */
async function inbound(page: Page): Promise<{ frames: number; width: number }[]> {
  return page.evaluate(async () => {
    const all = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const open = all.filter((pc) => pc.connectionState === 'connected');
    return Promise.all(
      open.map(async (pc) => {
        let result = { frames: 0, width: 0 };
        (await pc.getStats()).forEach((r: { type: string; kind?: string; framesDecoded?: number; frameWidth?: number }) => {
          if (r.type === 'inbound-rtp' && r.kind === 'video') result = { frames: r.framesDecoded ?? 0, width: r.frameWidth ?? 0 };
        });
        return result;
      }),
    );
  });
}

/** Waits until the only connection of `page` has decoded 15 more frames and the last one is `accept`ed. */
async function decodes(page: Page, accept: (width: number) => boolean, what: string): Promise<void> {
  const [start] = await eventually(() => inbound(page), (c) => c.length === 1, `${what}: one connection`);
  await eventually(
    () => inbound(page),
    (c) => c.length === 1 && c[0]!.frames > start!.frames + 15 && accept(c[0]!.width),
    what,
    15_000,
  );
}

/** The device id behind the camera track the page sends. */
function sentCamera(page: Page): Promise<string> {
  return page.evaluate(() => {
    const all = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const pc = all.find((c) => c.connectionState === 'connected')!;
    return pc.getSenders().find((s) => s.track?.kind === 'video')!.track!.getSettings().deviceId ?? '';
  });
}

describe('devices and screen share between real pages (several fake cameras)', () => {
  let peercall: Awaited<ReturnType<typeof startPeercall>>;
  let browser: Browser;

  before(async () => {
    peercall = await startPeercall();
    // Three fake cameras and microphones. Chromium's fake_device_1 is a depth camera (16-bit grey
    // frames) that no video encoder takes, so the test switches between fake_device_0 and
    // fake_device_2. The fake screen is the headless window's 800×600.
    browser = await launchChromium(['--use-fake-device-for-media-stream=device-count=3']);
  });

  after(async () => {
    await browser?.close();
    await peercall?.server.close();
  });

  it('prepares the first call’s offer in the lobby, again for another camera, and calls over it', async () => {
    const room = uniqueRoom('prepared');
    type Made = { pc: RTCPeerConnection; at: number }[];
    /** The page's connections that send a camera: when made, its device, signaling and connection state. */
    const sending = (page: Page) =>
      page.evaluate(() =>
        (window as unknown as { __peerConnectionsMade: Made }).__peerConnectionsMade
          .filter(({ pc }) => pc.signalingState === 'closed' || pc.getSenders().some((s) => s.track?.kind === 'video'))
          .map(({ pc, at }) => ({
            at,
            camera: pc.signalingState === 'closed' ? '' : (pc.getSenders().find((s) => s.track?.kind === 'video')!.track!.getSettings().deviceId ?? ''),
            signaling: pc.signalingState,
            connection: pc.connectionState,
          })),
      );

    // Alone in the room, Ann calls nobody: the offer her lobby prepared is let go.
    const ann = await openPage(browser, `${peercall.url}?room=${room}`);
    await eventually(() => sending(ann), (made) => made.some((c) => c.signaling === 'have-local-offer'), 'Ann’s lobby to prepare an offer');
    await ann.locator('video-call >>> [part="join-button"]').click();
    await eventually(() => callState(ann), (state) => state === 'joined', 'Ann to join');
    await eventually(() => sending(ann), (made) => made.every((c) => c.signaling === 'closed'), 'Ann’s unused offer to be let go');

    const bob = await openPage(browser, `${peercall.url}?room=${room}`);
    const prepared = await eventually(
      () => sending(bob),
      (made) => made.some((c) => c.signaling === 'have-local-offer'),
      'Bob’s lobby to prepare an offer',
    );
    const cameras = await bob.evaluate(async () =>
      (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput').map((d) => [d.label, d.deviceId]),
    );
    const second = cameras.find(([label]) => label === 'fake_device_2')![1]!;
    assert.notEqual(prepared.find((c) => c.signaling === 'have-local-offer')!.camera, second);
    // Another camera in the lobby: a new stream, so a new offer; the old one goes.
    await (await bob.locator('video-call >>> select[data-kind="videoinput"]').waitHandle()).select(second);
    await eventually(
      () => sending(bob),
      (made) => made.filter((c) => c.signaling !== 'closed').length === 1 && made.some((c) => c.signaling === 'have-local-offer' && c.camera === second),
      'Bob’s lobby to prepare an offer for the second camera',
    );
    const clickedAt = await bob.evaluate(() => {
      const at = performance.now();
      document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
      return at;
    });
    await expectDecodingFromEveryPeer(ann, 1, 'Ann');
    await expectDecodingFromEveryPeer(bob, 1, 'Bob');
    const made = await sending(bob);
    const connected = made.filter((c) => c.connection === 'connected');
    assert.equal(connected.length, 1, JSON.stringify(made));
    assert.ok(connected[0]!.at < clickedAt, `Bob’s call goes over the connection his lobby made: ${JSON.stringify(made)}, click at ${clickedAt}`);
    assert.equal(connected[0]!.camera, second);
    assert.ok(made.every((c) => c.at < clickedAt), 'Bob made no connection at the click');
    await Promise.all([ann.close(), bob.close()]);
  });

  it('switches to the other camera, falls back when it is unplugged, and shares a screen', async () => {
    const room = uniqueRoom('devices');
    const ann = await joinDemo(browser, peercall.url, room, 'Ann');
    const bob = await joinDemo(browser, peercall.url, room, 'Bob');
    await decodes(bob, (w) => w > 0 && w <= 640, 'Bob to decode Ann’s camera');
    const cameras = await ann.evaluate(async () =>
      (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput').map((d) => [d.label, d.deviceId]),
    );
    assert.equal(cameras.length, 3);
    const first = await sentCamera(ann);
    assert.equal(first, cameras[0]![1], 'the call starts on the first camera');
    const second = cameras.find(([label]) => label === 'fake_device_2')![1]!;

    // The user picks the other camera in the in-call menu.
    await ann.locator('video-call >>> [part~="device-menu-button"]').click();
    const select = await ann.locator('video-call >>> select[data-kind="videoinput"]').waitHandle();
    await select.select(second);
    await eventually(() => sentCamera(ann), (id) => id === second, 'Ann to send the second camera');
    await decodes(bob, (w) => w > 0, 'Bob to keep decoding after the switch');

    // That camera is unplugged: it leaves the device list and its track ends; the first one takes over.
    await ann.evaluate((lost) => {
      const devices = navigator.mediaDevices;
      const native = devices.enumerateDevices.bind(devices);
      devices.enumerateDevices = async () => (await native()).filter((d) => d.deviceId !== lost);
      const call = document.querySelector('video-call')!;
      call.participants[0]!.stream!.getVideoTracks()[0]!.stop();
      devices.dispatchEvent(new Event('devicechange'));
    }, second);
    await eventually(() => sentCamera(ann), (id) => id === first, 'Ann to fall back to the first camera');
    await decodes(bob, (w) => w > 0, 'Bob to decode the fallback camera');

    // Screen share from the control bar: Bob decodes frames larger than any camera.
    await ann.locator('video-call >>> call-button[action="toggle-screen-share"] >>> button').click();
    await decodes(bob, (w) => w > 640, 'Bob to decode Ann’s screen');
    // The browser's "Stop sharing" ends the track: the camera comes back.
    await ann.evaluate(() => {
      const track = document.querySelector('video-call')!.participants[0]!.stream!.getVideoTracks()[0]!;
      track.stop();
      track.dispatchEvent(new Event('ended'));
    });
    await decodes(bob, (w) => w > 0 && w <= 640, 'Bob to decode Ann’s camera again');
    assert.equal(await sentCamera(ann), first);
    await Promise.all([ann.close(), bob.close()]);
  });
});
