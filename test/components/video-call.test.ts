import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import serverUrl from '/__peercall-server.js';
import '../../src/index.js';
import type { VideoCall } from '../../src/components/video-call/video-call.js';
import { VideoCall as VideoCallClass, CallButton } from '../../src/index.js';
import { CallPanel } from '../../src/components/call-panel/call-panel.js';
import { announcement, control, deepActiveElement, nativeButton, statusText } from '../helpers/elements.js';
import { nextEvent, uniqueRoom, waitFor, waitForDecodedFrame } from '../helpers/wait.js';

const shadow = (el: Element) => el.shadowRoot!;
const videos = (el: VideoCall) => [...shadow(el).querySelectorAll<HTMLVideoElement>('video')];
const part = <E extends Element = HTMLElement>(el: Element, name: string) =>
  shadow(el).querySelector<E>(`[part~="${name}"]`)!;
const joinButton = (el: VideoCall) => shadow(el).querySelector<HTMLButtonElement>('.panel:not([hidden]) [part="join-button"]')!;

// The lobby remembers names across fixtures; every test here starts from a first visit.
beforeEach(() => localStorage.removeItem('peercall:name'));

describe('<video-call>', () => {
  it('shows a pre-join view with an accessible Join button and a camera preview', async () => {
    const el = await fixture<VideoCall>(html`<video-call room="lobby-test" server=${serverUrl} name="Ann"></video-call>`);
    expect(el.state).to.equal('idle');
    expect(joinButton(el).textContent?.trim()).to.equal('Join call');
    expect(shadow(el).querySelector<HTMLInputElement>('[part="name-input"]')!.value).to.equal('Ann');
    await waitFor(() => el.matches(':state(previewing)'), 'the preview');
    await el.updateComplete;
    expect(videos(el)).to.have.length(1);
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

  it('says "Joining…" at once and shows a turning spinner only when joining takes a while', async () => {
    const el = await fixture<VideoCall>(html`<video-call room=${uniqueRoom()} server=${serverUrl}></video-call>`);
    await waitFor(() => el.matches(':state(previewing)'), 'the preview');
    // The join's message, over the signaling socket or over HTTP, reaches the server 1.2 s late.
    const HELD_MS = 1200;
    const send = WebSocket.prototype.send;
    const realFetch = window.fetch;
    WebSocket.prototype.send = function (this: WebSocket, data) {
      if (typeof data === 'string' && data.includes('"PEERCALL_JOIN"')) setTimeout(() => send.call(this, data), HELD_MS);
      else send.call(this, data);
    };
    window.fetch = (input, init) =>
      String(input instanceof Request ? input.url : input).endsWith('/join')
        ? new Promise((resolve) => setTimeout(resolve, HELD_MS)).then(() => realFetch(input, init))
        : realFetch(input, init);
    try {
      const spinner = () => shadow(el).querySelector<HTMLElement>('.panel[aria-busy="true"] .spinner');
      const turning = () => {
        const shown = spinner();
        return !!shown && getComputedStyle(shown).visibility === 'visible' && shown.getAnimations().length > 0;
      };
      joinButton(el).click();
      await el.updateComplete;
      expect(el.state).to.equal('joining');
      expect(statusText(el)).to.contain('Joining');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(spinner(), 'the spinner keeps its place').to.exist;
      expect(turning(), 'no spinner for a join that may be over in a moment').to.equal(false);
      await waitFor(turning, 'the spinner of a slow join', HELD_MS);
      expect(el.state).to.equal('joining');
      await waitFor(() => el.state === 'joined', 'the join');
      expect(spinner()).to.equal(null);
    } finally {
      WebSocket.prototype.send = send;
      window.fetch = realFetch;
    }
    await el.leave();
  });

  it('shows the whole control bar at once: Leave does not move under the pointer after the call appears', async () => {
    const room = uniqueRoom();
    // Someone is in already: while our connection to them negotiates, renders after the first joined one wait.
    const ann = await fixture<VideoCall>(html`<video-call autojoin room=${room} server=${serverUrl} name="Ann"></video-call>`);
    await waitFor(() => ann.state === 'joined', 'Ann to join');
    const el = await fixture<VideoCall>(html`<video-call room=${room} server=${serverUrl} name="Bob"></video-call>`);
    const controls = part(el, 'controls');
    const leave = control(el, 'leave');
    // Where Leave is in the first frame that shows the bar (a poll would look a frame or more later).
    const shown = new Promise<number>((resolve) => {
      const observer = new MutationObserver(() => {
        if (controls.hidden) return;
        observer.disconnect();
        requestAnimationFrame(() => resolve(leave.getBoundingClientRect().x));
      });
      observer.observe(controls, { attributes: true, attributeFilter: ['hidden'] });
    });
    joinButton(el).click();
    const first = await shown;
    // Everything the joined view adds to the bar (the device menu last) has had time to come.
    await waitFor(() => !!shadow(el).querySelector('[part="device-menu-button"]'), 'the device menu');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await el.updateComplete;
    expect(leave.getBoundingClientRect().x).to.equal(first);
    await Promise.all([el.leave(), ann.leave()]);
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
    await mic.updateComplete;
    const base = nativeButton(mic);
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
    nativeButton(mic).click();
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
    nativeButton(control(bob, 'leave')).click();
    expect((await left).detail.name).to.equal('<b>Bob</b>');
    await ann.updateComplete;
    expect(videos(ann)).to.have.length(1);
    await waitFor(() => bob.state === 'idle', 'Bob idle');
    await bob.updateComplete;
    expect(statusText(bob)).to.contain('You left the call.');
    await ann.leave();
  });

  it('hints over the stage while you are alone, and the first to arrive moves nothing', async () => {
    const room = uniqueRoom();
    const ann = await fixture<VideoCall>(
      html`<video-call autojoin room=${room} server=${serverUrl} name="Ann"><span slot="empty">Send Bob the link</span></video-call>`,
    );
    await waitFor(() => ann.state === 'joined', 'Ann in');
    await ann.updateComplete;
    const stage = part(ann, 'stage');
    const hint = shadow(ann).querySelector<HTMLElement>('.stage__hint')!;
    const slotted = ann.querySelector('[slot="empty"]')!;
    expect(hint.parentElement).to.equal(stage);
    expect(hint.checkVisibility()).to.equal(true);
    expect(slotted.getBoundingClientRect().height).to.be.greaterThan(0);
    const leaveX = () => control(ann, 'leave').getBoundingClientRect().x;
    const before = { stage: stage.getBoundingClientRect(), controls: part(ann, 'controls').getBoundingClientRect(), leave: leaveX() };

    const bob = await fixture<VideoCall>(html`<video-call autojoin room=${room} server=${serverUrl} name="Bob"></video-call>`);
    await waitFor(() => videos(ann).length === 2, 'Bob’s tile on Ann’s stage');
    // Once his video plays, everything his arrival brings to Ann's view has come.
    await waitForDecodedFrame(videos(ann)[1], 'Ann to decode Bob');
    await ann.updateComplete;
    expect(hint.checkVisibility()).to.equal(false);
    const after = { stage: stage.getBoundingClientRect(), controls: part(ann, 'controls').getBoundingClientRect(), leave: leaveX() };
    // Nor does the bar change: Leave stays under the pointer.
    expect([after.stage.width, after.stage.height, after.controls.top, after.leave]).to.deep.equal([
      before.stage.width,
      before.stage.height,
      before.controls.top,
      before.leave,
    ]);
    await Promise.all([ann.leave(), bob.leave()]);
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
    expect(joinButton(el).textContent?.trim()).to.equal('Try again');
    await expect(el).to.be.accessible();
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

describe('<video-call> in someone else’s page', () => {
  it('keeps two calls on one page apart', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <video-call id="one" autojoin room=${uniqueRoom('one')} server=${serverUrl}></video-call>
      <video-call id="two" autojoin room=${uniqueRoom('two')} server=${serverUrl}></video-call>
    </div>`);
    const one = wrapper.querySelector<VideoCall>('#one')!;
    const two = wrapper.querySelector<VideoCall>('#two')!;
    await waitFor(() => one.state === 'joined' && two.state === 'joined', 'both joined');
    one.toggleAudio(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(one.participants).to.have.length(1);
    expect(two.participants).to.have.length(1);
    expect(two.participants[0].stream!.getAudioTracks()[0].enabled).to.equal(true);
    expect(one.participants[0].stream).not.to.equal(two.participants[0].stream);
    await one.leave();
    expect(two.state).to.equal('joined');
    await two.leave();
  });

  it('survives its script being evaluated twice', async () => {
    const original = customElements.get('video-call');
    for (const module of ['video-call/video-call', 'call-button/call-button', 'call-panel/call-panel']) {
      // A second copy of each element module, as a page that includes the embed twice gets.
      await import(new URL(`../../src/components/${module}.ts?second-copy`, import.meta.url).href);
    }
    expect(customElements.get('video-call')).to.equal(original);
    expect(customElements.get('video-call')).to.equal(VideoCallClass);
    expect(customElements.get('call-button')).to.equal(CallButton);
    expect(customElements.get('call-panel')).to.equal(CallPanel);
    const el = await fixture<VideoCall>(html`<video-call room="x"></video-call>`);
    expect(joinButton(el).textContent?.trim()).to.equal('Join call');
  });

  it('lets no page styles in and no styles of its own out', async () => {
    const pageStyles = document.querySelectorAll('style, link[rel="stylesheet"]').length;
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <style>
        button { background: rgb(255, 0, 0) !important; padding: 40px !important; }
        input, video, p { display: none !important; }
        .panel, .call, .stage { display: none !important; }
        .leak-test { text-transform: uppercase; letter-spacing: 9px; text-align: right; line-height: 5; }
      </style>
      <button id="page-button">Page button</button>
      <div class="leak-test"><video-call room="styles" server=${serverUrl}></video-call></div>
    </div>`);
    const pageButton = wrapper.querySelector<HTMLButtonElement>('#page-button')!;
    const before = getComputedStyle(pageButton).cssText + getComputedStyle(pageButton).borderRadius;
    const el = wrapper.querySelector('video-call')!;
    await el.updateComplete;
    const base = part(el, 'base');
    const join = joinButton(el);
    expect(getComputedStyle(base).display).to.equal('flex');
    expect(getComputedStyle(part(el, 'name-input')).display).not.to.equal('none');
    expect(getComputedStyle(join).backgroundColor).not.to.equal('rgb(255, 0, 0)');
    expect(getComputedStyle(join).textTransform).to.equal('none');
    expect(getComputedStyle(join).letterSpacing).to.equal('normal');
    expect(getComputedStyle(base).textAlign).to.equal('start');
    // Nothing added to the page's own style sheets, and page elements look as they did.
    expect(document.adoptedStyleSheets).to.have.length(0);
    expect(document.querySelectorAll('style, link[rel="stylesheet"]').length).to.equal(pageStyles + 1);
    expect(getComputedStyle(pageButton).cssText + getComputedStyle(pageButton).borderRadius).to.equal(before);
  });

  it('inside a cross-origin iframe, joins when the frame allows camera and microphone', async () => {
    const result = await runInFrame('camera; microphone; display-capture');
    expect(result.event).to.equal('joined');
  });

  it('inside a cross-origin iframe without allow=, says what the page is missing', async () => {
    const result = await runInFrame(null);
    expect(result.event).to.equal('error');
    expect(result.type).to.equal('permissions-policy');
    expect(result.text).to.contain('allow="camera; microphone; display-capture"');
  });
});

/** Loads test/helpers/embed-frame.html from another origin (127.0.0.1 instead of localhost) in an iframe. */
async function runInFrame(allow: string | null): Promise<{ event: string; type?: string; text: string }> {
  const frameOrigin = location.origin.replace('localhost', '127.0.0.1');
  expect(frameOrigin).not.to.equal(location.origin);
  const iframe = document.createElement('iframe');
  if (allow !== null) iframe.allow = allow;
  const query = new URLSearchParams({ room: uniqueRoom('frame'), server: serverUrl });
  iframe.src = `${frameOrigin}/test/helpers/embed-frame.html?${query}`;
  const message = nextEvent<MessageEvent>(window, 'message', 12000);
  document.body.append(iframe);
  try {
    const { data, origin } = await message;
    expect(origin).to.equal(frameOrigin);
    return data;
  } finally {
    iframe.remove();
  }
}

describe('<video-call> theming', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  const background = (el: VideoCall) => getComputedStyle(part(el, 'base')).backgroundColor;
  const LIGHT = 'rgb(241, 243, 244)';
  const DARK = 'rgb(32, 33, 36)';

  it('follows prefers-color-scheme, and the theme attribute forces one', async () => {
    const el = await fixture<VideoCall>(html`<video-call room="themed" server=${serverUrl}></video-call>`);
    await emulateMedia({ colorScheme: 'light' });
    expect(background(el)).to.equal(LIGHT);
    await emulateMedia({ colorScheme: 'dark' });
    expect(background(el)).to.equal(DARK);
    el.theme = 'light';
    await el.updateComplete;
    expect(background(el)).to.equal(LIGHT);
    await emulateMedia({ colorScheme: 'light' });
    el.theme = 'dark';
    await el.updateComplete;
    expect(background(el)).to.equal(DARK);
    expect(getComputedStyle(part(el, 'name-input')).colorScheme).to.equal('dark');
    await expect(el).to.be.accessible();
  });

  it('passes a forced theme to its buttons', async () => {
    const el = await fixture<VideoCall>(html`<video-call theme="dark" autojoin room=${uniqueRoom()} server=${serverUrl}>
      <call-button slot="controls" action="leave"></call-button>
    </video-call>`);
    await waitFor(() => el.state === 'joined', 'joined');
    const slotted = el.querySelector('call-button')!;
    await slotted.updateComplete;
    expect(nativeButton(slotted).classList.contains('button--dark')).to.equal(true);
    await el.leave();
  });

  it('takes custom properties set anywhere above it', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div
      style="--video-call-background: rgb(1, 2, 3); --video-call-accent-color: rgb(4, 5, 6); --video-call-radius: 3px"
    >
      <video-call room="props" server=${serverUrl}></video-call>
    </div>`);
    const el = wrapper.querySelector('video-call')!;
    await el.updateComplete;
    expect(background(el)).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(joinButton(el)).backgroundColor).to.equal('rgb(4, 5, 6)');
    expect(getComputedStyle(part(el, 'base')).borderTopLeftRadius).to.equal('3px');
  });

  it('uses a compact layout in containers under 400 px wide', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 360px">
      <video-call room="narrow" server=${serverUrl}></video-call>
    </div>`);
    const el = wrapper.querySelector('video-call')!;
    await el.updateComplete;
    const form = shadow(el).querySelector('.lobby__form')!;
    expect(getComputedStyle(form).flexDirection).to.equal('column');
    expect(getComputedStyle(part(el, 'base')).paddingTop).to.equal('4px');
    wrapper.style.width = '640px';
    expect(getComputedStyle(form).flexDirection).to.equal('row');
    expect(getComputedStyle(part(el, 'base')).paddingTop).to.equal('8px');
  });

  it('keeps its width in a flex row', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div style="display: flex; width: 800px">
      <video-call room="flex" server=${serverUrl}></video-call>
    </div>`);
    expect(wrapper.querySelector('video-call')!.getBoundingClientRect().width).to.be.at.least(256);
  });
});

describe('<video-call> languages', () => {
  afterEach(() => document.documentElement.setAttribute('lang', 'en'));

  it('shows Simplified Chinese for lang="zh-CN", error messages included', async () => {
    const el = await fixture<VideoCall>(html`<video-call lang="zh-CN" room="bad room!" server=${serverUrl}></video-call>`);
    // The Chinese table is a chunk of its own, fetched on first use.
    await waitFor(() => joinButton(el).textContent?.trim() === '加入通话', 'the Chinese table');
    expect(part(el, 'name-input').getAttribute('placeholder')).to.equal('访客');
    expect(part(el, 'base').lang).to.equal('zh-CN');
    await el.join().catch(() => {});
    await el.updateComplete;
    expect(statusText(el)).to.contain('房间名称无效');
    expect(joinButton(el).textContent?.trim()).to.equal('重试');
    await expect(el).to.be.accessible();
  });

  it('follows the page’s lang, live, and lets the site override any string', async () => {
    const el = await fixture<VideoCall>(html`<video-call room="lang" server=${serverUrl}></video-call>`);
    expect(joinButton(el).textContent?.trim()).to.equal('Join call');
    document.documentElement.setAttribute('lang', 'zh-CN');
    await waitFor(() => joinButton(el).textContent?.trim() === '加入通话', 'the page language to apply');
    el.strings = { join: '开始', errors: { 'room-invalid': 'Nope' } };
    await el.updateComplete;
    expect(joinButton(el).textContent?.trim()).to.equal('开始');
    el.room = 'bad room!';
    await el.join().catch(() => {});
    await el.updateComplete;
    expect(statusText(el)).to.equal('Nope');
  });

  it('labels its built-in controls in its language', async () => {
    const el = await fixture<VideoCall>(html`<video-call lang="zh-CN" autojoin room=${uniqueRoom()} server=${serverUrl}></video-call>`);
    await waitFor(() => el.state === 'joined', 'joined');
    await el.updateComplete;
    const mic = control(el, 'toggle-audio');
    await mic.updateComplete;
    expect(nativeButton(mic).getAttribute('aria-label')).to.equal('麦克风');
    expect(nativeButton(control(el, 'leave')).textContent?.trim()).to.equal('离开');
    expect(part(el, 'controls').getAttribute('aria-label')).to.equal('通话控制');
    await el.leave();
  });
});

describe('<video-call> accessibility', () => {
  it('announces others joining and leaving in a live region', async () => {
    const room = uniqueRoom();
    const ann = await fixture<VideoCall>(html`<video-call autojoin room=${room} server=${serverUrl} name="Ann"></video-call>`);
    await waitFor(() => ann.state === 'joined', 'Ann joined');
    await ann.updateComplete;
    expect(announcement(ann)).to.equal('You joined the call.');
    const bob = document.createElement('video-call');
    Object.assign(bob, { room, server: serverUrl, name: 'Bob', autojoin: true });
    document.body.append(bob);
    await waitFor(() => announcement(ann).includes('Bob joined the call.'), 'Bob’s arrival to be announced');
    bob.remove();
    await waitFor(() => announcement(ann).includes('Bob left the call.'), 'Bob’s departure to be announced');
    await ann.leave();
  });

  it('can be joined, muted and left with the keyboard alone, with a visible focus', async () => {
    const el = await fixture<VideoCall>(html`<video-call room=${uniqueRoom()} server=${serverUrl}></video-call>`);
    part<HTMLInputElement>(el, 'name-input').focus();
    await sendKeys({ type: 'Kim' });
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()).to.equal(joinButton(el));
    expect(getComputedStyle(joinButton(el)).outlineStyle).to.equal('solid');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => el.state === 'joined', 'Enter to join');
    expect(el.participants[0].name).to.equal('Kim');
    await el.updateComplete;
    const mic = control(el, 'toggle-audio');
    await mic.updateComplete;
    nativeButton(mic).focus();
    await sendKeys({ press: 'Space' });
    await waitFor(() => !el.participants[0].stream!.getAudioTracks()[0].enabled, 'Space to mute');
    await waitFor(() => !!control(el, 'toggle-recording'), 'the participant features’ buttons');
    await waitFor(() => !nativeButton(control(el, 'toggle-chat')).disabled, 'the Chat button');
    // Past the camera and screen share toggles.
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()).to.equal(nativeButton(control(el, 'toggle-hand')));
    await sendKeys({ press: 'Space' });
    await waitFor(() => el.participants[0].status?.hand === true, 'Space to raise the hand');
    // Past Participants, Record, Chat and the device settings.
    for (let i = 0; i < 5; i += 1) await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()).to.equal(nativeButton(control(el, 'leave')));
    await sendKeys({ press: 'Enter' });
    await waitFor(() => el.state === 'idle', 'Enter to leave');
  });
});
