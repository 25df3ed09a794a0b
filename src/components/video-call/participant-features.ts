import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { CallController } from '../../controllers/call-controller.js';
import type { Participant } from '../../core/participant.js';
import { CallHandChangeEvent } from '../../events/call-hand-change.js';
import type { CallButtonAction } from '../../events/call-request.js';
import type { Strings } from '../../i18n/strings.js';
import { addStyles } from '../../internal/add-styles.js';
import type { RecordingController } from './recording-controller.js';
import { featuresOn, type FeatureSwitches } from './feature-controls.js';
import { extrasStyles, renderTileStatus } from './tile-status.js';
import '../call-participants/call-participants.js';

export interface FeatureHost extends ReactiveControllerHost, HTMLElement, FeatureSwitches {
  readonly room: string;
  readonly participants: readonly Participant[];
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** Carries out a host action from the participant list, as the tile's buttons do. */
export type HostAction = (action: 'mute' | 'remove', participant: Participant) => unknown;

/** What the control bar's feature buttons show; `undefined` for a feature that is turned off. */
export interface FeatureState {
  hand?: boolean;
  participants?: boolean;
  recording?: boolean;
}

/**
 * `<video-call>`'s participant features, loaded once it first joins a room: status icons on the
 * tiles, raising a hand, the participant list and (a chunk of its own, loaded on first use)
 * local recording. The element only asks this for its parts of the view and hands it the
 * control bar's requests.
 */
export class ParticipantFeatures implements ReactiveController {
  private listOpen = false;
  private recorder: RecordingController | undefined;

  /** The element lends us its call, its text, its live region and its host controls. */
  constructor(
    private readonly host: FeatureHost,
    private readonly call: CallController,
    private readonly locale: { readonly strings: Strings },
    private readonly announce: (text: string) => void,
    private readonly hostAction: HostAction,
  ) {
    host.addController(this);
    addStyles(host.renderRoot as ShadowRoot, extrasStyles);
    host.addEventListener('call-participant-change', ({ detail: { name, status, previous } }) => {
      const strings = locale.strings;
      if (status.hand && !previous?.hand) announce(strings.handRaisedBy(name));
      if (status.recording && !previous?.recording) announce(strings.recordingBy(name));
    });
    host.addEventListener('call-state-change', ({ detail }) => {
      if (detail.state !== 'joined' && detail.state !== 'reconnecting') this.listOpen = false;
    });
    host.requestUpdate();
  }

  hostUpdated(): void {
    // A feature turned off while in use ends, rather than staying on with no button to end it.
    if (this.host.noRaiseHand && this.call.status?.hand) this.call.setStatus({ hand: false });
    if (this.host.noRecording && this.recorder?.recording) this.recorder.toggle();
  }

  get state(): FeatureState {
    const on = featuresOn(this.host);
    return {
      hand: on.hand ? !!this.call.status?.hand : undefined,
      participants: on.participants ? this.listOpen : undefined,
      recording: on.recording ? !!this.recorder?.recording : undefined,
    };
  }

  request(action: CallButtonAction): void {
    const state = this.state;
    if (action === 'toggle-hand' && state.hand !== undefined) {
      this.call.setStatus({ hand: !state.hand });
      this.host.dispatchEvent(new CallHandChangeEvent({ raised: !state.hand }));
    } else if (action === 'toggle-participants' && state.participants !== undefined) {
      this.listOpen = !this.listOpen;
      this.host.requestUpdate();
    } else if (action === 'toggle-recording' && state.recording !== undefined) {
      void this.toggleRecording();
    }
  }

  renderTileStatus(participant: Participant) {
    return renderTileStatus(participant, this.locale.strings);
  }

  renderList(participants: readonly Participant[], hostControls: boolean) {
    if (!this.listOpen || this.host.noParticipants) return nothing;
    return html`<call-participants
      part="participants"
      .participants=${participants}
      .strings=${this.locale.strings}
      ?host-controls=${hostControls}
      .onControl=${this.hostAction}
    ></call-participants>`;
  }

  /** The recording badge while recording, then the download; also after the call ended. */
  renderRecording() {
    return this.recorder?.render(this.locale.strings);
  }

  private async toggleRecording(): Promise<void> {
    const { RecordingController } = await import('./recording-controller.js');
    this.recorder ??= new RecordingController(this.host, {
      onChange: (recording) => {
        const strings = this.locale.strings;
        if (recording !== null) this.call.setStatus({ recording });
        this.announce(recording ? strings.statusRecording : recording === null ? strings.recordingFailed : strings.recordingStopped);
      },
    });
    this.recorder.toggle();
  }
}
