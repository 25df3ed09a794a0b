import { expect, fixture, html } from '@open-wc/testing';
import serverUrl from '/__peercall-server.js';
import '../../src/index.js';
import type { VideoCall } from '../../src/components/video-call/video-call.js';
import type { CallDeviceChangeEvent, CallScreenShareChangeEvent } from '../../src/index.js';
import { limitsFor } from '../../src/core/mesh-governor.js';
import { control, nativeButton } from '../helpers/elements.js';
import { recordPeerConnections } from '../helpers/peer-connections.js';
import { nextEvent, uniqueRoom, waitFor } from '../helpers/wait.js';

const connections = recordPeerConnections();
const shadow = (el: Element) => el.shadowRoot!;
const part = <E extends Element = HTMLElement>(el: Element, name: string) => shadow(el).querySelector<E>(`[part~="${name}"]`);

/** The fake camera's size (media.ts asks for 640×360); the fake screen is the headless window, 800×600. */
const CAMERA_WIDTH = 640;

async function joined(room: string, name: string, attrs = ''): Promise<VideoCall> {
  const el = await fixture<VideoCall>(html`<video-call room=${room} server=${serverUrl} name=${name} no-preview></video-call>`);
  if (attrs.includes('no-screen-share')) el.noScreenShare = true;
  const done = nextEvent(el, 'call-joined', 15_000);
  void el.join();
  await done;
  return el;
}

/** The peer connection whose receivers feed `viewer`'s tile of `sender`. */
function connectionShowing(viewer: VideoCall, sender: VideoCall): RTCPeerConnection {
  const senderId = sender.participants[0]!.peerId;
  const video = shadow(viewer).querySelector<HTMLVideoElement>(`[data-participant="${senderId}"] video`);
  const ids = new Set((video?.srcObject as MediaStream | null)?.getTracks().map((t) => t.id));
  const pc = connections.find((c) => c.connectionState === 'connected' && c.getReceivers().some((r) => ids.has(r.track.id)));
  if (!pc) throw new Error('no connection shows that participant');
  return pc;
}

async function inboundVideo(pc: RTCPeerConnection): Promise<{ framesDecoded: number; frameWidth: number }> {
  let result = { framesDecoded: 0, frameWidth: 0 };
  (await pc.getStats()).forEach((r: { type: string; kind?: string; framesDecoded?: number; frameWidth?: number }) => {
    if (r.type === 'inbound-rtp' && r.kind === 'video') result = { framesDecoded: r.framesDecoded ?? 0, frameWidth: r.frameWidth ?? 0 };
  });
  return result;
}

/** Polls the remote's decoder until `accept` holds for frames decoded after this call. */
async function decodesUntil(
  pc: RTCPeerConnection,
  accept: (stats: { framesDecoded: number; frameWidth: number }) => boolean,
  what: string,
): Promise<void> {
  const start = (await inboundVideo(pc)).framesDecoded;
  const deadline = performance.now() + 10_000;
  for (;;) {
    const stats = await inboundVideo(pc);
    // Ten new frames, so that the size seen is what is sent now, not what was in flight.
    if (stats.framesDecoded > start + 10 && accept(stats)) return;
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what} (last ${JSON.stringify(stats)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function videoSender(pc: RTCPeerConnection): RTCRtpSender {
  return pc.getSenders().find((s) => s.track?.kind === 'video')!;
}

async function pair(): Promise<{ ann: VideoCall; bob: VideoCall; annToBob: RTCPeerConnection; bobFromAnn: RTCPeerConnection }> {
  const room = uniqueRoom('devices');
  const ann = await joined(room, 'Ann');
  const bob = await joined(room, 'Bob');
  await waitFor(() => ann.participants.length === 2 && bob.participants.length === 2, 'both to see each other', 15_000);
  await waitFor(() => {
    try {
      connectionShowing(bob, ann);
      connectionShowing(ann, bob);
      return true;
    } catch {
      return false;
    }
  }, 'the media connections', 15_000);
  const bobFromAnn = connectionShowing(bob, ann);
  await decodesUntil(bobFromAnn, () => true, 'Bob to decode Ann');
  return { ann, bob, annToBob: connectionShowing(ann, bob), bobFromAnn };
}

async function openMenu(el: VideoCall): Promise<HTMLElement> {
  await waitFor(() => !!part(el, 'device-menu-button'), 'the device menu button');
  part(el, 'device-menu-button')!.click();
  await el.updateComplete;
  const menu = part(el, 'device-menu')!;
  expect(menu.hidden).to.equal(false);
  return menu;
}

describe('<video-call> devices in a call', () => {
  it('switches camera and microphone from the menu without renegotiating; the other side keeps decoding', async () => {
    const { ann, bob, annToBob, bobFromAnn } = await pair();
    const oldVideo = videoSender(annToBob).track!;
    const oldAudio = annToBob.getSenders().find((s) => s.track?.kind === 'audio')!.track!;
    const signaling: RTCSignalingState[] = [];
    annToBob.addEventListener('signalingstatechange', () => signaling.push(annToBob.signalingState));

    const menu = await openMenu(ann);
    await waitFor(() => !!menu.querySelector('select[data-kind="videoinput"] option'), 'the camera list');
    const cameraSelect = menu.querySelector<HTMLSelectElement>('select[data-kind="videoinput"]')!;
    const changed = nextEvent<CallDeviceChangeEvent>(ann, 'call-device-change');
    cameraSelect.value = cameraSelect.options[cameraSelect.options.length - 1]!.value;
    cameraSelect.dispatchEvent(new Event('change'));
    const { detail } = await changed;
    expect(detail).to.deep.equal({ kind: 'videoinput', deviceId: cameraSelect.value, fallback: false });

    const newVideo = videoSender(annToBob).track!;
    expect(newVideo.id).to.not.equal(oldVideo.id);
    expect(oldVideo.readyState).to.equal('ended');
    expect(ann.participants[0]!.stream!.getVideoTracks()[0]).to.equal(newVideo);
    await decodesUntil(bobFromAnn, () => true, 'Bob to keep decoding after the camera switch');
    // The mesh governor's cap stays on the sender.
    await waitFor(
      () => videoSender(annToBob).getParameters().encodings[0]?.maxBitrate === limitsFor(1).maxBitrate,
      'the governor cap on the new track',
    );

    const micSelect = menu.querySelector<HTMLSelectElement>('select[data-kind="audioinput"]')!;
    const micChanged = nextEvent<CallDeviceChangeEvent>(ann, 'call-device-change');
    micSelect.value = micSelect.options[micSelect.options.length - 1]!.value;
    micSelect.dispatchEvent(new Event('change'));
    expect((await micChanged).detail.kind).to.equal('audioinput');
    const newAudio = annToBob.getSenders().find((s) => s.track?.kind === 'audio')!.track!;
    expect(newAudio.id).to.not.equal(oldAudio.id);
    expect(newAudio.readyState).to.equal('live');
    // No offer/answer went round: replaceTrack only.
    expect(signaling).to.deep.equal([]);
    await Promise.all([ann.leave(), bob.leave()]);
  });

  it('keeps a muted camera muted across a switch', async () => {
    const { ann, bob, annToBob } = await pair();
    ann.toggleVideo(false);
    const changed = nextEvent(ann, 'call-device-change');
    const deviceId = videoSender(annToBob).track!.getSettings().deviceId!;
    await openMenu(ann);
    const select = part<HTMLSelectElement>(ann, 'device-select')!;
    select.value = deviceId;
    select.dispatchEvent(new Event('change'));
    await changed;
    expect(videoSender(annToBob).track!.enabled).to.equal(false);
    expect(control(ann, 'toggle-video').pressed).to.equal(false);
    await Promise.all([ann.leave(), bob.leave()]);
  });

  it('falls back to another device when the camera disappears, and the other side keeps decoding', async () => {
    const { ann, bob, annToBob, bobFromAnn } = await pair();
    const lost = videoSender(annToBob).track!;
    const lostId = lost.getSettings().deviceId;
    const mediaDevices = navigator.mediaDevices;
    const native = mediaDevices.enumerateDevices;
    // The camera is unplugged: it leaves the device list and its track ends.
    mediaDevices.enumerateDevices = async () => (await native.call(mediaDevices)).filter((d) => d.deviceId !== lostId);
    try {
      const changed = nextEvent<CallDeviceChangeEvent>(ann, 'call-device-change');
      lost.stop();
      mediaDevices.dispatchEvent(new Event('devicechange'));
      const { detail } = await changed;
      expect(detail.kind).to.equal('videoinput');
      expect(detail.fallback).to.equal(true);
      const replacement = videoSender(annToBob).track!;
      expect(replacement).to.not.equal(lost);
      expect(replacement.readyState).to.equal('live');
      await decodesUntil(bobFromAnn, () => true, 'Bob to decode the fallback camera');
      await waitFor(() => shadow(ann).querySelector('[aria-live]')!.textContent!.includes('Camera disconnected'), 'the announcement');
    } finally {
      mediaDevices.enumerateDevices = native;
    }
    await Promise.all([ann.leave(), bob.leave()]);
  });

  it('shares a screen in place of the camera; the browser bar ending it brings the camera back', async () => {
    const { ann, bob, annToBob, bobFromAnn } = await pair();
    await decodesUntil(bobFromAnn, (s) => s.frameWidth > 0 && s.frameWidth <= CAMERA_WIDTH, 'the camera at Bob');
    const button = control(ann, 'toggle-screen-share');
    await waitFor(() => !nativeButton(button).disabled, 'the screen share button');
    const started = nextEvent<CallScreenShareChangeEvent>(ann, 'call-screen-share-change');
    nativeButton(button).click();
    expect((await started).detail.sharing).to.equal(true);
    await button.updateComplete;
    expect(nativeButton(button).getAttribute('aria-pressed')).to.equal('true');
    const screen = videoSender(annToBob).track!;
    expect(screen.label).to.match(/screen|window|tab|web-contents/i);
    // Bob decodes the screen: larger than any camera we capture, so it can only be the shared screen.
    await decodesUntil(bobFromAnn, (s) => s.frameWidth > CAMERA_WIDTH, 'the screen at Bob');
    const annTile = `[data-participant="${ann.participants[0]!.peerId}"]`;
    await waitFor(() => shadow(bob).querySelector(annTile)!.hasAttribute('data-presenting'), 'the presentation view at Bob');
    expect(getComputedStyle(shadow(bob).querySelector(`${annTile} video`)!).objectFit).to.equal('contain');

    // Someone joining during the share gets the screen too.
    const cat = await joined(bob.room, 'Cat');
    await waitFor(() => {
      try {
        return !!connectionShowing(cat, ann);
      } catch {
        return false;
      }
    }, 'Cat to receive Ann', 15_000);
    await decodesUntil(connectionShowing(cat, ann), (s) => s.frameWidth > CAMERA_WIDTH, 'the screen at Cat');

    // What the browser's "Stop sharing" bar does: the track ends.
    const stopped = nextEvent<CallScreenShareChangeEvent>(ann, 'call-screen-share-change');
    screen.stop();
    screen.dispatchEvent(new Event('ended'));
    expect((await stopped).detail.sharing).to.equal(false);
    expect(videoSender(annToBob).track!.readyState).to.equal('live');
    await decodesUntil(bobFromAnn, (s) => s.frameWidth > 0 && s.frameWidth <= CAMERA_WIDTH, 'the camera again at Bob');
    await waitFor(() => !shadow(bob).querySelector(annTile)!.hasAttribute('data-presenting'), 'the normal tile again');
    await button.updateComplete;
    expect(nativeButton(button).getAttribute('aria-pressed')).to.equal('false');
    await Promise.all([ann.leave(), bob.leave(), cat.leave()]);
  });

  it('shares with the camera off, and stops from the button with the camera still off', async () => {
    const { ann, bob, annToBob } = await pair();
    ann.toggleVideo(false);
    await ann.toggleScreenShare(true);
    const screen = videoSender(annToBob).track!;
    expect(screen.enabled, 'the screen is sent').to.equal(true);
    const stopped = nextEvent<CallScreenShareChangeEvent>(ann, 'call-screen-share-change');
    nativeButton(control(ann, 'toggle-screen-share')).click();
    expect((await stopped).detail.sharing).to.equal(false);
    expect(screen.readyState).to.equal('ended');
    const camera = videoSender(annToBob).track!;
    expect(camera.label).to.not.equal(screen.label);
    expect(camera.enabled, 'the camera is still off').to.equal(false);
    await Promise.all([ann.leave(), bob.leave()]);
  });

  it('no-screen-share hides the control and ignores toggleScreenShare()', async () => {
    const room = uniqueRoom('devices');
    const el = await joined(room, 'Ann', 'no-screen-share');
    await el.updateComplete;
    expect(el.hasAttribute('no-screen-share')).to.equal(true);
    expect(control(el, 'toggle-screen-share')).to.equal(null);
    await el.toggleScreenShare(true);
    expect(el.participants[0]!.stream!.getVideoTracks()[0]!.label).to.not.match(/screen/);
    el.noScreenShare = false;
    await el.updateComplete;
    expect(control(el, 'toggle-screen-share')).to.not.equal(null);
    await el.leave();
  });

  it('mirrors or hides the self-view from the menu; no-device-switch removes the menu', async () => {
    const el = await joined(uniqueRoom('devices'), 'Ann');
    const menu = await openMenu(el);
    const tile = part(el, 'local-tile')!;
    const video = tile.querySelector('video')!;
    expect(getComputedStyle(video).transform).to.not.equal('none');
    menu.querySelector<HTMLInputElement>('[data-option="mirror"]')!.click();
    await el.updateComplete;
    expect(getComputedStyle(video).transform).to.equal('none');
    menu.querySelector<HTMLInputElement>('[data-option="hide"]')!.click();
    await el.updateComplete;
    expect(tile.hidden).to.equal(true);
    await expect(el).to.be.accessible();
    el.noDeviceSwitch = true;
    await el.updateComplete;
    expect(part(el, 'device-menu-button')).to.equal(null);
    await el.leave();
  });
});
