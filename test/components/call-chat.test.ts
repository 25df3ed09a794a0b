import { expect, fixture, html } from '@open-wc/testing';
import { nothing } from 'lit';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import serverUrl from '/__peercall-server.js';
import '../../src/index.js';
import type { CallChat } from '../../src/components/call-chat/call-chat.js';
import type { VideoCall } from '../../src/components/video-call/video-call.js';
import type { CallChatMessageEvent, CallFileReceivedEvent } from '../../src/events/index.js';
import { control, deepActiveElement, nativeButton } from '../helpers/elements.js';
import { nextEvent, uniqueRoom, waitFor } from '../helpers/wait.js';

const chatOf = (el: VideoCall) => el.shadowRoot!.querySelector<CallChat>('call-chat');
const inChat = <E extends Element = HTMLElement>(el: VideoCall, selector: string) =>
  chatOf(el)?.shadowRoot?.querySelector<E>(selector) ?? null;
const visible = (node: Element | null) => !!node && !node.closest('[hidden]') && node.getClientRects().length > 0;

describe('<video-call> chat, files and reactions', () => {
  beforeEach(() => localStorage.removeItem('peercall:name'));

  /** Two calls in one room on this page; resolves once their chat panels have a data link. */
  async function pair({ noChat = false, noFiles = false, maxFileSize = undefined as number | undefined } = {}) {
    const room = uniqueRoom('chat');
    const wrapper = await fixture(
      html`<div style="width: 900px">
        ${['Ann', 'Bob'].map(
          (name) =>
            html`<video-call
              name=${name}
              autojoin
              ?no-chat=${noChat}
              ?no-files=${noFiles}
              max-file-size=${maxFileSize ?? nothing}
              room=${room}
              server=${serverUrl}
            ></video-call>`,
        )}
      </div>`,
    );
    const [ann, bob] = [...wrapper.querySelectorAll('video-call')];
    await waitFor(() => ann.state === 'joined' && bob.state === 'joined', 'both to join');
    return { ann, bob };
  }

  /** Waits for the data link between two calls (it opens a moment after they joined). */
  function linked(...calls: VideoCall[]) {
    return waitFor(() => calls.every((el) => chatOf(el)?.call?.data?.connected.length === 1), 'the data link', 10000);
  }

  it('sends a message from the panel by keyboard; the other side gets the event, a badge and an announcement', async () => {
    const { ann, bob } = await pair();
    await barReady(ann);
    await barReady(bob);
    const toggle = control(ann, 'toggle-chat');
    expect(nativeButton(toggle).getAttribute('aria-pressed')).to.equal('false');
    nativeButton(toggle).focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => visible(inChat(ann, '[part="panel"]')), 'the panel to open');
    await waitFor(() => nativeButton(toggle).getAttribute('aria-pressed') === 'true', 'the Chat button to be pressed');
    // 900 px wide: a side panel, the tiles beside it rather than under it.
    await waitFor(() => {
      const stage = ann.shadowRoot!.querySelector('[part~="stage"]')!.getBoundingClientRect();
      return stage.width > 0 && stage.right <= inChat(ann, '[part="panel"]')!.getBoundingClientRect().left;
    }, 'the tiles to make room for the panel');
    // Focus lands in the message field.
    await waitFor(() => deepActiveElement()?.matches('textarea') ?? false, 'focus in the message field');
    await waitFor(() => bob.participants.length === 2 && !!bob.shadowRoot!.querySelector('call-chat'), 'Bob’s panel');
    // Sent before the data link is up, it arrives as the link opens: still news, not history.
    const received = nextEvent<CallChatMessageEvent>(bob, 'call-chat-message', 10000);
    let sent = false;
    ann.addEventListener('call-chat-message', () => (sent = true), { once: true });
    await sendKeys({ type: 'Hello <i>Bob</i>' });
    await sendKeys({ press: 'Enter' });
    expect(sent).to.equal(true);
    const { detail } = await received;
    expect(detail).to.include({ name: 'Ann', text: 'Hello <i>Bob</i>', local: false, history: false });
    // Bob's panel is closed: a badge counts it, and his button's name says so.
    const bobToggle = control(bob, 'toggle-chat');
    await waitFor(() => bobToggle.shadowRoot!.querySelector('[part="badge"]')?.textContent === '1', 'the badge');
    expect(nativeButton(bobToggle).getAttribute('aria-label')).to.equal('Chat, 1 unread');
    await waitFor(() => (chatOf(bob)!.shadowRoot!.querySelector('[aria-live]')!.textContent ?? '').includes('Ann: Hello <i>Bob</i>'), 'the announcement');
    nativeButton(bobToggle).click();
    await waitFor(() => !bobToggle.shadowRoot!.querySelector('[part="badge"]'), 'the badge to clear');
    // His panel, opened for the first time, has it: rendered as text, never as HTML.
    await waitFor(() => !!inChat(bob, '[part="message-text"]'), 'the message in Bob’s log');
    expect(inChat(bob, '[part="message-text"]')!.textContent).to.equal('Hello <i>Bob</i>');
    expect(inChat(bob, '[part="message-text"] i')).to.equal(null);
    // Escape closes and puts focus back on the Chat button.
    inChat(ann, 'textarea')!.focus();
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !visible(inChat(ann, '[part="panel"]')), 'the panel to close');
    await waitFor(() => deepActiveElement() === nativeButton(toggle), 'focus back on the Chat button');
  });

  it('opens for the first time on the latest messages of a long chat', async () => {
    const { ann, bob } = await pair();
    await linked(ann, bob);
    // Under the rate limit (10 a second), and long enough to fill the log several times over.
    const count = 8;
    const all = new Promise<void>((resolve) => {
      let seen = 0;
      bob.addEventListener('call-chat-message', () => ++seen === count && resolve());
    });
    for (let i = 1; i <= count; i++) chatOf(ann)!.call!.data!.sendChat(`${'words '.repeat(60)}message ${i}`);
    await all;
    // Closed until now, so the log is made as the panel opens: scrolled to its end, not its start.
    await openChat(bob);
    const log = inChat(bob, '.log')!;
    await waitFor(() => log.scrollHeight > log.clientHeight && log.scrollTop > 0, 'the log to scroll');
    expect(log.scrollHeight - log.scrollTop - log.clientHeight).to.be.below(2);
    const last = [...chatOf(bob)!.shadowRoot!.querySelectorAll('[part="message-text"]')].at(-1)!;
    expect(last.textContent!.endsWith(`message ${count}`)).to.equal(true);
    expect(last.getBoundingClientRect().bottom).to.be.at.most(log.getBoundingClientRect().bottom + 1);
  });

  it('sends a file from the panel with progress on both sides and a download link', async () => {
    const { ann, bob } = await pair();
    await linked(ann, bob);
    const file = new File([new Uint8Array(300_000).fill(7)], 'notes <b>.txt', { type: 'text/html' });
    const received = nextEvent<CallFileReceivedEvent>(bob, 'call-file-received', 10000);
    const progress: string[] = [];
    ann.addEventListener('call-file-progress', ({ detail }) => progress.push(`ann ${detail.status}`));
    bob.addEventListener('call-file-progress', ({ detail }) => progress.push(`bob ${detail.status}`));
    const input = await openChat(ann).then(() => inChat<HTMLInputElement>(ann, 'input[type=file]')!);
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    const { detail } = await received;
    expect(detail).to.include({ fileName: 'notes <b>.txt', size: 300_000, peerName: 'Ann', status: 'done' });
    expect(progress).to.include('ann done');
    expect(progress).to.include('bob active');
    await openChat(bob);
    const link = inChat<HTMLAnchorElement>(bob, '[part="file-download"]')!;
    expect(link.href).to.equal(detail.url);
    expect(link.download).to.equal('notes <b>.txt');
    // Whatever type the sender claims, the download is served as bytes, never as a page of ours.
    expect((await (await fetch(detail.url)).blob()).type).to.equal('application/octet-stream');
    expect(inChat(bob, '[part="file-name"]')!.textContent).to.equal('notes <b>.txt');
  });

  it('says clearly when a file is over max-file-size, and sends nothing', async () => {
    const { ann, bob } = await pair({ maxFileSize: 1000 });
    await waitFor(() => !!chatOf(ann), 'the panel');
    let events = 0;
    bob.addEventListener('call-file-progress', () => events++);
    ann.addEventListener('call-file-progress', () => events++);
    const input = await openChat(ann).then(() => inChat<HTMLInputElement>(ann, 'input[type=file]')!);
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(5000)], 'big.bin'));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    await chatOf(ann)!.updateComplete;
    const error = inChat(ann, '[part="error"]')!;
    expect(error.getAttribute('role')).to.equal('alert');
    expect(error.textContent).to.equal('big.bin is too large to send: the limit is 1 kB.');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events).to.equal(0);
  });

  it('no-chat and no-files hide their parts; all three off, there is no panel or button', async () => {
    const { ann } = await pair({ noChat: true, noFiles: true });
    await waitFor(() => !!chatOf(ann), 'the panel');
    await openChat(ann);
    expect(!!inChat(ann, 'textarea')).to.equal(false);
    expect(!!inChat(ann, 'input[type=file]')).to.equal(false);
    expect(visible(inChat(ann, '[part="reaction-button"]'))).to.equal(true);
    await expect(chatOf(ann)!).to.be.accessible();

    const off = await fixture<VideoCall>(
      html`<video-call no-chat no-files no-reactions autojoin room=${uniqueRoom()} server=${serverUrl}></video-call>`,
    );
    await waitFor(() => off.state === 'joined', 'joined');
    await off.updateComplete;
    // (Booleans: a failing comparison of elements would print a whole call.)
    expect(!!control(off, 'toggle-chat')).to.equal(false);
    expect(!!chatOf(off)).to.equal(false);
    expect(off.noChat && off.noFiles && off.noReactions).to.equal(true);
  });

  it('shows reactions floating over the call on both sides', async () => {
    const { ann, bob } = await pair();
    await linked(ann, bob);
    await openChat(ann);
    const reaction = nextEvent<CustomEvent>(bob, 'call-reaction', 10000);
    inChat<HTMLButtonElement>(ann, '[part="reaction-button"]')!.click();
    expect((await reaction).detail).to.include({ name: 'Ann', emoji: '👍', local: false });
    await waitFor(() => !!inChat(bob, '.floating__item') && !!inChat(ann, '.floating__item'), 'the reaction to float on both sides');
    expect(inChat(bob, '.floating__item')!.textContent).to.contain('Ann');
  });

  it('is usable 360 px wide: the panel covers the call', async () => {
    await setViewport({ width: 360, height: 640 });
    try {
      const el = await fixture<VideoCall>(html`<video-call autojoin room=${uniqueRoom()} server=${serverUrl}></video-call>`);
      await waitFor(() => !!chatOf(el), 'the panel');
      await openChat(el);
      const panel = inChat(el, '[part="panel"]')!.getBoundingClientRect();
      const call = el.getBoundingClientRect();
      expect(panel.width).to.be.closeTo(call.width, 1);
      expect(panel.width).to.be.at.most(360);
      expect(visible(inChat(el, '[part="send-button"]'))).to.equal(true);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  /**
   * Waits for the Chat button to apply and for the control bar to be complete: the participant
   * features' buttons arrive after joining and shift the others (the bar's buttons are reused by
   * position, so a button held from before could have become another one).
   */
  async function barReady(el: VideoCall): Promise<void> {
    await waitFor(
      () => !!control(el, 'toggle-hand') && !!control(el, 'toggle-chat') && !nativeButton(control(el, 'toggle-chat')).disabled,
      'the control bar with the Chat button',
    );
  }

  /** Opens the panel with the call's Chat button, once that button applies. */
  async function openChat(el: VideoCall): Promise<void> {
    await barReady(el);
    nativeButton(control(el, 'toggle-chat')).click();
    await waitFor(() => visible(inChat(el, '[part="panel"]')), 'the panel to open');
  }
});
