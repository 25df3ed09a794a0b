import { LitElement, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { CallRequestEvent, type CallButtonAction } from '../../events/call-request.js';
import { en } from '../../i18n/strings.js';
import { hostStyles } from '../../styles/host.styles.js';
import { icons } from './call-button-icons.js';
import { callButtonStyles } from './call-button.styles.js';

const TOGGLES: ReadonlySet<CallButtonAction> = new Set(['toggle-audio', 'toggle-video']);

/**
 * A button that asks a call to join, leave, or turn the microphone or camera on or off.
 * It does not act by itself: it fires `call-request`, which the enclosing `<video-call>` carries
 * out, and the call sets `pressed` back (requests go up, state comes down).
 *
 * @summary One call control: join, leave, microphone or camera.
 *
 * @slot - The visible label; defaults to a text for the action (hidden for toggles, which show an icon).
 * @slot icon - Replaces the built-in icon.
 *
 * @csspart base - The native `<button>`.
 * @csspart icon - The icon wrapper.
 * @csspart label - The label wrapper.
 *
 * @cssprop [--call-button-background=rgba(255, 255, 255, 0.14)] - Background of the button.
 * @cssprop [--call-button-color=#fff] - Text and icon colour.
 * @cssprop [--call-button-radius=999px] - Corner radius.
 * @cssprop [--call-button-size=44px] - Height and minimum width (44 px is the smallest comfortable touch target).
 * @cssprop [--call-button-off-background=#5f6368] - Background of a toggle that is off.
 * @cssprop [--call-button-danger-background=#d93025] - Background of the leave button.
 * @cssprop [--call-button-focus-ring=2px solid #8ab4f8] - Keyboard focus outline.
 *
 * @fires {CallRequestEvent} call-request - The button was activated; `detail.action` says what it asks for. Cancelable.
 */
export class CallButton extends LitElement {
  static override styles = [hostStyles, callButtonStyles];

  /** What the button asks for: `join`, `leave`, `toggle-audio` or `toggle-video`. */
  @property({ reflect: true }) action: CallButtonAction = 'join';

  /** For toggles: whether the microphone or camera is on. Set by the call, shown as `aria-pressed`. */
  @property({ type: Boolean, reflect: true }) pressed = false;

  /** Disables the button. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  private get isToggle(): boolean {
    return TOGGLES.has(this.action);
  }

  private get defaultLabel(): string {
    switch (this.action) {
      case 'toggle-audio':
        return en.microphone;
      case 'toggle-video':
        return en.camera;
      case 'leave':
        return en.leave;
      default:
        return en.join;
    }
  }

  private get icon() {
    switch (this.action) {
      case 'toggle-audio':
        return this.pressed ? icons.micOn : icons.micOff;
      case 'toggle-video':
        return this.pressed ? icons.camOn : icons.camOff;
      case 'leave':
        return icons.leave;
      default:
        return icons.join;
    }
  }

  private handleClick(): void {
    if (this.disabled) return;
    this.dispatchEvent(new CallRequestEvent({ action: this.action }));
  }

  override render() {
    const toggle = this.isToggle;
    return html`<button
      part="base"
      type="button"
      class=${classMap({
        button: true,
        'button--off': toggle && !this.pressed,
        'button--danger': this.action === 'leave',
        'button--primary': this.action === 'join',
      })}
      aria-pressed=${toggle ? String(this.pressed) : nothing}
      aria-label=${toggle ? this.defaultLabel : nothing}
      title=${toggle ? this.defaultLabel : nothing}
      ?disabled=${this.disabled}
      @click=${this.handleClick}
    >
      <span part="icon" class="icon"><slot name="icon">${this.icon}</slot></span>
      <span part="label" class="label" ?hidden=${toggle}><slot>${this.defaultLabel}</slot></span>
    </button>`;
  }
}

if (!customElements.get('call-button')) customElements.define('call-button', CallButton);

declare global {
  interface HTMLElementTagNameMap {
    'call-button': CallButton;
  }
}
