import { ContextConsumer } from '@lit/context';
import { LitElement, html, nothing, svg, type PropertyValues, type ReactiveElement } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { callContext } from '../../context/call-context.js';
import { LocaleController } from '../../controllers/locale-controller.js';
import type { Call } from '../../core/call.js';
import { DataError, REACTIONS, type ChatMessage, type FileTransfer, type Reaction } from '../../core/data-hub.js';
import { CallChatMessageEvent } from '../../events/call-chat-message.js';
import { CallFileProgressEvent } from '../../events/call-file-progress.js';
import { CallFileReceivedEvent } from '../../events/call-file-received.js';
import { CallReactionEvent } from '../../events/call-reaction.js';
import { enChat, zhCNChat, type ChatStrings } from '../../i18n/chat-strings.js';
import type { StringOverrides } from '../../i18n/strings.js';
import { addStyles } from '../../internal/add-styles.js';
import { icons } from '../../internal/icons.js';
import { hostStyles } from '../../styles/host.styles.js';
import { callChatCallStyles, callChatStyles } from './call-chat.styles.js';

/** Material Symbols "attach file" (Apache-2.0); only this panel uses it, so it is not in icons.ts (the initial chunk). */
const attachIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6h-1.5Z"></path></svg>`;

// The call's Chat button shows it once this panel is there; with the panel, not in every page's first download.
Object.assign(icons, {
  chat: svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2Z"></path></svg>`,
});

/** The calls whose styles have the side-panel rule already. */
const styledCalls = new WeakSet<ShadowRoot>();

/** How long a reaction floats over the call. */
const REACTION_MS = 3000;
/** How long an announcement stays in the live region before the next one starts afresh. */
const ANNOUNCEMENT_MS = 5000;
/** Reactions shown at once; more (five people clapping) push out the oldest. */
const MAX_FLOATING = 12;

/** Its parts, which it exports to the page as `chat-…` parts of the `<video-call>` (e.g. `::part(chat-message)`). */
const PARTS = [
  'panel',
  'title',
  'close-button',
  'reactions',
  'reaction-button',
  'log',
  'message',
  'message-name',
  'message-text',
  'file',
  'file-name',
  'file-progress',
  'file-cancel',
  'file-download',
  'error',
  'composer',
  'message-input',
  'file-button',
  'send-button',
  'floating-reactions',
];

type Entry = { time: number } & ({ message: ChatMessage } | { transfer: FileTransfer });

/**
 * The chat, files and reactions panel of a `<video-call>`, and the reactions floating over it.
 * `<video-call>` places it while in a room that has any of the three, loads it as a separate
 * chunk, and opens or closes it with its `toggle-chat` button; it is not meant to be used alone.
 * It also turns the call's data events into the element's public `call-chat-message`,
 * `call-file-progress`, `call-file-received` and `call-reaction` events, so they fire whether the
 * panel is open or not.
 *
 * Wide calls show it as a side panel; under 640 px it covers the call. Keyboard: opening it
 * focuses the message field; Enter sends, Shift+Enter starts a new line, Escape closes. Incoming
 * messages and reactions are read out by screen readers through a polite live region.
 *
 * Its parts are exported as `chat-…` parts of the `<video-call>` (see there).
 *
 * @summary Chat, file sharing and reactions of a call (part of `<video-call>`).
 * @internal
 */
export class CallChat extends LitElement {
  static override styles = [hostStyles, callChatStyles];

  private readonly locale = new LocaleController(this);
  private readonly handle = new ContextConsumer(this, { context: callContext, subscribe: true });
  private listening: AbortController | null = null;
  /** When each transfer was first seen, to place it among the messages. */
  private readonly transferSeen = new Map<string, number>();
  private announcementTimer: ReturnType<typeof setTimeout> | undefined;
  private floatingId = 0;
  private clockFormat: { lang: string; format: Intl.DateTimeFormat } | null = null;
  /**
   * Whether the panel has been open. Until then only the floating reactions render: the closed
   * panel's reactions, log and composer, made in the first joined render, cost a two-person join
   * about 7 ms (paired connect benchmark), spent while the first video frames are on their way.
   */
  private built = false;

  @query('textarea') private input!: HTMLTextAreaElement | null;
  @query('.log') private log!: HTMLElement | null;

  @state() private floating: { id: number; emoji: Reaction; name: string }[] = [];
  @state() private announcements: string[] = [];
  @state() private error = '';
  @state() private transfers = new Map<string, FileTransfer>();

  /** The call whose `data` this panel shows. */
  @property({ attribute: false }) call: Call | null = null;

  /** Whether the panel is showing (reactions float over the call either way). */
  @property({ type: Boolean, reflect: true }) open = false;

  /** Chat messages from others that arrived while the panel was closed. */
  unread = 0;

  /** The page's text overrides (`strings.chatPanel` for this panel's own text). */
  @property({ attribute: false }) strings: StringOverrides = {};

  private get text(): ChatStrings {
    return { ...(this.locale.lang === 'zh-CN' ? zhCNChat : enChat), ...this.strings.chatPanel };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.listening?.abort();
    this.listening = null;
    clearTimeout(this.announcementTimer);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Set here rather than by <video-call>, whose code is in every page's first download.
    this.setAttribute('exportparts', PARTS.map((name) => `${name}:chat-${name}`).join(', '));
    if (this.hasUpdated) this.listen();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('call')) this.listen();
    if (this.open && !this.built) {
      this.built = true;
      // The log is new: show its latest messages, as the log kept up to date would have.
      void this.updateComplete.then(() => this.log?.scrollTo({ top: this.log.scrollHeight }));
    }
  }

  protected override firstUpdated(): void {
    // The side-panel rule goes into the call's own styles (once per call element).
    const root = this.getRootNode();
    if (root instanceof ShadowRoot && !styledCalls.has(root)) {
      styledCalls.add(root);
      addStyles(root, callChatCallStyles);
    }
    // The call's buttons learn that there is a panel to toggle (after the call's own update, which placed this one).
    this.notifyCall();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) (this.input ?? this.renderRoot.querySelector<HTMLElement>('button'))?.focus();
  }

  /** Follows the call's data events: re-renders, and fires them as the element's DOM events. */
  private listen(): void {
    this.listening?.abort();
    this.transferSeen.clear();
    this.transfers = new Map();
    const call = this.call;
    if (!call) return;
    const listening = (this.listening = new AbortController());
    const signal = listening.signal;
    call.addEventListener(
      'chatmessage',
      ({ detail: { message } }) => {
        if (!this.open && !message.local && !message.history) {
          this.unread++;
          this.notifyCall();
        }
        this.requestUpdate();
        this.dispatchEvent(new CallChatMessageEvent({ ...message }));
        if (!message.local && !message.history) this.announce(this.text.said(message.name, message.text));
        void this.scrollToEnd();
      },
      { signal },
    );
    call.addEventListener(
      'reaction',
      ({ detail }) => {
        this.dispatchEvent(new CallReactionEvent({ ...detail }));
        const id = ++this.floatingId;
        this.floating = [...this.floating.slice(1 - MAX_FLOATING), { id, emoji: detail.emoji, name: detail.name }];
        setTimeout(() => (this.floating = this.floating.filter((f) => f.id !== id)), REACTION_MS);
        if (!detail.local) this.announce(this.text.reacted(detail.name, detail.emoji));
      },
      { signal },
    );
    call.addEventListener(
      'fileprogress',
      ({ detail: { transfer } }) => {
        const key = transferKey(transfer);
        if (!this.transferSeen.has(key)) {
          this.transferSeen.set(key, Date.now());
          void this.scrollToEnd();
        }
        this.transfers = new Map(this.transfers).set(key, transfer);
        this.dispatchEvent(new CallFileProgressEvent({ ...transfer }));
      },
      { signal },
    );
    call.addEventListener(
      'filereceived',
      ({ detail: { transfer } }) => {
        this.dispatchEvent(new CallFileReceivedEvent({ ...transfer, url: transfer.url! }));
        this.announce(`${this.text.from(transfer.peerName)}: ${transfer.fileName}`);
      },
      { signal },
    );
  }

  private announce(text: string): void {
    this.announcements = [...this.announcements, text];
    clearTimeout(this.announcementTimer);
    this.announcementTimer = setTimeout(() => (this.announcements = []), ANNOUNCEMENT_MS);
  }

  /** Keeps the newest entry in view, unless the reader has scrolled up to read older ones. */
  private async scrollToEnd(): Promise<void> {
    const log = this.log;
    const atEnd = !log || log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    await this.updateComplete;
    if (atEnd) this.log?.scrollTo({ top: this.log.scrollHeight });
  }

  /** Opens or closes the panel; either way its messages count as read. */
  toggle(): void {
    this.open = !this.open;
    this.unread = 0;
    this.notifyCall();
    // Closed from inside the panel: focus goes back to the button that opens it, as for a dialog.
    const root = this.getRootNode() as ShadowRoot;
    if (!this.open && this.renderRoot.contains((this.renderRoot as ShadowRoot).activeElement)) {
      root.querySelector<HTMLElement>('[action=toggle-chat]')?.focus();
    }
  }

  /**
   * Has the `<video-call>` around it render again, so that its `toggle-chat` buttons show the
   * panel's state (it hands `open` and `unread` to them; this element is what changes them).
   */
  private notifyCall(): void {
    ((this.getRootNode() as ShadowRoot).host as ReactiveElement | undefined)?.requestUpdate();
  }

  /** Closes through the call, as its `toggle-chat` button would, so that the buttons follow. */
  private close(): void {
    this.handle.value?.request('toggle-chat');
  }

  /** Runs a send; a refusal is shown (and read out) in the panel instead of thrown. */
  private attempt(send: () => void): boolean {
    try {
      send();
      this.error = '';
      return true;
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      const text = this.text;
      this.error = error.type === 'rate-limited' ? text.tooFast : error.type === 'no-one' ? text.nobody : error.message;
      return false;
    }
  }

  private submit(event?: Event): void {
    event?.preventDefault();
    const input = this.input;
    const data = this.call?.data;
    if (!input || !data || !input.value.trim()) return;
    if (this.attempt(() => data.sendChat(input.value))) input.value = '';
  }

  private handleKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.stopPropagation();
      this.close();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.target === this.input) {
      this.submit(event);
    }
  }

  private handleFile(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    const data = this.call?.data;
    if (!file || !data) return;
    if (file.size > data.options.maxFileSize) {
      this.error = this.text.tooLarge(file.name, this.formatSize(data.options.maxFileSize));
      return;
    }
    this.attempt(() => data.sendFile(file));
  }

  private formatSize(bytes: number): string {
    const megabytes = bytes / (1024 * 1024);
    return new Intl.NumberFormat(this.locale.lang, {
      style: 'unit',
      unit: megabytes >= 1 ? 'megabyte' : 'kilobyte',
      maximumFractionDigits: 1,
    }).format(megabytes >= 1 ? megabytes : bytes / 1024);
  }

  override render() {
    return html`${this.built ? this.renderPanel() : nothing}
      <div part="floating-reactions" class="floating" aria-hidden="true">
        ${this.floating.map(
          (f) => html`<span class="floating__item"><span class="floating__emoji">${f.emoji}</span>${f.name}</span>`,
        )}
      </div>
      <div class="announcer" role="status" aria-live="polite">${this.announcements.map((a) => html`<p>${a}</p>`)}</div>`;
  }

  private renderPanel() {
    const data = this.call?.data;
    const { chat, files, reactions } = data?.options ?? { chat: false, files: false, reactions: false };
    const text = this.text;
    return html`<section
        part="panel"
        class="panel"
        aria-labelledby="chat-title"
        lang=${this.locale.lang}
        ?hidden=${!this.open || !data}
        @keydown=${this.handleKeydown}
      >
        <header class="header">
          <h2 id="chat-title" part="title" class="title">${text.title}</h2>
          <button part="close-button" class="icon-button" type="button" aria-label=${text.close} title=${text.close} @click=${this.close}>
            ${icons.close}
          </button>
        </header>
        ${reactions
          ? html`<div part="reactions" class="reactions" role="group" aria-label=${text.reactions}>
              ${REACTIONS.map(
                (emoji) =>
                  html`<button part="reaction-button" class="reaction" type="button" @click=${() => this.attempt(() => data!.react(emoji))}>
                    ${emoji}
                  </button>`,
              )}
            </div>`
          : nothing}
        ${chat || files ? this.renderLog(data!.messages) : nothing}
        <p part="error" class="error" role="alert">${this.error}</p>
        ${chat || files
          ? html`<form part="composer" class="composer" @submit=${this.submit}>
              ${chat
                ? html`<textarea
                    part="message-input"
                    class="input"
                    rows="2"
                    maxlength="2000"
                    aria-label=${text.message}
                    placeholder=${text.message}
                  ></textarea>`
                : nothing}
              ${files
                ? html`<label part="file-button" class="icon-button file" title=${text.attach}>
                    <input class="file__input" type="file" aria-label=${text.attach} @change=${this.handleFile} />${attachIcon}
                  </label>`
                : nothing}
              ${chat ? html`<button part="send-button" class="send" type="submit">${text.send}</button>` : nothing}
            </form>`
          : nothing}
      </section>`;
  }

  /**
   * The formatter for message times, made when the first message shows: making one costs
   * milliseconds (locale data), and the empty log renders while the call is connecting.
   */
  private clock(): Intl.DateTimeFormat {
    const lang = this.locale.lang;
    if (this.clockFormat?.lang !== lang) this.clockFormat = { lang, format: new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' }) };
    return this.clockFormat.format;
  }

  private renderLog(messages: readonly ChatMessage[]) {
    const text = this.text;
    const entries: Entry[] = [
      ...messages.map((message) => ({ time: message.time, message })),
      ...[...this.transfers].map(([key, transfer]) => ({ time: this.transferSeen.get(key) ?? 0, transfer })),
    ].sort((a, b) => a.time - b.time);
    return html`<ol part="log" class="log" tabindex="0" aria-label=${text.title}>
      ${entries.length ? nothing : html`<li class="empty">${text.empty}</li>`}
      ${entries.map((entry) =>
          'message' in entry
            ? html`<li part="message" class="message ${entry.message.local ? 'message--local' : ''}">
                <span class="message__meta"
                  ><span part="message-name" class="message__name">${entry.message.name}</span>
                  <time datetime=${new Date(entry.message.time).toISOString()}>${this.clock().format(entry.message.time)}</time></span
                >
                <span part="message-text" class="message__text">${entry.message.text}</span>
              </li>`
            : this.renderTransfer(entry.transfer),
      )}
    </ol>`;
  }

  private renderTransfer(transfer: FileTransfer) {
    const text = this.text;
    const { status, direction, fileName, size, bytes, url, peerName } = transfer;
    const receiving = direction === 'receive';
    return html`<li part="file" class="file-entry" data-status=${status}>
      <span part="file-name" class="file-entry__name">${fileName}</span>
      <span class="message__meta"
        >${receiving ? text.from(peerName) : text.sendingTo(peerName)} · ${this.formatSize(size)}
        ${status === 'active' ? nothing : html` · ${text[status]}`}</span
      >
      ${status === 'active'
        ? html`<progress part="file-progress" max=${size || 1} .value=${bytes} aria-label=${fileName}></progress>
            <button
              part="file-cancel"
              class="small-button"
              type="button"
              aria-label=${text.cancelFile(fileName)}
              @click=${() => this.call?.data?.cancelFile(transfer.id, transfer.peerId)}
            >
              ${text.cancel}
            </button>`
        : nothing}
      ${url ? html`<a part="file-download" class="small-button" href=${url} download=${fileName}>${text.download}</a>` : nothing}
    </li>`;
  }
}

function transferKey(transfer: FileTransfer): string {
  return `${transfer.direction} ${transfer.peerId} ${transfer.id}`;
}

if (!customElements.get('call-chat')) customElements.define('call-chat', CallChat);

declare global {
  interface HTMLElementTagNameMap {
    'call-chat': CallChat;
  }
}
