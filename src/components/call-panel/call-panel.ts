import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { LocaleController } from '../../controllers/locale-controller.js';
import type { CallLeftEvent } from '../../events/call-left.js';
import { CallPanelToggleEvent } from '../../events/call-panel-toggle.js';
import type { StringOverrides } from '../../i18n/strings.js';
import { icons } from '../../internal/icons.js';
import { hostStyles } from '../../styles/host.styles.js';
import type { Theme } from '../../styles/theme.js';
import '../video-call/video-call.js';
import type { VideoCall } from '../video-call/video-call.js';
import { callPanelStyles } from './call-panel.styles.js';

/**
 * A floating call window anchored to the bottom corner of the page (the end side, so the left
 * one in right-to-left pages), the shape of a support chat: it holds a `<video-call>` that joins
 * `room` as soon as the panel opens, can be minimized to its title bar and restored, and leaves
 * the call when closed. It is a non-modal dialog: the page stays usable next to it on desktop;
 * on screens under 600 px wide it fills the screen. It lives in the browser's top layer, so no
 * `overflow`, `z-index` or `transform` of the page can clip or cover it.
 *
 * Keyboard: opening moves focus into the panel; Escape minimizes it (closing would hang up);
 * closing returns focus to the `<call-button>` that opened it. A standalone `<call-button room>`
 * creates its panel itself; place one yourself only to build your own launcher.
 *
 * @summary Floating, minimizable call window (what a click-to-call `<call-button>` opens).
 *
 * @attr {string} lang - Language of the panel and its call. Default: the closest ancestor's `lang`, else the browser's language.
 *
 * @csspart base - The floating window (the dialog).
 * @csspart header - Its title bar.
 * @csspart title - The title.
 * @csspart minimize-button - The minimize / restore button.
 * @csspart close-button - The close button (leaves the call).
 * @csspart body - The part hidden while minimized.
 * @csspart call - The `<video-call>` inside.
 *
 * @cssprop [--call-panel-width=380px] - Width on desktop.
 * @cssprop [--call-panel-height=560px] - Height on desktop.
 * @cssprop [--call-panel-inset=16px] - Distance from the window's bottom and end edges.
 * @cssprop [--call-panel-radius=16px] - Corner radius.
 * @cssprop [--call-panel-background=#fff] - Background (dark theme: `#2d2e31`).
 * @cssprop [--call-panel-color=#202124] - Text colour (dark theme: `#e8eaed`).
 * @cssprop [--call-panel-shadow=0 8px 28px rgba(0, 0, 0, 0.28)] - Shadow around the panel.
 * @cssprop [--call-panel-focus-ring=2px solid #1a73e8] - Focus outline of its buttons (dark theme: `2px solid #8ab4f8`).
 *
 * @fires {CallPanelToggleEvent} call-panel-toggle - Opened, closed, minimized or restored; `detail: { open, minimized }`.
 */
export class CallPanel extends LitElement {
  static override styles = [hostStyles, callPanelStyles];

  private readonly locale = new LocaleController(this);
  private announced = { open: false, minimized: false };

  @query('[part~="base"]') private base!: HTMLElement;
  @query('[part~="minimize-button"]') private minimizeButton!: HTMLButtonElement;
  @query('video-call') private call!: VideoCall | null;

  /** Whether the panel is showing (and its call joined or joining). */
  @property({ type: Boolean, reflect: true }) open = false;

  /** Whether the open panel is folded down to its title bar (the call goes on). */
  @property({ type: Boolean, reflect: true }) minimized = false;

  /** The room the panel's call joins. */
  @property({ reflect: true }) room = '';

  /** Base URL of the peercall server. Default: where the script came from. */
  @property() server = '';

  /** Display name to join with. */
  @property() name = '';

  /** Join token for its call, in token rooms (from your site's backend; a credential, so not reflected). */
  @property() token = '';

  /** Its call sends media only through the server's TURN relays. */
  @property({ type: Boolean, reflect: true, attribute: 'relay-only' }) relayOnly = false;

  /** Title of the panel and its accessible name. Default: "Video call" in the panel's language. */
  @property() label = '';

  /** `light` or `dark` forces a colour scheme (for the call inside too); `auto` follows the visitor's system setting. */
  @property() theme: Theme = 'auto';

  /** Replaces any built-in text of the panel and its call (see `<video-call>`'s `strings`). */
  @property({ attribute: false }) strings: StringOverrides = {};

  /** Opens the panel (or restores it when minimized) and moves focus into it. */
  async show(): Promise<void> {
    this.open = true;
    this.minimized = false;
    await this.updateComplete;
    this.minimizeButton.focus();
  }

  /** Folds the panel down to its title bar; the call goes on. */
  minimize(): void {
    if (this.open) this.minimized = true;
  }

  /** Unfolds a minimized panel. */
  restore(): void {
    this.minimized = false;
  }

  /** Leaves the call and closes the panel. */
  close(): void {
    this.open = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Removing a popover from the document hides it; after a move, show it again.
    if (this.hasUpdated) this.syncPopover();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Leave explicitly, as the user asked, before the call element is dropped from the panel.
    if (changed.has('open') && !this.open) void this.call?.leave();
    if (!this.open) this.minimized = false;
  }

  protected override updated(): void {
    this.syncPopover();
    const { open, minimized } = this;
    if (open === this.announced.open && minimized === this.announced.minimized) return;
    this.announced = { open, minimized };
    this.dispatchEvent(new CallPanelToggleEvent({ open, minimized }));
  }

  private syncPopover(): void {
    const base = this.base;
    if (!base?.showPopover || !base.isConnected) return;
    const showing = base.matches(':popover-open');
    if (this.open && !showing) base.showPopover();
    else if (!this.open && showing) base.hidePopover();
  }

  private handleKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || this.minimized) return;
    event.stopPropagation();
    this.minimized = true;
    this.minimizeButton.focus();
  }

  private handleCallLeft(event: CallLeftEvent): void {
    // Hanging up with the call's own Leave button ends the conversation: close, as a support widget does.
    if (event.detail.reason === 'user' && this.open) this.open = false;
  }

  override render() {
    const strings = this.locale.strings;
    const minimized = this.minimized;
    return html`<div
      part="base"
      class=${classMap({
        panel: true,
        'panel--open': this.open,
        'panel--minimized': minimized,
        'panel--light': this.theme === 'light',
        'panel--dark': this.theme === 'dark',
      })}
      role="dialog"
      aria-labelledby="title"
      popover="manual"
      lang=${this.locale.lang}
      @keydown=${this.handleKeydown}
    >
      <div part="header" class="header">
        <h2 id="title" part="title" class="title">${this.label || strings.panelTitle}</h2>
        <button
          part="minimize-button"
          class="header__button"
          type="button"
          aria-label=${minimized ? strings.restore : strings.minimize}
          title=${minimized ? strings.restore : strings.minimize}
          aria-expanded=${String(!minimized)}
          @click=${() => (this.minimized = !minimized)}
        >
          ${minimized ? icons.chevronUp : icons.chevronDown}
        </button>
        <button
          part="close-button"
          class="header__button"
          type="button"
          aria-label=${strings.closePanel}
          title=${strings.closePanel}
          @click=${this.close}
        >
          ${icons.close}
        </button>
      </div>
      <div part="body" class="body" ?hidden=${minimized}>
        ${this.open
          ? html`<video-call
              part="call"
              class="call"
              autojoin
              room=${this.room}
              server=${this.server || nothing}
              name=${this.name}
              .token=${this.token}
              ?relay-only=${this.relayOnly}
              theme=${this.theme}
              .strings=${this.strings}
              @call-left=${this.handleCallLeft}
            ></video-call>`
          : nothing}
      </div>
    </div>`;
  }
}

if (!customElements.get('call-panel')) customElements.define('call-panel', CallPanel);

declare global {
  interface HTMLElementTagNameMap {
    'call-panel': CallPanel;
  }
}
