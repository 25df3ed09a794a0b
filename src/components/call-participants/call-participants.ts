import { LitElement, html, nothing } from 'lit';
import type { Participant } from '../../core/participant.js';
import { en, type Strings } from '../../i18n/strings.js';
import { icons } from '../../internal/icons.js';
import { hostStyles } from '../../styles/host.styles.js';
import { callParticipantsStyles } from './call-participants.styles.js';
import { renderStatusIcons } from './status-icons.js';

/**
 * The list of everyone in a call, raised hands first: name, role (host) and the microphone,
 * camera, hand and recording icons. For hosts it also offers Ask to mute and Remove. It is a
 * view: `<video-call>` renders it (with the control bar's Participants toggle), gives it
 * `participants` and `strings`, and carries out the host actions through `onControl`.
 *
 * @summary The participant list of a `<video-call>`.
 *
 * @csspart base - The panel.
 * @csspart title - Its heading.
 * @csspart list - The list.
 * @csspart participant - One person.
 * @csspart role - The Host badge.
 * @csspart status-icon - Each status icon (also `hand-icon`, `recording-icon`, `muted-icon`, `camera-off-icon`).
 * @csspart participant-action - Hosts: Ask to mute and Remove.
 */
export class CallParticipants extends LitElement {
  static override styles = [hostStyles, callParticipantsStyles];
  // Not decorators: with them in a third lazy chunk, the bundler moved lit and the decorator
  // helpers out of video-call.js into shared chunks that every page would have to fetch too.
  static override properties = {
    participants: { attribute: false },
    strings: { attribute: false },
    hostControls: { type: Boolean, attribute: 'host-controls' },
    onControl: { attribute: false },
  };

  /** Everyone in the call, in the call's order. */
  participants: readonly Participant[] = [];

  /** The call's text, in its language. */
  strings: Strings = en;

  /** Offer host actions on everyone else. */
  hostControls = false;

  /** Carries out a host action. */
  onControl: (action: 'mute' | 'remove', participant: Participant) => void = () => {};

  override render() {
    const strings = this.strings;
    // Stable: raised hands first, everyone else in the call's order.
    const sorted = [...this.participants].sort((a, b) => Number(!!b.status?.hand) - Number(!!a.status?.hand));
    return html`<section part="base" class="panel" aria-labelledby="title">
      <h2 id="title" part="title" class="title">${strings.participants} (${sorted.length})</h2>
      <ul part="list" class="list">
        ${sorted.map(
          (p) => html`<li part="participant" class="participant" data-participant=${p.peerId}>
            <span class="name">${p.local ? `${p.name} (${strings.you})` : p.name}</span>
            ${p.role === 'host' ? html`<span part="role" class="role">${strings.host}</span>` : nothing}
            ${renderStatusIcons(p, strings)}
            ${this.hostControls && !p.local
              ? html`<button
                    part="participant-action"
                    type="button"
                    aria-label=${strings.askToMute(p.name)}
                    title=${strings.askToMute(p.name)}
                    @click=${() => this.onControl('mute', p)}
                  >
                    ${icons.micOff}
                  </button>
                  <button
                    part="participant-action"
                    type="button"
                    aria-label=${strings.removeName(p.name)}
                    title=${strings.removeName(p.name)}
                    @click=${() => this.onControl('remove', p)}
                  >
                    ${icons.personRemove}
                  </button>`
              : nothing}
          </li>`,
        )}
      </ul>
    </section>`;
  }
}

if (!customElements.get('call-participants')) customElements.define('call-participants', CallParticipants);

declare global {
  interface HTMLElementTagNameMap {
    'call-participants': CallParticipants;
  }
}
