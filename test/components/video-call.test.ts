import { expect, fixture, html } from '@open-wc/testing';
import serverUrl from '/__peercall-server.js';
import '../../src/index.js';
import type { VideoCall } from '../../src/components/video-call/video-call.js';
import type { CallButton } from '../../src/components/call-button/call-button.js';
import { nextEvent, uniqueRoom, waitFor, waitForDecodedFrame } from '../helpers/wait.js';

const shadow = (el: Element) => el.shadowRoot!;
const videos = (el: VideoCall) => [...shadow(el).querySelectorAll<HTMLVideoElement>('video')];
const control = (el: VideoCall, action: string) =>
  shadow(el).querySelector<CallButton>(`call-button[action="${action}"]`)!;
const statusText = (el: VideoCall) =>
  [...shadow(el).querySelectorAll('[part~="status"]')]
    .filter((node) => !node.closest('[hidden]'))
    .map((node) => node.textContent?.trim())
    .join(' ');

describe('<video-call>', () => {
  it('shows a pre-join view with an accessible Join button and does not touch the camera', async () => {
    const el = await fixture<VideoCall>(html`<video-call room="lobby-test" server=${serverUrl} name="Ann"></video-call>`);
    expect(el.state).to.equal('idle');
    const joinButton = shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!;
    expect(joinButton.textContent?.trim()).to.equal('Join call');
    expect(shadow(el).querySelector<HTMLInputElement>('[part="name-input"]')!.value).to.equal('Ann');
    expect(videos(el)).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('reflects its public attributes', async () => {
    const el = await fixture<VideoCall>(html`<video-call server=${serverUrl}></video-call>`);
    el.room = 'reflected';
    el.noAudio = true;
    el.noVideo = true;
    await el.updateComplete;
    expect(el.getAttribute('room')).to.equal('reflected');
    expect(el.hasAttribute('no-audio')).to.equal(true);
    expect(el.hasAttribute('no-video')).to.equal(true);
  });

  it('joins from the Join button with the typed name and fires call-state-change and call-joined', async () => {
    const room = uniqueRoom();
    const el = await fixture<VideoCall>(html`<video-call room=${room} server=${serverUrl}></video-call>`);
    const input = shadow(el).querySelector<HTMLInputElement>('[part="name-input"]')!;
    input.value = 'Typed name';
    input.dispatchEvent(new InputEvent('input'));
    const states: string[] = [];
    el.addEventListener('call-state-change', (e) => states.push(e.detail.state));
    const joined = nextEvent<CustomEvent>(el, 'call-joined');
    shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
    const { detail } = await joined;
    expect(detail.room).to.equal(room);
    expect(detail.peerId).to.be.a('string').and.not.equal('');
    expect(states).to.deep.equal(['joining', 'joined']);
    await el.updateComplete;
    expect(el.participants[0].name).to.equal('Typed name');
    expect(shadow(el).querySelector('[part~="local-tile"] [part="name"]')!.textContent).to.contain('Typed name');
    await el.leave();
  });

  it('autojoins, renders a muted, inline local preview and accessible controls', async () => {
    const el = await fixture<VideoCall>(
      html`<video-call autojoin room=${uniqueRoom()} server=${serverUrl} name="Ann"></video-call>`,
    );
    await waitFor(() => el.state === 'joined', 'joined');
    await el.updateComplete;
    const [local] = videos(el);
    expect(local.muted).to.equal(true);
    expect(local.hasAttribute('playsinline')).to.equal(true);
    await waitForDecodedFrame(local, 'the local preview');
    expect(el.matches(':state(joined)')).to.equal(true);
    const mic = control(el, 'toggle-audio');
    const base = mic.shadowRoot!.querySelector('button')!;
    expect(base.getAttribute('aria-label')).to.equal('Microphone');
    expect(base.getAttribute('aria-pressed')).to.equal('true');
    await expect(el).to.be.accessible();
    await el.leave();
  });

  it('joins with microphone and camera off when asked, and toggles them from the controls', async () => {
    const el = await fixture<VideoCall>(
      html`<video-call autojoin no-audio no-video room=${uniqueRoom()} server=${serverUrl}></video-call>`,
    );
    await waitFor(() => el.state === 'joined', 'joined');
    await el.updateComplete;
    const stream = el.participants[0].stream!;
    expect(stream.getAudioTracks()[0].enabled).to.equal(false);
    expect(stream.getVideoTracks()[0].enabled).to.equal(false);
    const mic = control(el, 'toggle-audio');
    expect(mic.pressed).to.equal(false);
    const change = nextEvent<CustomEvent>(el, 'call-media-change');
    mic.shadowRoot!.querySelector('button')!.click();
    expect((await change).detail).to.deep.equal({ audio: true, video: false });
    await el.updateComplete;
    expect(mic.pressed).to.equal(true);
    expect(stream.getAudioTracks()[0].enabled).to.equal(true);
    el.toggleVideo(true);
    expect(stream.getVideoTracks()[0].enabled).to.equal(true);
    await el.leave();
  });

  it('shows each participant’s video and name to the other, and removes the tile on leave', async () => {
    const room = uniqueRoom();
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <video-call id="ann" autojoin room=${room} server=${serverUrl} name="Ann"></video-call>
      <video-call id="bob" autojoin room=${room} server=${serverUrl} name="<b>Bob</b>"></video-call>
    </div>`);
    const ann = wrapper.querySelector<VideoCall>('#ann')!;
    const bob = wrapper.querySelector<VideoCall>('#bob')!;
    await waitFor(() => videos(ann).length === 2 && videos(bob).length === 2, 'both tiles on both elements');
    await waitForDecodedFrame(videos(ann)[1], 'Ann to decode Bob');
    await waitForDecodedFrame(videos(bob)[1], 'Bob to decode Ann');
    expect(videos(ann)[1].muted).to.equal(false);
    const remoteName = shadow(ann).querySelector('[part~="remote-tile"] [part="name"]')!;
    expect(remoteName.textContent).to.equal('<b>Bob</b>');
    expect(remoteName.querySelector('b')).to.equal(null);
    const left = nextEvent<CustomEvent>(ann, 'call-participant-left', 3000);
    control(bob, 'leave').shadowRoot!.querySelector('button')!.click();
    expect((await left).detail.name).to.equal('<b>Bob</b>');
    await ann.updateComplete;
    expect(videos(ann)).to.have.length(1);
    await waitFor(() => bob.state === 'idle', 'Bob idle');
    await bob.updateComplete;
    expect(statusText(bob)).to.contain('You left the call.');
    await ann.leave();
  });

  it('releases camera, microphone and the room when removed from the page', async () => {
    const room = uniqueRoom();
    const watcher = await fixture<VideoCall>(html`<video-call autojoin room=${room} server=${serverUrl}></video-call>`);
    const el = document.createElement('video-call');
    Object.assign(el, { room, server: serverUrl, autojoin: true });
    document.body.append(el);
    await waitFor(() => el.state === 'joined' && watcher.participants.length === 2, 'both joined');
    const tracks = el.participants[0].stream!.getTracks();
    const left = nextEvent<CustomEvent>(el, 'call-left');
    const seen = nextEvent<CustomEvent>(watcher, 'call-participant-left', 3000);
    el.remove();
    expect((await left).detail.reason).to.equal('removed');
    expect(tracks.every((t) => t.readyState === 'ended')).to.equal(true);
    await seen;
    await watcher.leave();
  });

  it('keeps the call when moved elsewhere in the page', async () => {
    const el = await fixture<VideoCall>(html`<video-call autojoin room=${uniqueRoom()} server=${serverUrl}></video-call>`);
    await waitFor(() => el.state === 'joined', 'joined');
    const peerId = el.participants[0].peerId;
    const elsewhere = document.createElement('section');
    document.body.append(elsewhere);
    elsewhere.append(el);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(el.state).to.equal('joined');
    expect(el.participants[0].peerId).to.equal(peerId);
    await el.leave();
    elsewhere.remove();
  });

  it('explains a bad room inside the element, fires call-error, and offers to try again', async () => {
    const el = await fixture<VideoCall>(html`<video-call room="bad room!" server=${serverUrl}></video-call>`);
    const error = nextEvent<CustomEvent>(el, 'call-error');
    await el.join().catch(() => {});
    expect((await error).detail.type).to.equal('room-invalid');
    await el.updateComplete;
    expect(el.state).to.equal('error');
    expect(statusText(el)).to.contain('room name is not valid');
    expect(shadow(el).querySelector('.panel:not([hidden]) [part="join-button"]')!.textContent?.trim()).to.equal(
      'Try again',
    );
  });

  it('says so when the server cannot be reached', async () => {
    const el = await fixture<VideoCall>(html`<video-call room="x" server="http://127.0.0.1:9/"></video-call>`);
    await el.join().catch(() => {});
    await el.updateComplete;
    expect(statusText(el)).to.contain('cannot be reached');
  });

  it('moves the call when the room changes', async () => {
    const el = await fixture<VideoCall>(html`<video-call autojoin room=${uniqueRoom()} server=${serverUrl}></video-call>`);
    await waitFor(() => el.state === 'joined', 'joined');
    const next = uniqueRoom('next');
    const joined = nextEvent<CustomEvent>(el, 'call-joined');
    el.room = next;
    expect((await joined).detail.room).to.equal(next);
    await el.leave();
  });
});
