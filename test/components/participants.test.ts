import { expect, fixture, html } from '@open-wc/testing';
import serverUrl from '/__peercall-server.js';
import '../../src/index.js';
import type { CallButton } from '../../src/components/call-button/call-button.js';
import type { CallParticipants } from '../../src/components/call-participants/call-participants.js';
import type { VideoCall } from '../../src/components/video-call/video-call.js';
import type { CallParticipantChangeEvent, CallRecordingChangeEvent } from '../../src/events/index.js';
import { announcement, control, nativeButton, tileOf } from '../helpers/elements.js';
import { nextEvent, uniqueRoom, waitFor, waitForDecodedFrame } from '../helpers/wait.js';

const shadow = (el: Element) => el.shadowRoot!;
const videos = (el: VideoCall) => [...shadow(el).querySelectorAll<HTMLVideoElement>('[part~="stage"] video')];
const iconsOn = (tile: Element) =>
  [...tile.querySelectorAll('[part~="status-icon"]')].map((icon) => icon.getAttribute('aria-label'));
const list = (el: VideoCall) => shadow(el).querySelector<CallParticipants>('call-participants');
const listNames = (el: VideoCall) =>
  [...(list(el)?.shadowRoot?.querySelectorAll('[part~="participant"] .name') ?? [])].map((n) => n.textContent);
const press = async (el: VideoCall, action: string) => {
  await waitFor(() => !!control(el, action) && !nativeButton(control(el, action))?.disabled, `the ${action} button`);
  nativeButton(control(el, action)).click();
};

/** Two participants on one page, both joined and seeing each other's video. */
async function pair(attributes = '') {
  const room = uniqueRoom('status');
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  // Attributes under test are set as written, like a page would.
  wrapper.innerHTML = `<video-call id="ann" autojoin room="${room}" name="Ann" ${attributes}></video-call>
    <video-call id="bob" autojoin room="${room}" name="Bob"></video-call>`;
  const ann = wrapper.querySelector<VideoCall>('#ann')!;
  const bob = wrapper.querySelector<VideoCall>('#bob')!;
  ann.server = bob.server = serverUrl;
  await waitFor(() => videos(ann).length === 2 && videos(bob).length === 2, 'both tiles on both elements', 12000);
  await waitForDecodedFrame(videos(ann)[1], 'Ann to decode Bob');
  await waitForDecodedFrame(videos(bob)[1], 'Bob to decode Ann');
  const annId = ann.participants[0].peerId;
  // Each reports their status shortly after joining; wait for that, so that later changes are the test's own.
  await waitFor(() => bob.participants.find((p) => p.peerId === annId)?.status !== undefined, 'Ann’s first status');
  return { ann, bob, annId, annOnBob: () => tileOf(bob, annId) };
}

/** Reads a WebM's duration: MediaRecorder writes none, so the player finds it by seeking to the end. */
async function durationOf(file: Blob): Promise<number> {
  const video = document.createElement('video');
  video.muted = true;
  const url = URL.createObjectURL(file);
  try {
    video.src = url;
    await new Promise((resolve, reject) => {
      video.onloadedmetadata = resolve;
      video.onerror = () => reject(new Error('the recording does not play'));
    });
    if (!Number.isFinite(video.duration)) {
      video.currentTime = Number.MAX_SAFE_INTEGER;
      await waitFor(() => Number.isFinite(video.duration), 'the recording’s duration');
    }
    return video.duration;
  } finally {
    URL.revokeObjectURL(url);
  }
}

describe('<video-call> participant status', () => {
  it('shows a muted microphone and a camera turned off on that person’s tile for the others', async () => {
    const { ann, bob, annId, annOnBob } = await pair();
    expect(iconsOn(annOnBob())).to.deep.equal([]);
    const changed = nextEvent<CallParticipantChangeEvent>(bob, 'call-participant-change');
    await press(ann, 'toggle-audio');
    const { detail } = await changed;
    expect(detail).to.deep.include({ peerId: annId, name: 'Ann' });
    expect(detail.status).to.deep.equal({ audio: false, video: true, hand: false, recording: false });
    await waitFor(() => iconsOn(annOnBob()).includes('Microphone off'), 'the muted icon on Bob’s view of Ann');
    // Styled: its sheet is adopted next to the element's own (and the device menu's).
    const row = annOnBob().querySelector('[part~="tile-status"]')!;
    await waitFor(() => getComputedStyle(row).position === 'absolute', 'the icon row’s styles');
    expect(getComputedStyle(shadow(bob).querySelector('[part~="stage"]')!).display).to.equal('grid');
    ann.toggleVideo(false);
    await waitFor(() => iconsOn(annOnBob()).includes('Camera off'), 'the camera-off icon');
    ann.toggleAudio(true);
    await waitFor(() => !iconsOn(annOnBob()).includes('Microphone off'), 'the muted icon to go');
    // Her own tile shows it too.
    await waitFor(() => iconsOn(tileOf(ann, annId)).join() === 'Camera off', 'Ann’s own tile');
    await Promise.all([ann.leave(), bob.leave()]);
  });

  it('raises a hand: the others see it on the tile, hear it, and find it first in the list', async () => {
    const { ann, bob, annOnBob } = await pair();
    const hand = control(ann, 'toggle-hand');
    await hand.updateComplete;
    expect(nativeButton(hand).getAttribute('aria-label')).to.equal('Raise hand');
    expect(nativeButton(hand).getAttribute('aria-pressed')).to.equal('false');
    const raised = nextEvent<CustomEvent>(ann, 'call-hand-change');
    await press(ann, 'toggle-hand');
    expect((await raised).detail).to.deep.equal({ raised: true });
    await waitFor(() => nativeButton(hand).getAttribute('aria-pressed') === 'true', 'the pressed Raise hand button');
    expect(nativeButton(hand).title).to.equal('Lower hand');
    await waitFor(() => iconsOn(annOnBob()).includes('Hand raised'), 'the hand on Bob’s view of Ann');
    await waitFor(() => announcement(bob).includes('Ann raised their hand'), 'the announcement');
    // Bob's list: both of them, Ann's raised hand first although she is not Bob.
    await press(bob, 'toggle-participants');
    await waitFor(() => listNames(bob).length === 2, 'the list');
    expect(listNames(bob)).to.deep.equal(['Ann', 'Bob (You)']);
    const annRow = list(bob)!.shadowRoot!.querySelector('[part~="participant"]')!;
    expect(iconsOn(annRow)).to.deep.equal(['Hand raised']);
    expect(nativeButton(control(bob, 'toggle-participants')).getAttribute('aria-pressed')).to.equal('true');
    await expect(bob).to.be.accessible();
    await press(ann, 'toggle-hand');
    await waitFor(() => !iconsOn(annOnBob()).includes('Hand raised'), 'the hand to go down');
    await waitFor(() => listNames(bob)[0] === 'Bob (You)', 'the list back in call order');
    await press(bob, 'toggle-participants');
    await waitFor(() => !list(bob), 'the list to close');
    await Promise.all([ann.leave(), bob.leave()]);
  });

  it('records the call as a real WebM, shown to everyone while it runs', async () => {
    const { ann, bob, annOnBob } = await pair();
    const started = nextEvent<CallRecordingChangeEvent>(ann, 'call-recording-change');
    await press(ann, 'toggle-recording');
    expect((await started).detail.recording).to.equal(true);
    await waitFor(() => iconsOn(annOnBob()).includes('Recording'), 'the recording icon on Bob’s view of Ann');
    await waitFor(() => announcement(bob).includes('Ann is recording'), 'Bob to hear of it');
    const badge = () => shadow(ann).querySelector('[part~="recording"]');
    // Two seconds in: on a loaded machine the recorder's encoder may not have produced anything after one.
    await waitFor(() => /Recording 0:0[2-9]/.test(badge()?.textContent ?? ''), 'the elapsed time', 5000);
    expect(nativeButton(control(ann, 'toggle-recording')).title).to.equal('Stop recording');
    const stopped = nextEvent<CallRecordingChangeEvent>(ann, 'call-recording-change');
    await press(ann, 'toggle-recording');
    const { detail } = await stopped;
    expect(detail.recording).to.equal(false);
    const file = detail.file!;
    expect(file.type).to.equal('video/webm');
    expect(file.size).to.be.greaterThan(1000);
    const magic = new Uint8Array(await file.slice(0, 4).arrayBuffer());
    expect([...magic]).to.deep.equal([0x1a, 0x45, 0xdf, 0xa3]);
    expect(await durationOf(file)).to.be.greaterThan(0.5);
    // Sound from the fake microphones (a beep every second) made it into the mix.
    const context = new OfflineAudioContext(1, 1, 48000);
    const sound = await context.decodeAudioData(await file.arrayBuffer());
    const loudest = sound.getChannelData(0).reduce((max, sample) => Math.max(max, Math.abs(sample)), 0);
    expect(loudest).to.be.greaterThan(0.01);
    await waitFor(() => !iconsOn(annOnBob()).includes('Recording'), 'the recording icon to go');
    await ann.updateComplete;
    const link = shadow(ann).querySelector<HTMLAnchorElement>('[part~="download"]')!;
    expect(link.href).to.match(/^blob:/);
    expect(link.download).to.match(/\.webm$/);
    expect((await (await fetch(link.href)).blob()).size).to.equal(file.size);
    shadow(ann).querySelector<HTMLButtonElement>('[part~="dismiss-button"]')!.click();
    await ann.updateComplete;
    expect(shadow(ann).querySelector('[part~="download"]')).to.equal(null);
    // The Blob URL was let go.
    let revoked = false;
    await fetch(link.href).catch(() => (revoked = true));
    expect(revoked).to.equal(true);
    await Promise.all([ann.leave(), bob.leave()]);
  });

  it('stops a recording when the call ends and still offers the file', async () => {
    const { ann, bob } = await pair();
    await press(ann, 'toggle-recording');
    await waitFor(() => !!shadow(ann).querySelector('[part~="recording"]'), 'the recording badge');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const stopped = nextEvent<CallRecordingChangeEvent>(ann, 'call-recording-change');
    await press(ann, 'leave');
    const { detail } = await stopped;
    expect(detail.recording).to.equal(false);
    expect(detail.file!.size).to.be.greaterThan(1000);
    await waitFor(() => ann.state === 'idle', 'Ann idle');
    await ann.updateComplete;
    expect(shadow(ann).querySelector('[part~="download"]')).to.not.equal(null);
    await bob.leave();
  });

  it('keeps recording when the element is moved, and hands over the file when it is removed', async () => {
    const { ann, bob } = await pair();
    await press(ann, 'toggle-recording');
    await waitFor(() => /0:0[1-9]/.test(shadow(ann).querySelector('[part~="recording"]')?.textContent ?? ''), 'a second of recording');
    const parent = ann.parentElement!;
    parent.append(ann);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ann.state).to.equal('joined');
    expect(shadow(ann).querySelector('[part~="recording"]')).to.not.equal(null);
    const stopped = nextEvent<CallRecordingChangeEvent>(ann, 'call-recording-change');
    ann.remove();
    const { detail } = await stopped;
    expect(detail.file!.size).to.be.greaterThan(0);
    await bob.leave();
  });

  it('hides each feature’s button with its no-* attribute', async () => {
    const { ann, bob } = await pair('no-raise-hand no-recording no-participants');
    await waitFor(() => !!control(bob, 'toggle-hand'), 'Bob’s feature buttons');
    await ann.updateComplete;
    for (const action of ['toggle-hand', 'toggle-participants', 'toggle-recording']) {
      expect(control(ann, action), action).to.equal(null);
      expect(control(bob, action), action).to.not.equal(null);
    }
    ann.noParticipants = false;
    await waitFor(() => !!control(ann, 'toggle-participants'), 'the list button back');
    expect(control(ann, 'toggle-hand')).to.equal(null);
    // Turning recording off while Bob records ends his recording.
    await press(bob, 'toggle-recording');
    await waitFor(() => !!shadow(bob).querySelector('[part~="recording"]'), 'Bob recording');
    const stopped = nextEvent<CallRecordingChangeEvent>(bob, 'call-recording-change');
    bob.noRecording = true;
    expect((await stopped).detail.recording).to.equal(false);
    expect(control(bob, 'toggle-recording')).to.equal(null);
    await Promise.all([ann.leave(), bob.leave()]);
  });

  it('lets a slotted <call-button> toggle the hand, and disables it with no-raise-hand', async () => {
    const room = uniqueRoom('status');
    const el = await fixture<VideoCall>(html`<video-call autojoin room=${room} server=${serverUrl} name="Ann">
      <call-button slot="controls" action="toggle-hand"></call-button>
    </video-call>`);
    const button = el.querySelector<CallButton>('call-button')!;
    await waitFor(() => !nativeButton(button).disabled, 'the slotted hand button');
    await waitFor(() => !!button.shadowRoot!.querySelector('[part="icon"] svg'), 'its icon');
    nativeButton(button).click();
    await waitFor(() => el.participants[0].status?.hand === true, 'the hand up');
    el.noRaiseHand = true;
    await waitFor(() => nativeButton(button).disabled, 'the button disabled');
    // And the hand goes down: nobody could lower it otherwise.
    await waitFor(() => el.participants[0].status?.hand === false, 'the hand down');
    await el.leave();
  });
});
