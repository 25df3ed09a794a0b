import { ContextProvider } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { repeat } from 'lit/directives/repeat.js';
import { callContext, type CallHandle } from '../../context/call-context.js';
import { CallController } from '../../controllers/call-controller.js';
import { LocaleController } from '../../controllers/locale-controller.js';
import type { CallState } from '../../core/call-state.js';
import type { Participant } from '../../core/participant.js';
import type { CallButtonAction } from '../../events/call-request.js';
import type { StringOverrides } from '../../i18n/strings.js';
import { SCRIPT_SERVER } from '../../internal/script-server.js';
import { hostStyles } from '../../styles/host.styles.js';
import type { Theme } from '../../styles/theme.js';
import '../call-button/call-button.js';
import { videoCallStyles } from './video-call.styles.js';

/** How long an announcement stays in the live region; after that the next one starts afresh. */
const ANNOUNCEMENT_MS = 5000;

/**
 * A peer-to-peer video call in one room: local preview, one tile per participant, and controls.
 * The peercall server it talks to owns the room, mints each participant's identity and relays
 * signaling; media flows directly between browsers (encrypted with DTLS-SRTP).
 *
 * Screen readers hear when others join or leave and when something fails. Inside an `<iframe>`,
 * the frame needs `allow="camera; microphone; display-capture"`; without it the element says so
 * instead of asking for the camera. `<call-button>`s nested in it (for example in the `controls`
 * slot) or pointing at it with `for="its-id"` control it.
 *
 * @summary Drop-in video call for a room.
 *
 * @attr {string} lang - Language of the element's text (`en`, `zh-CN`, …). Default: the closest ancestor's `lang`, else the browser's language.
 *
 * @slot - Content shown in the pre-join view, above the Join button.
 * @slot controls - Replaces the built-in control bar (use `<call-button>` elements).
 * @slot empty - Shown while you are alone in the room; replaces the default hint.
 *
 * @csspart base - The outer wrapper.
 * @csspart lobby - The pre-join view.
 * @csspart name-input - The display-name field of the pre-join view.
 * @csspart join-button - The Join (and Try again) button.
 * @csspart status - The joining / error / notice line.
 * @csspart stage - The grid of participant tiles.
 * @csspart tile - Every participant tile (also `local-tile` or `remote-tile`).
 * @csspart local-tile - Your own tile.
 * @csspart remote-tile - Another participant's tile.
 * @csspart video - Every `<video>`.
 * @csspart name - The name label on a tile.
 * @csspart controls - The control bar.
 * @csspart control - Each built-in `<call-button>`.
 * @csspart control__base - The native button inside each built-in `<call-button>`.
 *
 * @cssprop [--video-call-background=#f1f3f4] - Background of the whole call (dark theme: `#202124`).
 * @cssprop [--video-call-color=#202124] - Text colour (dark theme: `#e8eaed`).
 * @cssprop [--video-call-tile-background=#dadce0] - Background of a tile without video (dark theme: `#3c4043`).
 * @cssprop [--video-call-gap=8px] - Space between tiles and around the call (half of it in the compact layout, under 400 px wide).
 * @cssprop [--video-call-radius=12px] - Corner radius of the call (tiles use 4 px less).
 * @cssprop [--video-call-tile-aspect-ratio=16 / 9] - Shape of each tile.
 * @cssprop [--video-call-tile-min-width=220px] - Narrowest tile before the grid wraps.
 * @cssprop [--video-call-font=system-ui, sans-serif] - Font family.
 * @cssprop [--video-call-accent-color=#1a73e8] - Join button and spinner colour.
 * @cssprop [--video-call-accent-contrast-color=#fff] - Text on the accent colour.
 * @cssprop [--video-call-error-color=#c5221f] - Error text colour (dark theme: `#f28b82`).
 * @cssprop [--video-call-focus-ring=2px solid #1a73e8] - Keyboard focus outline of the field and buttons (dark theme: `2px solid #8ab4f8`).
 *
 * @cssstate idle - Not in a room.
 * @cssstate joining - Getting media and connecting.
 * @cssstate joined - In the room.
 * @cssstate leaving - Hanging up.
 * @cssstate error - Joining failed or the call was lost; the element shows why.
 *
 * @fires {CallStateChangeEvent} call-state-change - `state` changed; `detail: { state, previous }`.
 * @fires {CallJoinedEvent} call-joined - In the room with media ready; `detail: { room, peerId }`.
 * @fires {CallLeftEvent} call-left - Left the room; `detail: { room, reason }`.
 * @fires {CallParticipantJoinedEvent} call-participant-joined - Someone else joined; `detail: { peerId, name }`.
 * @fires {CallParticipantLeftEvent} call-participant-left - Someone else left; `detail: { peerId, name }`.
 * @fires {CallMediaChangeEvent} call-media-change - Your microphone or camera was turned on or off; `detail: { audio, video }`.
 * @fires {CallErrorEvent} call-error - Something failed; `detail: { type, message, cause }`.
 */
export class VideoCall extends LitElement {
  static override styles = [hostStyles, videoCallStyles];

  private readonly call = new CallController(this);
  private readonly locale = new LocaleController(this);
  private readonly internals = this.attachInternals();
  private readonly provider: ContextProvider<typeof callContext>;
  /** What the provided handle was made from, so buttons only re-render when something changed. */
  private handleKey = '';
  private announcementTimer: ReturnType<typeof setTimeout> | undefined;

  /** The name typed into the pre-join view, when the user changed it. */
  @state() private draftName: string | null = null;
  /** True after the user left, so the pre-join view can say so. */
  @state() private hasLeft = false;
  /** What the live region is saying: others joining and leaving, and our own join. */
  @state() private announcements: string[] = [];

  /** The room to join: 1–64 letters, digits, `_` or `-`. Changing it during a call moves the call to the new room. */
  @property({ reflect: true }) room = '';

  /**
   * Base URL of the peercall server. Defaults to the directory the widget script was loaded from,
   * so `<script src="https://calls.example.com/video-call.js">` needs nothing else.
   */
  @property() server = '';

  /** Your display name, shown to the others (the pre-join view lets the user change it). */
  @property() name = '';

  /** Join as soon as the element is on the page, without the pre-join view. */
  @property({ type: Boolean, reflect: true }) autojoin = false;

  /** Join with the microphone off. */
  @property({ type: Boolean, reflect: true, attribute: 'no-audio' }) noAudio = false;

  /** Join with the camera off. */
  @property({ type: Boolean, reflect: true, attribute: 'no-video' }) noVideo = false;

  /** `light` or `dark` forces a colour scheme (linked `<call-button>`s follow); `auto` follows the visitor's system setting. */
  @property() theme: Theme = 'auto';

  /** Replaces any built-in text, error messages included: e.g. `{ join: 'Enter', errors: { 'room-full': '…' } }`. */
  @property({ attribute: false }) strings: StringOverrides = {};

  constructor() {
    super();
    // Created here rather than as a field so that the first handle already sees every property's default.
    this.provider = new ContextProvider(this, { context: callContext, initialValue: this.createHandle() });
    this.addEventListener('call-joined', () => this.announce(this.locale.strings.youJoined));
    this.addEventListener('call-participant-joined', ({ detail }) =>
      this.announce(this.locale.strings.participantJoined(detail.name)),
    );
    this.addEventListener('call-participant-left', ({ detail }) =>
      this.announce(this.locale.strings.participantLeft(detail.name)),
    );
  }

  /** Where the call is: `idle`, `joining`, `joined`, `leaving` or `error`. */
  get state(): CallState {
    return this.call.state;
  }

  /** Everyone in the call, you first: `{ peerId, name, local, stream }`. Empty unless joined. */
  get participants(): readonly Participant[] {
    return this.call.participants;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.autojoin && this.state === 'idle' && this.hasUpdated) void this.join().catch(() => {});
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.announcementTimer);
    this.announcements = [];
  }

  /** Joins `room`. Resolves once in the room; rejects with the failure (also fired as `call-error`). */
  join(): Promise<void> {
    this.hasLeft = false;
    return this.call.join({
      server: this.server || SCRIPT_SERVER,
      room: this.room,
      name: this.draftName ?? this.name,
      audio: !this.noAudio,
      video: !this.noVideo,
    });
  }

  /** Leaves the room and releases camera and microphone. */
  async leave(): Promise<void> {
    const wasInCall = this.state === 'joined' || this.state === 'joining';
    await this.call.leave('user');
    this.hasLeft = wasInCall;
  }

  /** Turns the microphone on or off; `force` sets it instead of flipping it. */
  toggleAudio(force?: boolean): void {
    this.call.toggle('audio', force);
  }

  /** Turns the camera on or off; `force` sets it instead of flipping it. */
  toggleVideo(force?: boolean): void {
    this.call.toggle('video', force);
  }

  // Joining here rather than in updated() folds the resulting state change into this same render.
  protected override willUpdate(changed: PropertyValues<this>): void {
    const roomChanged = changed.has('room') && changed.get('room') !== undefined;
    if (roomChanged && (this.state === 'joined' || this.state === 'joining')) {
      void this.call.leave('user').then(() => this.join().catch(() => {}));
    } else if ((changed.has('autojoin') || changed.has('room')) && this.autojoin && this.room && this.state === 'idle') {
      void this.join().catch(() => {});
    }
    this.provideHandle();
  }

  protected override updated(): void {
    this.reflectStateToCss();
  }

  private reflectStateToCss(): void {
    const states = this.internals.states;
    if (!states) return;
    for (const state of ['idle', 'joining', 'joined', 'leaving', 'error'] as const) {
      if (state === this.state) states.add(state);
      else states.delete(state);
    }
  }

  private provideHandle(): void {
    const handle = this.createHandle();
    const key = [handle.state, handle.audio, handle.video, handle.missing.join(), handle.theme].join('|');
    if (key === this.handleKey) return;
    this.handleKey = key;
    this.provider.setValue(handle);
  }

  private createHandle(): CallHandle {
    return {
      state: this.state,
      audio: this.call.audioEnabled,
      video: this.call.videoEnabled,
      missing: this.call.missingMedia,
      theme: this.theme,
      request: (action) => this.request(action),
    };
  }

  private request(action: CallButtonAction): void {
    switch (action) {
      case 'join':
        void this.join().catch(() => {});
        break;
      case 'leave':
        void this.leave();
        break;
      case 'toggle-audio':
        this.toggleAudio();
        break;
      case 'toggle-video':
        this.toggleVideo();
        break;
    }
  }

  private announce(text: string): void {
    this.announcements = [...this.announcements, text];
    clearTimeout(this.announcementTimer);
    // Emptied after a pause, so that the next message is read even if it repeats an earlier one.
    this.announcementTimer = setTimeout(() => (this.announcements = []), ANNOUNCEMENT_MS);
  }

  private handleJoinSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.join().catch(() => {});
  }

  private handleNameInput(event: InputEvent): void {
    this.draftName = (event.target as HTMLInputElement).value;
  }

  override render() {
    const state = this.state;
    return html`<div
      part="base"
      class=${classMap({
        call: true,
        [`call--${state}`]: true,
        'call--light': this.theme === 'light',
        'call--dark': this.theme === 'dark',
      })}
      lang=${this.locale.lang}
    >
      ${this.renderLobby(state === 'idle')} ${this.renderProgress(state)} ${this.renderError()}
      ${this.renderCall(state === 'joined')}
      <div class="announcer" role="status" aria-live="polite" aria-atomic="false">
        ${this.announcements.map((text) => html`<p>${text}</p>`)}
      </div>
    </div>`;
  }

  private renderLobby(visible: boolean) {
    const strings = this.locale.strings;
    const hasRoom = this.room !== '';
    return html`<div part="lobby" class="panel lobby" ?hidden=${!visible}>
      <slot></slot>
      <p class="panel__title">${hasRoom ? strings.room(this.room) : nothing}</p>
      ${this.hasLeft ? html`<p part="status" class="status" role="status">${strings.left}</p>` : nothing}
      ${hasRoom
        ? html`<form class="lobby__form" @submit=${this.handleJoinSubmit}>
            <label class="lobby__field">
              ${strings.yourName}
              <input
                part="name-input"
                class="lobby__input"
                name="name"
                autocomplete="nickname"
                maxlength="64"
                placeholder=${strings.namePlaceholder}
                .value=${this.draftName ?? this.name}
                @input=${this.handleNameInput}
              />
            </label>
            <button part="join-button" class="primary-button" type="submit">${strings.join}</button>
          </form>`
        : html`<p part="status" class="status status--error" role="alert">${strings.noRoom}</p>`}
    </div>`;
  }

  private renderProgress(state: CallState) {
    const strings = this.locale.strings;
    const busy = state === 'joining' || state === 'leaving';
    const text = state === 'joining' ? strings.joining : state === 'leaving' ? strings.leaving : '';
    return html`<div class="panel" ?hidden=${!busy} aria-busy=${busy ? 'true' : 'false'}>
      <div class="spinner" aria-hidden="true"></div>
      <p part="status" class="status" role="status">${text}</p>
    </div>`;
  }

  private renderError() {
    const strings = this.locale.strings;
    const error = this.call.error;
    return html`<div class="panel" ?hidden=${!error}>
      <p part="status" class="status status--error" role="alert">${error ? strings.errors[error.type] : ''}</p>
      <button part="join-button" class="primary-button" type="button" @click=${() => this.join().catch(() => {})}>
        ${strings.tryAgain}
      </button>
    </div>`;
  }

  private renderCall(visible: boolean) {
    const strings = this.locale.strings;
    const participants = visible ? this.call.participants : [];
    const missing = this.call.missingMedia;
    return html`<div part="stage" class="stage" ?hidden=${!visible}>
        ${repeat(participants, (p) => p.peerId, (p) => this.renderTile(p))}
      </div>
      <p class="notice" ?hidden=${!visible || participants.length > 1}>
        <slot name="empty">${strings.aloneInRoom}</slot>
      </p>
      ${missing.length
        ? html`<p part="status" class="notice" role="status">
            ${missing.includes('video') ? strings.missingCamera : strings.missingMicrophone}
          </p>`
        : nothing}
      <div part="controls" class="controls" role="group" aria-label=${strings.callControls} ?hidden=${!visible}>
        <slot name="controls">
          ${(['toggle-audio', 'toggle-video', 'leave'] as const).map(
            (action) =>
              html`<call-button
                part="control"
                exportparts="base:control__base"
                action=${action}
                .strings=${this.strings}
              ></call-button>`,
          )}
        </slot>
      </div>`;
  }

  private renderTile(participant: Participant) {
    const strings = this.locale.strings;
    const { local, stream, name } = participant;
    return html`<figure part="tile ${local ? 'local-tile' : 'remote-tile'}" class="tile ${local ? 'tile--local' : ''}">
      <video
        part="video"
        class="tile__video"
        autoplay
        playsinline
        .muted=${local}
        .srcObject=${stream}
        data-peer-id=${participant.peerId}
      ></video>
      ${stream ? nothing : html`<span class="tile__status" role="status">${strings.connecting}</span>`}
      <figcaption part="name" class="tile__name">${local ? `${name} (${strings.you})` : name}</figcaption>
    </figure>`;
  }
}

if (!customElements.get('video-call')) customElements.define('video-call', VideoCall);

declare global {
  interface HTMLElementTagNameMap {
    'video-call': VideoCall;
  }
}
