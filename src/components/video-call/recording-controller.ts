import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { Participant } from '../../core/participant.js';
import { CallRecorder } from '../../core/recorder.js';
import { CallRecordingChangeEvent } from '../../events/call-recording-change.js';
import type { Strings } from '../../i18n/strings.js';

export interface RecordingHost extends ReactiveControllerHost, HTMLElement {
  readonly participants: readonly Participant[];
  readonly room: string;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface RecordingOptions {
  /** The recording started (true) or stopped (false), or could not start (null). */
  onChange(recording: boolean | null): void;
}

/**
 * `<video-call>`'s local recording, loaded the first time someone presses Record: records what
 * the tiles show (see CallRecorder), shows a recording badge with the elapsed time, stops when
 * the call ends or the element leaves the page, and then offers the file as a download.
 */
export class RecordingController implements ReactiveController {
  private recorder: CallRecorder | null = null;
  private startedAt = 0;
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** The last recording, as a Blob URL, until it is dismissed or replaced. */
  private file: { url: string; name: string } | null = null;
  private stopping = Promise.resolve();

  constructor(
    private readonly host: RecordingHost,
    private readonly options: RecordingOptions,
  ) {
    host.addController(this);
    host.addEventListener('call-state-change', ({ detail }) => {
      if (detail.state !== 'joined' && detail.state !== 'reconnecting') void this.stop();
    });
  }

  get recording(): boolean {
    return this.recorder !== null;
  }

  toggle(): void {
    if (this.recorder) void this.stop();
    else this.start();
  }

  hostDisconnected(): void {
    // As the call does: an element moved in the page is back by the next microtask and goes on.
    queueMicrotask(() => {
      if (this.host.isConnected) return;
      // Removed for good: the page still gets the file with call-recording-change, but nobody can
      // click the download any more, so its Blob URL goes.
      void this.stop().then(() => this.dismiss());
    });
  }

  private start(): void {
    const host = this.host;
    try {
      this.recorder = new CallRecorder(() => {
        const videos = new Map(
          [...host.renderRoot.querySelectorAll<HTMLVideoElement>('[part~="stage"] video')].map((v) => [v.dataset.peerId, v]),
        );
        return host.participants.map(({ peerId, name, stream }) => ({ label: name, video: videos.get(peerId) ?? null, stream }));
      });
      this.recorder.start();
    } catch {
      this.recorder = null;
      this.options.onChange(null);
      return;
    }
    this.dismiss();
    this.startedAt = Date.now();
    this.ticker = setInterval(() => host.requestUpdate(), 1000);
    this.options.onChange(true);
    host.dispatchEvent(new CallRecordingChangeEvent({ recording: true }));
    host.requestUpdate();
  }

  /** Stops recording; resolves once the file is offered (also when a stop is already under way). */
  private stop(): Promise<void> {
    const recorder = this.recorder;
    if (!recorder) return this.stopping;
    this.recorder = null;
    clearInterval(this.ticker);
    this.options.onChange(false);
    this.stopping = recorder.stop().then((recorded) => {
      const stamp = new Date(this.startedAt).toISOString().slice(0, 19).replace(/:/g, '-');
      this.dismiss();
      // Stopped before the encoder wrote anything (within a fraction of a second): nothing to offer.
      const file = recorded.size ? recorded : undefined;
      if (file) this.file = { url: URL.createObjectURL(file), name: `${this.host.room || 'call'}-${stamp}.webm` };
      this.host.dispatchEvent(new CallRecordingChangeEvent({ recording: false, file }));
      this.host.requestUpdate();
    });
    return this.stopping;
  }

  /** Lets the last file go (its Blob URL holds the whole recording in memory). */
  private dismiss(): void {
    if (this.file) URL.revokeObjectURL(this.file.url);
    this.file = null;
    this.host.requestUpdate();
  }

  render(strings: Strings) {
    if (this.recorder) {
      const seconds = Math.floor((Date.now() - this.startedAt) / 1000);
      const elapsed = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
      // A timer, not a status: a screen reader should not read every second aloud.
      return html`<p part="recording" class="notice recording" role="timer" aria-label=${strings.statusRecording}>
        <span class="recording__dot" aria-hidden="true"></span>${strings.statusRecording} ${elapsed}
      </p>`;
    }
    if (!this.file) return nothing;
    return html`<p part="recording-file" class="notice recording">
      <a part="download" href=${this.file.url} download=${this.file.name}>${strings.downloadRecording}</a>
      <button part="dismiss-button" class="small-button" type="button" @click=${() => this.dismiss()}>
        ${strings.dismiss}
      </button>
    </p>`;
  }
}
