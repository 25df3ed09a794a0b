import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import serverUrl from '/__peercall-server.js';
import '../../src/index.js';
import type { VideoCall } from '../../src/components/video-call/video-call.js';
import { fitGrid } from '../../src/core/grid-fit.js';
import type { CallActiveSpeakerChangeEvent, CallLayoutChangeEvent, CallQualityChangeEvent } from '../../src/index.js';
import { control, tileOf } from '../helpers/elements.js';
import { nextEvent, uniqueRoom, waitFor, waitForDecodedFrame } from '../helpers/wait.js';

const shadow = (el: Element) => el.shadowRoot!;
const part = <E extends Element = HTMLElement>(el: Element, name: string) =>
  shadow(el).querySelector<E>(`[part~="${name}"]`);
const peerIdOf = (el: VideoCall) => el.participants[0].peerId;
const tiles = (el: VideoCall) => [...shadow(el).querySelectorAll<HTMLElement>('[part~="tile"]')];
const speakingTile = (el: VideoCall) => part(el, 'speaking')?.dataset.participant ?? null;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Three participants in one page, each element its own fake camera and beeping fake microphone. */
async function threeInARoom(attributes = '') {
  const room = uniqueRoom('layout');
  const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 760px"></div>`);
  // Plain markup, so that a test can give every element the same extra attributes.
  wrapper.innerHTML = ['ann', 'bob', 'cat']
    .map(
      (name) =>
        `<video-call id="${name}" autojoin room="${room}" server="${serverUrl}" name="${name}" ${attributes} style="height: 420px"></video-call>`,
    )
    .join('');
  const [ann, bob, cat] = [...wrapper.querySelectorAll<VideoCall>('video-call')];
  await waitFor(() => [ann, bob, cat].every((el) => tiles(el).length === 3), 'three tiles on every element', 15_000);
  for (const el of [ann, bob, cat]) {
    await el.updateComplete;
    for (const video of shadow(el).querySelectorAll<HTMLVideoElement>('[part~="remote-tile"] video')) {
      await waitForDecodedFrame(video, `${el.id}'s remote video`);
    }
  }
  return { ann, bob, cat, leave: () => Promise.all([ann, bob, cat].map((el) => el.leave())) };
}

describe('<video-call> layout and monitors', function () {
  this.timeout(60_000);

  it('fits the grid to the stage and sizes every tile alike', async () => {
    const { ann, leave } = await threeInARoom();
    try {
      const stage = part(ann, 'stage')!;
      const box = stage.getBoundingClientRect();
      const style = getComputedStyle(stage);
      const fit = fitGrid(3, stage.clientWidth, stage.clientHeight, {
        aspect: 16 / 9,
        gap: parseFloat(style.rowGap),
        minTileWidth: 220,
      });
      const rects = tiles(ann).map((tile) => tile.getBoundingClientRect());
      expect(new Set(rects.map((r) => Math.round(r.left))).size).to.equal(fit.columns);
      for (const rect of rects) {
        expect(rect.width).to.be.closeTo(Math.floor(fit.tileWidth), 1);
        expect(rect.height).to.be.closeTo(rect.width / (16 / 9), 1.5);
        expect(rect.left).to.be.at.least(box.left - 0.5);
        expect(rect.right).to.be.at.most(box.right + 0.5);
        expect(rect.bottom).to.be.at.most(box.bottom + 0.5);
      }
    } finally {
      await leave();
    }
  });

  it('highlights who speaks, moves with the sound, and does not flicker', async () => {
    const { ann, bob, cat, leave } = await threeInARoom();
    try {
      const changes: (string | null)[] = [];
      ann.addEventListener('call-active-speaker-change', (e: CallActiveSpeakerChangeEvent) => changes.push(e.detail.peerId));
      // Ann and Bob are silent (their fake microphones disabled); only Cat's beeps reach the others.
      ann.toggleAudio(false);
      bob.toggleAudio(false);
      await waitFor(() => speakingTile(ann) === peerIdOf(cat), 'Ann to highlight Cat', 10_000);
      expect(changes.at(-1)).to.equal(peerIdOf(cat));
      const settled = changes.length;
      await delay(5000);
      expect(changes.length, 'changes while only Cat spoke').to.equal(settled);
      expect(speakingTile(ann)).to.equal(peerIdOf(cat));
      // Now Cat is silent and Bob speaks.
      cat.toggleAudio(false);
      bob.toggleAudio(true);
      const switchedFrom = performance.now();
      await waitFor(() => speakingTile(ann) === peerIdOf(bob), 'Ann to highlight Bob', 10_000);
      // The lead time (1 s) and the readings (every 0.5 s over 1 s) come first.
      expect(performance.now() - switchedFrom).to.be.at.least(1000);
      expect(changes.length).to.equal(settled + 1);
      expect(shadow(ann).querySelectorAll('[part~="speaking"]')).to.have.length(1);
    } finally {
      await leave();
    }
  });

  it('shows good quality for a loopback call and fires call-quality-change once per participant', async () => {
    const events: CallQualityChangeEvent[] = [];
    const listener = (e: Event) => events.push(e as CallQualityChangeEvent);
    document.addEventListener('call-quality-change', listener);
    const { ann, bob, cat, leave } = await threeInARoom();
    try {
      const bobOnAnn = () => tileOf(ann, peerIdOf(bob)).querySelector<HTMLElement>('[part="quality"]');
      await waitFor(() => bobOnAnn()?.dataset.quality === 'good', 'Ann to show a good connection to Bob', 12_000);
      expect(bobOnAnn()!.getAttribute('aria-label')).to.equal('Connection: good');
      const aboutBob = events.filter((e) => e.target === ann && e.detail.peerId === peerIdOf(bob)).at(-1)!;
      expect(aboutBob.detail.quality).to.equal('good');
      expect(aboutBob.detail.stats.rtt).to.be.a('number').and.below(250);
      expect(aboutBob.detail.stats.loss).to.be.a('number').and.below(0.03);
      expect(aboutBob.detail.stats.fps).to.be.a('number').and.above(0);
      await delay(4500);
      // Fired on change only: per element and participant, each event starts where the last one ended.
      for (const el of [ann, bob, cat]) {
        const mine = events.filter((e) => e.target === el);
        const others = [ann, bob, cat].filter((other) => other !== el).map(peerIdOf);
        expect(new Set(mine.map((e) => e.detail.peerId))).to.deep.equal(new Set(others));
        for (const peerId of others) {
          const chain = mine.filter((e) => e.detail.peerId === peerId).map((e) => e.detail);
          expect(chain[0].previous).to.equal(null);
          for (let i = 1; i < chain.length; i++) {
            expect(chain[i].previous).to.equal(chain[i - 1].quality);
            expect(chain[i].quality).not.to.equal(chain[i].previous);
          }
        }
      }
      if (events.length > 6) console.log('quality changed on a loaded machine:', JSON.stringify(events.map((e) => e.detail)));
    } finally {
      document.removeEventListener('call-quality-change', listener);
      await leave();
    }
  });

  it('pins a participant from their tile into the spotlight, and goes back to the grid', async () => {
    const { ann, bob, leave } = await threeInARoom();
    try {
      const bobTile = tileOf(ann, peerIdOf(bob));
      const pin = bobTile.querySelector<HTMLButtonElement>('[part="pin-button"]')!;
      expect(pin.getAttribute('aria-label')).to.equal('Pin bob');
      const pinned = nextEvent<CallLayoutChangeEvent>(ann, 'call-layout-change');
      pin.click();
      expect((await pinned).detail).to.deep.equal({ layout: 'spotlight', pinned: peerIdOf(bob) });
      await ann.updateComplete;
      expect(ann.getAttribute('layout')).to.equal('spotlight');
      expect(pin.getAttribute('aria-pressed')).to.equal('true');
      expect(part(ann, 'stage')!.classList.contains('stage--spotlight')).to.equal(true);
      expect(part(ann, 'featured')).to.equal(bobTile);
      expect(bobTile.getAttribute('part')).to.contain('pinned');
      const others = tiles(ann).filter((tile) => tile !== bobTile);
      const big = bobTile.getBoundingClientRect();
      for (const tile of others) {
        const small = tile.getBoundingClientRect();
        expect(small.width * 2).to.be.below(big.width);
        expect(small.top).to.be.at.least(big.bottom - 0.5);
      }
      const unpinned = nextEvent<CallLayoutChangeEvent>(ann, 'call-layout-change');
      pin.click();
      expect((await unpinned).detail).to.deep.equal({ layout: 'spotlight', pinned: null });
      const toGrid = nextEvent<CallLayoutChangeEvent>(ann, 'call-layout-change');
      part<HTMLButtonElement>(ann, 'layout-button')!.click();
      expect((await toGrid).detail).to.deep.equal({ layout: 'grid', pinned: null });
      await ann.updateComplete;
      expect(ann.getAttribute('layout')).to.equal('grid');
      expect(part(ann, 'featured')).to.equal(null);
      expect(part(ann, 'stage')!.classList.contains('stage--spotlight')).to.equal(false);
      await expect(ann).to.be.accessible();
    } finally {
      await leave();
    }
  });

  it('shows full screen and picture-in-picture where the browser has them, and enters both', async () => {
    const { ann, leave } = await threeInARoom();
    try {
      expect(!!part(ann, 'fullscreen-button')).to.equal(document.fullscreenEnabled);
      expect(!!part(ann, 'pip-button')).to.equal(document.pictureInPictureEnabled);
      if (document.fullscreenEnabled) {
        const button = part<HTMLButtonElement>(ann, 'fullscreen-button')!;
        // Full screen needs a user gesture: the test runner's click is a real one.
        const { sendMouse } = await import('@web/test-runner-commands');
        const rect = button.getBoundingClientRect();
        await sendMouse({ type: 'click', position: [Math.round(rect.x + rect.width / 2), Math.round(rect.y + rect.height / 2)] });
        await waitFor(() => document.fullscreenElement === ann, 'full screen');
        // The button follows fullscreenchange, which the browser fires a frame after the switch.
        await waitFor(() => button.getAttribute('aria-pressed') === 'true', 'full screen button pressed');
        await document.exitFullscreen();
      }
      if (document.pictureInPictureEnabled) {
        const button = part<HTMLButtonElement>(ann, 'pip-button')!;
        const rect = button.getBoundingClientRect();
        const { sendMouse } = await import('@web/test-runner-commands');
        await sendMouse({ type: 'click', position: [Math.round(rect.x + rect.width / 2), Math.round(rect.y + rect.height / 2)] });
        const root = shadow(ann) as ShadowRoot;
        await waitFor(() => root.pictureInPictureElement !== null, 'picture-in-picture');
        // What it shows is the spotlight's participant, never yourself.
        const video = root.pictureInPictureElement as HTMLVideoElement;
        expect(video.closest('[part~="remote-tile"]')).not.to.equal(null);
        await waitFor(() => button.getAttribute('aria-pressed') === 'true', 'picture-in-picture button pressed');
        await document.exitPictureInPicture();
      }
    } finally {
      await leave();
    }
  });

  it('hides what the no-* attributes turn off', async () => {
    const { ann, leave } = await threeInARoom('no-fullscreen no-pip no-active-speaker no-quality');
    try {
      await delay(4000);
      await ann.updateComplete;
      expect(part(ann, 'fullscreen-button')).to.equal(null);
      expect(part(ann, 'pip-button')).to.equal(null);
      expect(part(ann, 'quality')).to.equal(null);
      expect(part(ann, 'speaking')).to.equal(null);
      expect(part(ann, 'layout-button')).not.to.equal(null);
      expect(ann.hasAttribute('no-quality')).to.equal(true);
    } finally {
      await leave();
    }
  });

  describe('on a 360 × 640 screen', () => {
    afterEach(() => setViewport({ width: 800, height: 600 }));

    it('stacks the tiles, overflows nothing sideways and keeps every control on screen', async () => {
      await setViewport({ width: 360, height: 640 });
      const room = uniqueRoom('phone');
      const wrapper = await fixture<HTMLDivElement>(html`<div>
        <video-call id="ann" autojoin room=${room} server=${serverUrl} name="Ann" style="height: 600px"></video-call>
        <video-call id="bob" autojoin room=${room} server=${serverUrl} name="Bob" style="height: 600px"></video-call>
      </div>`);
      const ann = wrapper.querySelector<VideoCall>('#ann')!;
      await waitFor(() => tiles(ann).length === 2, 'two tiles', 15_000);
      await ann.updateComplete;
      await delay(200);
      expect(document.documentElement.scrollWidth).to.be.at.most(360);
      expect(ann.scrollWidth).to.be.at.most(ann.clientWidth);
      const [first, second] = tiles(ann).map((tile) => tile.getBoundingClientRect());
      expect(second.top).to.be.at.least(first.bottom);
      const controls = [
        ...shadow(ann).querySelectorAll<HTMLElement>('[part~="controls"] call-button, [part~="view-control"]'),
      ];
      expect(controls.length).to.be.at.least(4);
      for (const button of controls) {
        const rect = button.getBoundingClientRect();
        expect(rect.width).to.be.at.least(24);
        expect(rect.left).to.be.at.least(0);
        expect(rect.right).to.be.at.most(360);
      }
      expect(control(ann, 'leave')).to.exist;
      await Promise.all([...wrapper.querySelectorAll<VideoCall>('video-call')].map((el) => el.leave()));
    });
  });
});
