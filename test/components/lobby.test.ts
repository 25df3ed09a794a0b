import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import serverUrl from '/__peercall-server.js';
import '../../src/index.js';
import type { VideoCall } from '../../src/components/video-call/video-call.js';
import { lobbyTiming } from '../../src/controllers/lobby-controller.js';
import { statusText } from '../helpers/elements.js';
import { uniqueRoom, waitFor, waitForDecodedFrame } from '../helpers/wait.js';

const shadow = (el: Element) => el.shadowRoot!;
const part = <E extends Element = HTMLElement>(el: Element, name: string) =>
  shadow(el).querySelector<E>(`[part~="${name}"]`)!;
const preview = (el: VideoCall) => part<HTMLVideoElement>(el, 'preview-video');
const toggle = (el: VideoCall, kind: 'audio' | 'video') =>
  shadow(el).querySelector<HTMLButtonElement>(`[part~="preview-toggle"][data-kind="${kind}"]`)!;
const select = (el: VideoCall, kind: string) =>
  shadow(el).querySelector<HTMLSelectElement>(`[part~="device-select"][data-kind="${kind}"]`);
const lobby = async (room = uniqueRoom('lobby'), attrs = '') => {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div .innerHTML=${`<video-call room="${room}" server="${serverUrl}" ${attrs}></video-call>`}></div>`,
  );
  const el = wrapper.querySelector<VideoCall>('video-call')!;
  await el.updateComplete;
  return el;
};

/** Counts getUserMedia calls and lets a test make it fail; the only stub the lobby tests use. */
const mediaDevices = navigator.mediaDevices;
const realGetUserMedia = mediaDevices.getUserMedia.bind(mediaDevices);
let gumCalls: MediaStreamConstraints[] = [];
let gumOverride: ((constraints: MediaStreamConstraints) => Promise<MediaStream>) | null = null;
mediaDevices.getUserMedia = (constraints?: MediaStreamConstraints) => {
  gumCalls.push(constraints ?? {});
  return gumOverride ? gumOverride(constraints ?? {}) : realGetUserMedia(constraints);
};
const reject = (name: string, message = '') => () => Promise.reject(new DOMException(message, name));

beforeEach(() => {
  localStorage.removeItem('peercall:name');
  gumCalls = [];
  gumOverride = null;
});

describe('<video-call> pre-join lobby', () => {
  it('shows a mirrored, muted, inline camera preview with frames at once', async () => {
    const el = await lobby();
    await waitFor(() => !!preview(el) && !preview(el).hidden, 'the preview');
    const video = preview(el);
    expect(video.muted).to.equal(true);
    expect(video.hasAttribute('playsinline')).to.equal(true);
    expect(getComputedStyle(video).transform).to.contain('matrix(-1');
    await waitForDecodedFrame(video, 'preview frames');
    expect(el.matches(':state(previewing)')).to.equal(true);
    expect(gumCalls).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('moves an accessible level meter with the fake microphone', async () => {
    const el = await lobby();
    await waitFor(() => !!shadow(el).querySelector('[part~="level-meter"]'), 'the meter');
    const meter = part(el, 'level-meter');
    expect(meter.getAttribute('role')).to.equal('meter');
    expect(meter.getAttribute('aria-label')).to.equal('Microphone level');
    // Chromium's fake microphone beeps: the level rises and falls.
    const seen = new Set<string>();
    await waitFor(() => {
      seen.add(part(el, 'level-meter').getAttribute('aria-valuenow')!);
      return seen.size >= 3 && [...seen].some((v) => Number(v) > 0);
    }, 'the meter to move');
  });

  it('moves the meter without rendering the element for each step', async () => {
    const el = await lobby();
    await waitFor(() => !!shadow(el).querySelector('[part~="level-meter"]'), 'the meter');
    const meter = part(el, 'level-meter');
    let steps = 0;
    new MutationObserver((records) => (steps += records.length)).observe(meter, { attributeFilter: ['aria-valuenow'] });
    let renders = 0;
    const instance = el as unknown as { performUpdate(): void };
    const performUpdate = instance.performUpdate;
    instance.performUpdate = function (this: unknown) {
      renders++;
      return performUpdate.call(this);
    };
    await waitFor(() => steps >= 6, 'the meter to step a few times');
    expect(renders).to.be.below(steps / 2);
  });

  it('keeps the preview playing through re-renders: a render does not reload its video', async () => {
    const el = await lobby();
    await waitFor(() => !!preview(el) && !preview(el).hidden, 'the preview');
    const video = preview(el);
    await waitForDecodedFrame(video, 'preview frames');
    // Assigning srcObject again, even the same stream, restarts the element's load: 'loadstart'.
    let reloads = 0;
    video.addEventListener('loadstart', () => reloads++);
    for (let i = 0; i < 5; i++) {
      el.requestUpdate();
      await el.updateComplete;
    }
    // The events of a load would have been queued by now.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reloads).to.equal(0);
    expect(preview(el)).to.equal(video);
  });

  it('lists cameras, microphones and speakers with labels, and switches the camera live', async () => {
    const el = await lobby();
    await waitFor(() => !!select(el, 'videoinput') && !!select(el, 'audioinput'), 'the pickers');
    const cameras = select(el, 'videoinput')!;
    expect(cameras.options.length).to.be.greaterThan(0);
    expect(cameras.options[0].textContent!.trim()).to.not.equal('');
    expect(select(el, 'audiooutput') !== null).to.equal('setSinkId' in HTMLMediaElement.prototype);
    const before = (preview(el).srcObject as MediaStream).getVideoTracks()[0];
    cameras.value = cameras.options[cameras.options.length - 1].value;
    cameras.dispatchEvent(new Event('change'));
    await waitFor(() => (preview(el).srcObject as MediaStream).getVideoTracks()[0] !== before, 'a new camera track');
    expect(before.readyState).to.equal('ended');
    await waitForDecodedFrame(preview(el), 'frames from the chosen camera');
  });

  it('keeps the old camera and says why when the chosen one is busy', async () => {
    const el = await lobby();
    await waitFor(() => !!select(el, 'videoinput'), 'the camera picker');
    const before = (preview(el).srcObject as MediaStream).getVideoTracks()[0];
    gumOverride = reject('NotReadableError');
    const cameras = select(el, 'videoinput')!;
    cameras.value = cameras.options[cameras.options.length - 1].value;
    cameras.dispatchEvent(new Event('change'));
    await waitFor(() => statusText(el).includes('in use by another app'), 'the busy text');
    expect(before.readyState).to.equal('live');
    expect(el.matches(':state(previewing)')).to.equal(true);
  });

  it('has start-muted toggles that follow no-audio / no-video and carry into the call', async () => {
    const room = uniqueRoom('lobby');
    const el = await lobby(room, 'no-video');
    await waitFor(() => !!toggle(el, 'audio'), 'the toggles');
    expect(toggle(el, 'audio').getAttribute('aria-pressed')).to.equal('true');
    expect(toggle(el, 'video').getAttribute('aria-pressed')).to.equal('false');
    expect(preview(el).hidden).to.equal(true);
    expect(statusText(el)).to.equal('');
    toggle(el, 'audio').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(toggle(el, 'audio').getAttribute('aria-pressed')).to.equal('false');
    expect(part(el, 'level-meter').getAttribute('aria-valuenow')).to.equal('0');
    await el.join();
    const stream = el.participants[0].stream!;
    expect(stream.getAudioTracks()[0].enabled).to.equal(false);
    expect(stream.getVideoTracks()[0].enabled).to.equal(false);
    await el.leave();
  });

  it('joins with the preview stream: no second getUserMedia, and the chosen devices', async () => {
    const el = await lobby();
    await waitFor(() => el.matches(':state(previewing)'), 'the preview');
    const previewVideo = preview(el);
    const stream = previewVideo.srcObject as MediaStream;
    await el.join();
    expect(gumCalls).to.have.length(1);
    expect(el.participants[0].stream).to.equal(stream);
    expect(shadow(el).querySelector('[part~="preview-video"]')).to.equal(null);
    // The preview's element, gone from the page, no longer plays the camera the call now sends.
    expect(previewVideo.srcObject === null).to.equal(true);
    await el.leave();
    // The call owned the stream: leaving let the camera go, and the lobby does not take it back unasked.
    expect(stream.getTracks().every((track) => track.readyState === 'ended')).to.equal(true);
    await el.updateComplete;
    expect(el.matches(':state(previewing)')).to.equal(false);
    expect(part(el, 'preview-button').textContent!.trim()).to.equal('Check camera and microphone');
  });

  it('remembers the name across visits unless the name attribute sets it', async () => {
    const first = await lobby();
    const input = part<HTMLInputElement>(first, 'name-input');
    input.value = 'Remembered Rita';
    input.dispatchEvent(new InputEvent('input'));
    await first.join();
    await first.leave();
    expect(localStorage.getItem('peercall:name')).to.equal('Remembered Rita');
    const second = await lobby();
    expect(part<HTMLInputElement>(second, 'name-input').value).to.equal('Remembered Rita');
    const named = await lobby(uniqueRoom('lobby'), 'name="Set by site"');
    expect(part<HTMLInputElement>(named, 'name-input').value).to.equal('Set by site');
  });

  it('with no-preview asks for nothing until Join or until the visitor asks for the preview', async () => {
    const el = await lobby(uniqueRoom('lobby'), 'no-preview');
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(gumCalls).to.have.length(0);
    expect(shadow(el).querySelector('video')).to.equal(null);
    await expect(el).to.be.accessible();
    part(el, 'preview-button').click();
    await waitFor(() => el.matches(':state(previewing)'), 'the preview on request');
    expect(gumCalls).to.have.length(1);
  });

  const failures: [string, string, RegExp][] = [
    ['NotAllowedError', '', /blocked for this site.*address bar/],
    ['NotAllowedError', 'Permission denied by system', /privacy settings/],
    ['NotReadableError', '', /in use by another app/],
    ['NotFoundError', '', /No camera or microphone was found/],
  ];
  for (const [name, message, text] of failures) {
    it(`explains ${name}${message ? ` (${message})` : ''} with a way forward`, async () => {
      gumOverride = reject(name, message);
      const changes: string[] = [];
      const record = (e: Event) => {
        const { status, failure } = (e as CustomEvent).detail;
        changes.push(`${status}${failure ? `:${failure}` : ''}`);
      };
      document.addEventListener('call-preview-change', record);
      const el = await lobby();
      await waitFor(() => el.shadowRoot!.querySelector('[part~="preview"][data-status="failed"]') !== null, 'the failure');
      document.removeEventListener('call-preview-change', record);
      const expected = { NotAllowedError: message ? 'denied-by-system' : 'denied', NotReadableError: 'busy', NotFoundError: 'not-found' }[name];
      expect(changes).to.deep.equal(['starting', `failed:${expected}`]);
      expect(el.state).to.equal('idle');
      expect(statusText(el)).to.match(text);
      await expect(el).to.be.accessible();
      // Try again: once the cause is gone, the preview comes up.
      gumOverride = null;
      part(el, 'preview-button').click();
      await waitFor(() => el.matches(':state(previewing)'), 'the preview after Try again');
      expect(statusText(el)).to.equal('');
    });
  }

  it('joins to watch and listen when there is neither camera nor microphone', async () => {
    const room = uniqueRoom('watch');
    gumOverride = reject('NotFoundError');
    const watcher = await lobby(room);
    await waitFor(() => shadow(watcher).querySelector('[part~="preview"][data-status="failed"]') !== null, 'no devices');
    await watcher.join();
    expect(watcher.participants[0].stream!.getTracks()).to.have.length(0);
    gumOverride = null;
    const speaker = await fixture<VideoCall>(html`<video-call autojoin no-preview room=${room} server=${serverUrl}></video-call>`);
    try {
      await waitFor(() => watcher.participants.some((p) => !p.local && p.stream?.getVideoTracks().length === 1), 'the watcher to receive video');
      await waitFor(() => speaker.participants.length === 2, 'the speaker to see the watcher');
    } finally {
      await Promise.all([watcher.leave(), speaker.leave()]);
    }
  });

  it('falls back to sound only when there is no camera, and says so', async () => {
    gumOverride = (constraints) => (constraints.video ? reject('NotFoundError')() : realGetUserMedia(constraints));
    const el = await lobby();
    await waitFor(() => el.matches(':state(previewing)'), 'the audio-only preview');
    expect(statusText(el)).to.contain('No camera found: you will join with sound only.');
    expect(toggle(el, 'video')).to.equal(null);
    await el.join();
    expect(el.participants[0].stream!.getVideoTracks()).to.have.length(0);
    await el.leave();
  });

  it('relaxes constraints a device cannot meet without telling the user', async () => {
    gumOverride = (constraints) =>
      typeof constraints.video === 'object' ? reject('OverconstrainedError')() : realGetUserMedia(constraints);
    const el = await lobby();
    await waitFor(() => el.matches(':state(previewing)'), 'the relaxed preview');
    expect(statusText(el)).to.equal('');
    await waitForDecodedFrame(preview(el), 'frames');
  });

  it('explains an ignored permission prompt, and that a page needs https', async () => {
    const helpAfter = lobbyTiming.promptHelpMs;
    lobbyTiming.promptHelpMs = 100;
    gumOverride = () => new Promise(() => {});
    try {
      const el = await lobby();
      await waitFor(() => statusText(el).includes('asking whether this page may use your camera'), 'prompt help');
      await expect(el).to.be.accessible();
    } finally {
      lobbyTiming.promptHelpMs = helpAfter;
    }
    gumOverride = null;
    const secure = Object.getOwnPropertyDescriptor(window, 'isSecureContext')!;
    Object.defineProperty(window, 'isSecureContext', { value: false, configurable: true });
    try {
      const el = await lobby();
      await waitFor(() => statusText(el).includes('secure page'), 'the https explanation');
      expect(shadow(el).querySelector('[part~="preview-button"]')).to.equal(null);
    } finally {
      Object.defineProperty(window, 'isSecureContext', secure);
    }
    expect(window.isSecureContext).to.equal(true);
  });

  it('shows its texts in Chinese', async () => {
    gumOverride = reject('NotReadableError');
    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="zh-CN"><video-call room=${uniqueRoom()} server=${serverUrl}></video-call></div>`,
    );
    const el = wrapper.querySelector('video-call')!;
    await waitFor(() => statusText(el).includes('正被其他应用占用'), 'Chinese busy text');
  });
});
