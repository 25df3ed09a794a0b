import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import serverUrl from '/__peercall-server.js';
import '../../src/index.js';
import type { CallButton } from '../../src/components/call-button/call-button.js';
import type { VideoCall } from '../../src/components/video-call/video-call.js';
import { callIn, deepActiveElement, nativeButton, panelOf } from '../helpers/elements.js';
import { nextEvent, uniqueRoom, waitFor } from '../helpers/wait.js';

describe('<call-button>', () => {
  describe('linked to a <video-call>', () => {
    it('joins the call it is nested in, and its label follows the call', async () => {
      const call = await fixture<VideoCall>(html`<video-call room=${uniqueRoom()} server=${serverUrl}>
        <call-button action="join"></call-button>
      </video-call>`);
      const button = call.querySelector('call-button')!;
      await button.updateComplete;
      expect(nativeButton(button).textContent?.trim()).to.equal('Join call');
      expect(nativeButton(button).disabled).to.equal(false);
      const request = nextEvent<CustomEvent>(button, 'call-request');
      nativeButton(button).click();
      const event = await request;
      expect(event.detail).to.deep.equal({ action: 'join' });
      expect(event.cancelable && event.bubbles && event.composed).to.equal(true);
      await waitFor(() => call.state === 'joined', 'joined');
      await button.updateComplete;
      expect(nativeButton(button).textContent?.trim()).to.equal('In call');
      expect(nativeButton(button).disabled).to.equal(true);
      await call.leave();
    });

    it('controls the call from its controls slot: pressed state, hints and requests', async () => {
      const call = await fixture<VideoCall>(html`<video-call autojoin room=${uniqueRoom()} server=${serverUrl}>
        <div slot="controls">
          <call-button action="toggle-audio"></call-button>
          <call-button action="leave">Hang up</call-button>
        </div>
      </video-call>`);
      const mic = call.querySelector<CallButton>('call-button[action="toggle-audio"]')!;
      await waitFor(() => call.state === 'joined', 'joined');
      await waitFor(() => mic.pressed, 'the microphone toggle to be pressed');
      await mic.updateComplete;
      expect(nativeButton(mic).getAttribute('aria-pressed')).to.equal('true');
      expect(nativeButton(mic).getAttribute('aria-label')).to.equal('Microphone');
      expect(nativeButton(mic).title).to.equal('Turn off microphone');
      expect(mic.matches(':state(pressed)')).to.equal(true);
      // The built-in bar is replaced by the slotted controls.
      expect(call.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="controls"]')!.assignedElements()).to.have.length(1);

      nativeButton(mic).click();
      await call.updateComplete;
      await mic.updateComplete;
      expect(call.participants[0].stream!.getAudioTracks()[0].enabled).to.equal(false);
      expect(nativeButton(mic).getAttribute('aria-pressed')).to.equal('false');
      expect(nativeButton(mic).title).to.equal('Turn on microphone');

      const left = nextEvent<CustomEvent>(call, 'call-left');
      nativeButton(call.querySelector<CallButton>('call-button[action="leave"]')!).click();
      expect((await left).detail.reason).to.equal('user');
      await mic.updateComplete;
      expect(nativeButton(mic).disabled).to.equal(true);
    });

    it('links by for="id" like a label, sends requests to that call, and can be vetoed', async () => {
      const room = uniqueRoom();
      const wrapper = await fixture<HTMLDivElement>(html`<div>
        <call-button for="the-call" action="toggle-video"></call-button>
        <section><video-call id="the-call" autojoin room=${room} server=${serverUrl}></video-call></section>
      </div>`);
      const button = wrapper.querySelector('call-button')!;
      const call = wrapper.querySelector('video-call')!;
      await waitFor(() => call.state === 'joined', 'joined');
      await waitFor(() => button.pressed, 'the camera toggle to be pressed');

      const onTarget = nextEvent<CustomEvent>(call, 'call-request');
      nativeButton(button).click();
      expect((await onTarget).detail.action).to.equal('toggle-video');
      await call.updateComplete;
      await button.updateComplete;
      expect(call.participants[0].stream!.getVideoTracks()[0].enabled).to.equal(false);
      expect(nativeButton(button).getAttribute('aria-pressed')).to.equal('false');

      const veto = (event: Event) => event.preventDefault();
      document.addEventListener('call-request', veto);
      nativeButton(button).click();
      document.removeEventListener('call-request', veto);
      await button.updateComplete;
      expect(call.participants[0].stream!.getVideoTracks()[0].enabled).to.equal(false);
      await call.leave();
    });

    it('finds a for= target that the page adds later', async () => {
      const button = await fixture<CallButton>(html`<call-button for="later" action="join"></call-button>`);
      expect(nativeButton(button).disabled).to.equal(true);
      const call = document.createElement('video-call');
      Object.assign(call, { id: 'later', room: uniqueRoom(), server: serverUrl });
      button.after(call);
      await waitFor(() => !nativeButton(button).disabled, 'the button to link to the new call');
      expect(nativeButton(button).textContent?.trim()).to.equal('Join call');
      call.remove();
    });

    it('is disabled when there is no call to control', async () => {
      const toggle = await fixture<CallButton>(html`<call-button action="toggle-audio"></call-button>`);
      expect(nativeButton(toggle).disabled).to.equal(true);
      const join = await fixture<CallButton>(html`<call-button action="join"></call-button>`);
      expect(nativeButton(join).disabled).to.equal(true);
      let fired = false;
      join.addEventListener('call-request', () => (fired = true));
      nativeButton(join).click();
      expect(fired).to.equal(false);
      await expect(toggle).to.be.accessible();
    });

    it('does nothing when disabled', async () => {
      const call = await fixture<VideoCall>(html`<video-call room="x" server=${serverUrl}>
        <call-button action="join" disabled></call-button>
      </video-call>`);
      const button = call.querySelector('call-button')!;
      await button.updateComplete;
      expect(nativeButton(button).disabled).to.equal(true);
      nativeButton(button).click();
      expect(call.state).to.equal('idle');
    });
  });

  describe('standalone click-to-call', () => {
    it('opens a floating panel that joins at once, minimizes, restores, and leaves on close', async () => {
      const room = uniqueRoom('support');
      const watcher = await fixture<VideoCall>(html`<video-call autojoin room=${room} server=${serverUrl}></video-call>`);
      await waitFor(() => watcher.state === 'joined', 'the watcher to join');
      const button = await fixture<CallButton>(
        html`<call-button room=${room} server=${serverUrl} name="Visitor">Talk to us</call-button>`,
      );
      const base = nativeButton(button);
      expect(base.getAttribute('aria-haspopup')).to.equal('dialog');
      expect(base.getAttribute('aria-expanded')).to.equal('false');

      const visitorJoined = nextEvent<CustomEvent>(watcher, 'call-participant-joined');
      base.click();
      await waitFor(() => panelOf(button)?.open, 'the panel to open');
      const panel = panelOf(button);
      const dialog = panel.shadowRoot!.querySelector<HTMLElement>('[role="dialog"]')!;
      expect(dialog.matches(':popover-open')).to.equal(true);
      expect(dialog.getAttribute('aria-labelledby')).to.equal('title');
      expect(panel.shadowRoot!.getElementById('title')!.textContent).to.equal('Talk to us');
      await button.updateComplete;
      expect(base.getAttribute('aria-expanded')).to.equal('true');
      expect(button.matches(':state(open)')).to.equal(true);
      expect(panel.shadowRoot!.contains(deepActiveElement())).to.equal(true);

      const call = callIn(panel);
      expect((await visitorJoined).detail.name).to.equal('Visitor');
      await waitFor(() => call.state === 'joined', 'the panel call to join');

      panel.shadowRoot!.querySelector<HTMLButtonElement>('[part="minimize-button"]')!.click();
      await panel.updateComplete;
      await button.updateComplete;
      expect(panel.minimized).to.equal(true);
      expect(panel.shadowRoot!.querySelector('[part="body"]')!.hasAttribute('hidden')).to.equal(true);
      expect(base.getAttribute('aria-expanded')).to.equal('false');
      expect(call.state).to.equal('joined');

      base.click();
      await waitFor(() => !panel.minimized, 'the button to restore the panel');
      expect(call.state).to.equal('joined');

      const visitorLeft = nextEvent<CustomEvent>(watcher, 'call-participant-left');
      const callLeft = nextEvent<CustomEvent>(button, 'call-left');
      panel.shadowRoot!.querySelector<HTMLButtonElement>('[part="close-button"]')!.click();
      expect((await callLeft).detail.reason).to.equal('user');
      await visitorLeft;
      await button.updateComplete;
      expect(panel.open).to.equal(false);
      expect(dialog.matches(':popover-open')).to.equal(false);
      expect(base.getAttribute('aria-expanded')).to.equal('false');
      expect(deepActiveElement()).to.equal(base);
      await watcher.leave();
    });

    it('passes theme and strings through to its panel and call', async () => {
      const button = await fixture<CallButton>(
        html`<call-button room=${uniqueRoom()} server=${serverUrl} theme="dark" hide-presence></call-button>`,
      );
      button.strings = { startCall: 'Call us', panelTitle: 'Support', errors: { 'room-full': 'Busy, sorry' } };
      await button.updateComplete;
      expect(nativeButton(button).textContent?.trim()).to.equal('Call us');
      nativeButton(button).click();
      await waitFor(() => panelOf(button)?.open, 'the panel to open');
      const panel = panelOf(button);
      await panel.updateComplete;
      expect(panel.shadowRoot!.getElementById('title')!.textContent).to.equal('Support');
      const call = callIn(panel);
      expect(call.theme).to.equal('dark');
      expect(call.strings.errors?.['room-full']).to.equal('Busy, sorry');
      panel.close();
      await panel.updateComplete;
    });

    it('is usable with the keyboard alone', async () => {
      const button = await fixture<CallButton>(
        html`<call-button room=${uniqueRoom()} server=${serverUrl} hide-presence>Talk to us</call-button>`,
      );
      nativeButton(button).focus();
      await sendKeys({ press: 'Enter' });
      await waitFor(() => panelOf(button)?.open, 'Enter to open the panel');
      const panel = panelOf(button);
      await waitFor(() => deepActiveElement()?.getAttribute('part') === 'minimize-button', 'focus in the panel');
      await sendKeys({ press: 'Escape' });
      await panel.updateComplete;
      expect(panel.minimized).to.equal(true);
      expect(deepActiveElement()?.getAttribute('aria-label')).to.equal('Restore');
      await sendKeys({ press: 'Enter' });
      await panel.updateComplete;
      expect(panel.minimized).to.equal(false);
      await sendKeys({ press: 'Tab' });
      expect(deepActiveElement()?.getAttribute('part')).to.equal('close-button');
      await sendKeys({ press: 'Enter' });
      await waitFor(() => !panel.open, 'Enter on close to close the panel');
      await waitFor(() => deepActiveElement() === nativeButton(button), 'focus back on the button');
    });

    it('is accessible closed and with its panel open', async () => {
      const button = await fixture<CallButton>(
        html`<call-button room=${uniqueRoom()} server=${serverUrl} hide-presence>Talk to us</call-button>`,
      );
      await expect(button).to.be.accessible();
      nativeButton(button).click();
      await waitFor(() => panelOf(button)?.open, 'the panel to open');
      await waitFor(() => callIn(panelOf(button)).state === 'joined', 'the panel call to join');
      await callIn(panelOf(button)).updateComplete;
      await expect(button).to.be.accessible();
      panelOf(button).close();
      await panelOf(button).updateComplete;
    });
  });

  describe('presence', () => {
    it('shows how many people are in its room, live, as others join and leave', async () => {
      const room = uniqueRoom('presence');
      const button = await fixture<CallButton>(html`<call-button room=${room} server=${serverUrl}></call-button>`);
      const presence = () => button.shadowRoot!.querySelector('[part="presence"]')?.textContent?.trim();
      await waitFor(() => presence() === 'Nobody online', 'the empty room to be reported');
      expect(button.online).to.equal(0);

      const change = nextEvent<CustomEvent>(button, 'call-presence-change');
      const other = document.createElement('video-call');
      Object.assign(other, { room, server: serverUrl, autojoin: true });
      document.body.append(other);
      expect((await change).detail).to.deep.equal({ room, count: 1 });
      await waitFor(() => presence() === '1 online', '"1 online"');
      await expect(button).to.be.accessible();

      other.remove();
      await waitFor(() => presence() === 'Nobody online', 'the room to be empty again');
    });

    it('keeps several buttons for one room live on one shared stream', async () => {
      const room = uniqueRoom('shared');
      const wrapper = await fixture<HTMLDivElement>(html`<div>
        ${[1, 2, 3].map(() => html`<call-button room=${room} server=${serverUrl}></call-button>`)}
      </div>`);
      const buttons = [...wrapper.querySelectorAll('call-button')];
      await waitFor(() => buttons.every((b) => b.online === 0), 'every button to report the empty room');
      buttons[0].remove();
      const late = document.createElement('call-button');
      Object.assign(late, { room, server: serverUrl });
      wrapper.append(late);
      await waitFor(() => late.online === 0, 'a button added later to hear the current count');
      const other = document.createElement('video-call');
      Object.assign(other, { room, server: serverUrl, autojoin: true });
      document.body.append(other);
      await waitFor(() => [buttons[1], buttons[2], late].every((b) => b.online === 1), 'all live buttons to count 1');
      expect(buttons[0].online).to.equal(null);
      other.remove();
    });

    it('shows nothing with hide-presence', async () => {
      const button = await fixture<CallButton>(
        html`<call-button room=${uniqueRoom()} server=${serverUrl} hide-presence></call-button>`,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(button.shadowRoot!.querySelector('[part="presence"]')).to.equal(null);
      expect(button.online).to.equal(null);
    });
  });

  describe('languages', () => {
    it('speaks the page’s language and takes overrides for any string', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div lang="zh-CN">
        <call-button room=${uniqueRoom()} server=${serverUrl} hide-presence></call-button>
        <call-button action="toggle-audio" lang="en"></call-button>
      </div>`);
      const [chinese, english] = wrapper.querySelectorAll('call-button');
      // The Chinese table is a chunk of its own, fetched on first use.
      await waitFor(() => nativeButton(chinese).textContent?.trim() === '视频通话', 'the Chinese table');
      expect(nativeButton(chinese).lang).to.equal('zh-CN');
      expect(nativeButton(english).getAttribute('aria-label')).to.equal('Microphone');
      english.setAttribute('lang', 'zh-Hans');
      await waitFor(() => nativeButton(english).getAttribute('aria-label') === '麦克风', 'the label to follow lang');
      chinese.strings = { startCall: '联系我们' };
      await chinese.updateComplete;
      expect(nativeButton(chinese).textContent?.trim()).to.equal('联系我们');
    });
  });
});
