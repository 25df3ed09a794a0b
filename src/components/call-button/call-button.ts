import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { CallLinkController } from '../../controllers/call-link-controller.js';
import { LocaleController } from '../../controllers/locale-controller.js';
import { PresenceController } from '../../controllers/presence-controller.js';
import type { CallPanelToggleEvent } from '../../events/call-panel-toggle.js';
import { CallRequestEvent, type CallButtonAction } from '../../events/call-request.js';
import type { StringOverrides } from '../../i18n/strings.js';
import { icons } from '../../internal/icons.js';
import { SCRIPT_SERVER } from '../../internal/script-server.js';
import { hostStyles } from '../../styles/host.styles.js';
import type { Theme } from '../../styles/theme.js';
import { loadCallPanel } from '../../internal/load-call-panel.js';
import type { CallPanel } from '../call-panel/call-panel.js';
import { callButtonStyles } from './call-button.styles.js';

/**
 * The participant features' toggles: what they read in the call's handle (undefined there while
 * the feature is off), and the string keys of their label and of their hint while pressed.
 */
const FEATURES = {
  'toggle-hand': ['hand', 'raiseHand', 'lowerHand'],
  'toggle-participants': ['participants', 'participants', 'participants'],
  'toggle-recording': ['recording', 'record', 'stopRecording'],
} as const;
type FeatureAction = keyof typeof FEATURES;
const TOGGLES: ReadonlySet<CallButtonAction> = new Set(['toggle-audio', 'toggle-video', 'toggle-lock', 'toggle-screen-share', 'toggle-chat', ...Object.keys(FEATURES)] as CallButtonAction[]);
/** Toggles of a device, which look "off" (muted) while not pressed. */
const DEVICE_TOGGLES: ReadonlySet<CallButtonAction> = new Set(['toggle-audio', 'toggle-video']);

/** In the room, also while the connection to the server is being resumed. */
function inRoom(state: string | undefined): boolean {
  return state === 'joined' || state === 'reconnecting';
}

/**
 * A call control. Linked to a `<video-call>`, either nested inside it (for example in its
 * `controls` slot) or named by `for="call-id"` like `<label for>`, it asks that call to join,
 * leave, turn the microphone or camera on or off, share a screen, raise a hand, show the
 * participant list, record, or (for hosts of a token room) lock the room, and shows the call's state: toggles are pressed (`aria-pressed`) while their device is
 * on or the room is locked, and every button is disabled when its action does not apply (a
 * `toggle-lock` button for anyone but a host). Requests go up, state comes down: the button fires `call-request`, and
 * unless a listener cancels it the call carries it out.
 *
 * With no `<video-call>` to control, a button with a `room` is a click-to-call button: it opens
 * a floating `<call-panel>` in the corner of the window that joins that room at once (a click on
 * "Talk to us" is already the intent to call), and closing the panel leaves the call. It also
 * shows how many people are in the room right now, live ("2 online"), unless `hide-presence` is set.
 *
 * @summary A call control, or a click-to-call button with a floating call panel.
 *
 * @attr {string} lang - Language of the button's own text and of its panel (`en`, `zh-CN`, …). Default: the closest ancestor's `lang`, else the browser's language.
 *
 * @slot - The visible label. Default: a text for the action and state (hidden for toggles, which show an icon and are labelled for assistive technology).
 * @slot icon - Replaces the built-in icon.
 *
 * @csspart base - The native `<button>`.
 * @csspart icon - The icon wrapper.
 * @csspart label - The label wrapper.
 * @csspart presence - The live "N online" count of a button with a `room`.
 * @csspart badge - The number of unread chat messages on a `toggle-chat` button.
 * @csspart panel - The floating `<call-panel>` of a click-to-call button.
 *
 * @cssprop [--call-button-background=#e8eaed] - Background (dark theme: `rgba(255, 255, 255, 0.14)`).
 * @cssprop [--call-button-color=#202124] - Text and icon colour (dark theme: `#fff`).
 * @cssprop [--call-button-contrast-color=#fff] - Text and icon colour on the accent, danger and off backgrounds.
 * @cssprop [--call-button-accent-background=#1a73e8] - Background of join and click-to-call buttons.
 * @cssprop [--call-button-off-background=#5f6368] - Background of a toggle that is off.
 * @cssprop [--call-button-danger-background=#d93025] - Background of the leave button.
 * @cssprop [--call-button-radius=999px] - Corner radius.
 * @cssprop [--call-button-size=44px] - Minimum height and width (44 px is the smallest comfortable touch target).
 * @cssprop [--call-button-focus-ring=2px solid #1a73e8] - Keyboard focus outline (dark theme: `2px solid #8ab4f8`).
 * @cssprop [--call-button-presence-color=#1e8e3e] - The dot of the presence count (dark theme: `#81c995`).
 *
 * @cssstate pressed - A toggle whose device is on, a `toggle-lock` button while the room is locked, or a `toggle-screen-share` button while sharing.
 * @cssstate open - A click-to-call button whose panel is open.
 *
 * @fires {CallRequestEvent} call-request - The button was activated; `detail: { action }`. Cancel it to stop the action. Dispatched on the `for` target when there is one.
 * @fires {CallPresenceChangeEvent} call-presence-change - The number of people in `room` changed; `detail: { room, count }` (`count` is `null` while unknown).
 * @fires {CallPanelToggleEvent} call-panel-toggle - The click-to-call panel opened, closed, minimized or was restored; `detail: { open, minimized }`. The panel's call events (`call-joined`, `call-left`, `call-error`, …) bubble out of the button too.
 */
export class CallButton extends LitElement {
  static override styles = [hostStyles, callButtonStyles];
  /** Focusing the element focuses its native button (the call moves focus here when what had it goes away). */
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  private readonly link = new CallLinkController(this);
  private readonly presence = new PresenceController(this);
  private readonly locale = new LocaleController(this);
  private readonly internals = this.attachInternals();

  @query('[part~="base"]') private base!: HTMLButtonElement;
  @query('call-panel') private panel!: CallPanel | null;

  /** Whether this button has opened its panel before: only then is the panel in the page. */
  @state() private hasPanel = false;
  @state() private panelOpen = false;
  @state() private panelMinimized = false;

  /**
   * What the button asks for: `join`, `leave`, `toggle-audio`, `toggle-video`, `toggle-screen-share`,
   * `toggle-lock` (hosts of token rooms), `toggle-hand`, `toggle-participants`,
   * `toggle-recording` or `toggle-chat` (the chat, files and reactions panel).
   */
  @property({ reflect: true }) action: CallButtonAction = 'join';

  /** Id of the `<video-call>` to control, when the button is not inside it (like `<label for>`). */
  @property({ attribute: 'for' }) htmlFor = '';

  /** Room of a click-to-call button (used when no `<video-call>` is linked); also the room whose presence is shown. */
  @property({ reflect: true }) room = '';

  /** Base URL of the peercall server for the panel and the presence count. Default: where the script came from. */
  @property() server = '';

  /** Display name to join the panel's call with. */
  @property() name = '';

  /**
   * Join token for the panel's call, in token rooms. A credential: get it from your site's
   * backend for the signed-in visitor; it is not reflected to the attribute.
   */
  @property() token = '';

  /** The panel's call sends media only through the server's TURN relays (participants do not learn each other's IP addresses). */
  @property({ type: Boolean, reflect: true, attribute: 'relay-only' }) relayOnly = false;

  /** Hides the live "N online" count. */
  @property({ type: Boolean, reflect: true, attribute: 'hide-presence' }) hidePresence = false;

  /** Disables the button (it is also disabled by itself whenever its action does not apply). */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** `light` or `dark` forces a colour scheme; `auto` follows the linked call, else the visitor's system setting. */
  @property() theme: Theme = 'auto';

  /** Replaces any built-in text, e.g. `{ startCall: 'Talk to us', presence: (n) => `${n} agents` }`. Also used by the panel. */
  @property({ attribute: false }) strings: StringOverrides = {};

  /** Whether a toggle's device is on (read-only; the call sets it). */
  get pressed(): boolean {
    const handle = this.link.handle;
    if (!handle || !inRoom(handle.state)) return false;
    if (this.action === 'toggle-audio') return handle.audio;
    if (this.action === 'toggle-video') return handle.video;
    if (this.action === 'toggle-lock') return handle.locked;
    if (this.action === 'toggle-chat') return !!handle.chat?.open;
    if (this.action === 'toggle-screen-share') return !!handle.screenShare;
    return !!this.feature && !!handle[this.feature[0]];
  }

  /** People in `room` right now, or `null` while unknown, hidden or without a room. */
  get online(): number | null {
    return this.presence.count;
  }

  private get feature() {
    return FEATURES[this.action as FeatureAction] as (typeof FEATURES)[FeatureAction] | undefined;
  }

  private get isToggle(): boolean {
    return TOGGLES.has(this.action);
  }

  /** No call to control, but a room to call: clicking opens the floating panel. */
  private get isStandalone(): boolean {
    return !this.link.handle && !this.htmlFor && this.room !== '' && this.action === 'join';
  }

  private get applies(): boolean {
    const handle = this.link.handle;
    if (!handle) return this.isStandalone;
    switch (this.action) {
      case 'join':
        return handle.state === 'idle' || handle.state === 'error';
      case 'leave':
        return handle.state === 'joining' || handle.state === 'waiting' || inRoom(handle.state);
      case 'toggle-audio':
        return inRoom(handle.state) && !handle.missing.includes('audio');
      case 'toggle-video':
        return inRoom(handle.state) && !handle.missing.includes('video');
      case 'toggle-lock':
        return inRoom(handle.state) && handle.role === 'host';
      case 'toggle-screen-share':
        return inRoom(handle.state) && handle.screenShare !== null;
      case 'toggle-chat':
        return inRoom(handle.state) && !!handle.chat;
      default:
        return inRoom(handle.state) && handle[this.feature![0]] !== undefined;
    }
  }

  private get label(): string {
    const strings = this.locale.strings;
    const state = this.link.handle?.state;
    switch (this.action) {
      case 'toggle-audio':
        return strings.microphone;
      case 'toggle-video':
        return strings.camera;
      case 'toggle-lock':
        return strings.lockRoom;
      case 'toggle-screen-share':
        return strings.shareScreen;
      case 'toggle-chat':
        return strings.chat(this.link.handle?.chat?.unread ?? 0);
      default:
        return strings[this.feature![1]];
      case 'leave':
        return state === 'leaving' ? strings.leaving : strings.leave;
      case 'join':
        if (!state) return strings.startCall;
        if (state === 'joining') return strings.joining;
        if (state === 'waiting') return strings.waiting;
        return inRoom(state) ? strings.inCall : strings.join;
    }
  }

  /** What activating a toggle will do, as its tooltip; its accessible name stays the same. */
  private get toggleHint(): string {
    const strings = this.locale.strings;
    if (this.action === 'toggle-audio') return this.pressed ? strings.turnOffMicrophone : strings.turnOnMicrophone;
    if (this.action === 'toggle-lock') return this.pressed ? strings.unlockHint : strings.lockHint;
    if (this.action === 'toggle-screen-share') return this.pressed ? strings.stopSharing : strings.shareScreen;
    if (this.action === 'toggle-chat') return this.label;
    if (this.feature) return strings[this.feature[this.pressed ? 2 : 1]];
    return this.pressed ? strings.turnOffCamera : strings.turnOnCamera;
  }

  private get icon() {
    switch (this.action) {
      case 'toggle-audio':
        return this.pressed ? icons.micOn : icons.micOff;
      case 'toggle-video':
        return this.pressed ? icons.camOn : icons.camOff;
      case 'toggle-lock':
        return this.pressed ? icons.lock : icons.lockOpen;
      case 'toggle-screen-share':
        return icons.screenShare;
      // Added to the icons by the chat panel, which the call loads while joining.
      case 'toggle-chat':
        return icons.chat;
      // Added to the icons by the call's participant features, which it loads once joined.
      default:
        return icons[this.feature![0]];
      case 'leave':
        return icons.leave;
      case 'join':
        return this.isStandalone ? icons.camOn : icons.join;
    }
  }

  private get effectiveTheme(): Theme {
    return this.theme === 'auto' ? (this.link.handle?.theme ?? 'auto') : this.theme;
  }

  /** The text of the default slot: it names the panel the button opens. */
  private get slottedLabel(): string {
    return [...this.childNodes]
      .filter((node) => !(node instanceof Element && node.slot))
      .map((node) => node.textContent ?? '')
      .join('')
      .trim();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('htmlFor') && this.hasUpdated) this.link.relink();
    this.presence.follow(
      this.room && !this.hidePresence ? { server: this.server || SCRIPT_SERVER, room: this.room } : null,
    );
  }

  protected override updated(): void {
    // Fetch the panel while the visitor reads the page, so that the click opens it at once.
    if (this.isStandalone) void loadCallPanel();
    const states = this.internals.states;
    if (!states) return;
    if (this.pressed) states.add('pressed');
    else states.delete('pressed');
    if (this.panelOpen) states.add('open');
    else states.delete('open');
  }

  private handleClick(): void {
    if (this.disabled || !this.applies) return;
    const event = new CallRequestEvent({ action: this.action });
    this.link.requestTarget.dispatchEvent(event);
    if (event.defaultPrevented) return;
    const handle = this.link.handle;
    if (handle) handle.request(this.action);
    else if (this.isStandalone) void this.showPanel();
  }

  private async showPanel(): Promise<void> {
    await loadCallPanel();
    this.hasPanel = true;
    await this.updateComplete;
    await this.panel?.show();
  }

  private handlePanelToggle(event: CallPanelToggleEvent): void {
    const wasOpen = this.panelOpen;
    this.panelOpen = event.detail.open;
    this.panelMinimized = event.detail.minimized;
    // Focus goes back to what opened the panel, as it does for a dialog.
    if (wasOpen && !this.panelOpen) this.base.focus();
  }

  override render() {
    const toggle = this.isToggle;
    const standalone = this.isStandalone;
    const pressed = this.pressed;
    const count = this.presence.count;
    const unread = this.action === 'toggle-chat' && this.link.handle?.chat?.unread;
    const strings = this.locale.strings;
    const theme = this.effectiveTheme;
    return html`<button
        part="base"
        type="button"
        lang=${this.locale.lang}
        class=${classMap({
          button: true,
          'button--off': DEVICE_TOGGLES.has(this.action) && !pressed,
          // Pressed lock, screen share and the participant features' toggles: the accent says "on".
          'button--locked': pressed && !DEVICE_TOGGLES.has(this.action),
          'button--danger': this.action === 'leave',
          'button--primary': this.action === 'join',
          'button--light': theme === 'light',
          'button--dark': theme === 'dark',
        })}
        aria-pressed=${toggle ? String(pressed) : nothing}
        aria-label=${toggle ? this.label : nothing}
        title=${toggle ? this.toggleHint : nothing}
        aria-haspopup=${standalone ? 'dialog' : nothing}
        aria-expanded=${standalone ? String(this.panelOpen && !this.panelMinimized) : nothing}
        ?disabled=${this.disabled || !this.applies}
        @click=${this.handleClick}
      >
        <span part="icon" class="icon"><slot name="icon">${this.icon}</slot></span>
        <span part="label" class="label" ?hidden=${toggle}><slot>${this.label}</slot></span>
        ${unread ? html`<span part="badge" class="badge" aria-hidden="true">${unread}</span>` : nothing}
        ${count === null
          ? nothing
          : html`<span part="presence" class="presence ${count === 0 ? 'presence--empty' : ''}"
              >${strings.presence(count)}</span
            >`}
      </button>
      ${this.hasPanel
        ? html`<call-panel
            part="panel"
            room=${this.room}
            server=${this.server}
            name=${this.name}
            .token=${this.token}
            ?relay-only=${this.relayOnly}
            label=${this.slottedLabel || strings.panelTitle}
            theme=${this.theme}
            .strings=${this.strings}
            @call-panel-toggle=${this.handlePanelToggle}
          ></call-panel>`
        : nothing}`;
  }
}

if (!customElements.get('call-button')) customElements.define('call-button', CallButton);

declare global {
  interface HTMLElementTagNameMap {
    'call-button': CallButton;
  }
}
