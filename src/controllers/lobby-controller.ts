import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AudioLevelMeter } from '../core/audio-level.js';
import type { CaptureError, CaptureFailure, DeviceLists } from '../core/devices.js';
import { stopStream, type MediaKind } from '../core/media.js';
import { CallPreviewChangeEvent } from '../events/call-preview-change.js';

type Kit = typeof import('../core/preview-kit.js');
let kitLoading: Promise<Kit> | undefined;
/** The capture and meter code, a chunk of its own: fetched when a preview first starts. */
function loadKit(): Promise<Kit> {
  return (kitLoading ??= import('../core/preview-kit.js'));
}

/** Timings of the pre-join view; tests shorten them. */
export const lobbyTiming = {
  /** How long the browser's permission prompt may go unanswered before the lobby explains it. */
  promptHelpMs: 10_000,
};

/** Where the preview is: not started, asking for the devices, showing them, or failed. */
export type PreviewStatus = 'off' | 'starting' | 'live' | 'failed';

const NO_DEVICES: DeviceLists = { audioinput: [], videoinput: [], audiooutput: [] };

/**
 * The pre-join preview of a call element: captures camera and microphone, lists the devices,
 * switches them, measures the microphone and hands the stream to the call at Join, so that
 * joining asks for nothing again. Stops everything when its element leaves the page.
 */
export class LobbyController implements ReactiveController {
  private readonly host: ReactiveControllerHost & HTMLElement;
  private kit: Kit | null = null;
  private meter: AudioLevelMeter | null = null;
  /** Whether the element is on screen: the meter only runs while it is. */
  private onScreen = true;
  private readonly visibility =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(([entry]) => {
          this.onScreen = entry?.isIntersecting ?? true;
          this.applyEnabled();
        })
      : null;
  private run = 0;
  private promptTimer: ReturnType<typeof setTimeout> | undefined;
  private pending: Promise<void> | null = null;
  private readonly onDeviceChange = () => void this.refreshDevices();

  /** Where the preview is. */
  status: PreviewStatus = 'off';
  /** Why it failed, when `status` is `failed`. */
  failure: CaptureFailure | null = null;
  /** The failure as the call would report it. */
  failureError: CaptureError | null = null;
  /** The preview stream while `live`. */
  stream: MediaStream | null = null;
  /** Kinds this machine has no device for. */
  missing: MediaKind[] = [];
  /** The permission prompt has been waiting for a while. */
  promptSlow = false;
  devices: DeviceLists = NO_DEVICES;
  /** Chosen devices ('' = the system's default). */
  audioDeviceId = '';
  videoDeviceId = '';
  speakerId = '';
  /** Start-muted choices, applied to the preview and the call. */
  audio = true;
  video = true;
  /** Microphone level 0–20 (for the meter), while the microphone is on. */
  level = 0;
  /** Whether the browser can route sound to a chosen speaker (known once a preview started). */
  speakerSelectable = false;
  /** The browser family, for where its site settings are (known once a preview started). */
  browser: 'chrome' | 'firefox' | 'safari' | 'other' = 'other';

  /**
   * @param showLevel Shows `level` without a render: the meter steps up to 60 times a second, and a
   *   render each time did the whole view again.
   */
  constructor(
    host: ReactiveControllerHost & HTMLElement,
    private readonly showLevel: () => void,
  ) {
    (this.host = host).addController(this);
  }

  hostConnected(): void {
    navigator.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
    this.visibility?.observe(this.host);
  }

  hostDisconnected(): void {
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
    this.visibility?.disconnect();
    // As with the call: a moved element keeps its preview, a removed one lets the camera go.
    queueMicrotask(() => {
      if (!this.host.isConnected) this.stop();
    });
  }

  /** Starts the preview unless it is already running or starting. */
  start(): Promise<void> {
    if (this.status === 'starting' || this.status === 'live') return this.pending ?? Promise.resolve();
    const run = ++this.run;
    this.failure = null;
    this.setStatus('starting');
    this.failureError = null;
    this.promptSlow = false;
    clearTimeout(this.promptTimer);
    this.promptTimer = setTimeout(() => {
      if (this.run === run && this.status === 'starting') {
        this.promptSlow = true;
        this.host.requestUpdate();
      }
    }, lobbyTiming.promptHelpMs);
    this.host.requestUpdate();
    this.pending = loadKit()
      .then((kit) => {
        this.kit = kit;
        this.speakerSelectable = kit.canChooseSpeaker();
        this.browser = kit.browserFamily();
        return kit.capture({ audioDeviceId: this.audioDeviceId, videoDeviceId: this.videoDeviceId });
      })
      .then(
        ({ stream, missing }) => {
          if (this.run !== run) return stopStream(stream);
          this.stream = stream;
          this.missing = missing;
          this.setStatus('live');
          this.audioDeviceId = this.kit!.deviceOf(stream, 'audio');
          this.videoDeviceId = this.kit!.deviceOf(stream, 'video');
          this.applyEnabled();
          void this.refreshDevices();
        },
        (error: unknown) => {
          if (this.run !== run) return;
          this.failureError = this.kit?.captureError(error) ?? null;
          this.failure = this.failureError?.failure ?? 'not-found';
          this.setStatus('failed');
        },
      )
      .finally(() => {
        if (this.run !== run) return;
        clearTimeout(this.promptTimer);
        this.promptSlow = false;
        this.pending = null;
        this.host.requestUpdate();
      });
    return this.pending;
  }

  /** Stops the preview and lets the devices go. */
  stop(): void {
    this.run++;
    clearTimeout(this.promptTimer);
    this.meter?.close();
    this.meter = null;
    stopStream(this.stream);
    this.stream = null;
    this.pending = null;
    this.promptSlow = false;
    this.failure = null;
    this.setStatus('off');
  }

  /** Waits for a capture under way (the user still has to answer the browser's prompt). */
  async settled(): Promise<void> {
    await this.pending;
  }

  /**
   * Hands the live preview stream over to the call (which then owns it) and turns the preview
   * off; an empty stream (watch and listen only) when the preview found no devices at all; null
   * otherwise, so the call captures its own.
   */
  take(): MediaStream | null {
    // No devices at all: join to watch and listen, with nothing to send.
    const watchOnly = this.status === 'failed' && this.failure === 'not-found';
    const stream = this.status === 'live' ? this.stream : watchOnly ? new MediaStream() : null;
    this.stream = null;
    this.stop();
    return stream;
  }

  /** Turns the microphone or camera on or off for the preview and the call. */
  setEnabled(kind: MediaKind, on: boolean): void {
    if (kind === 'audio') this.audio = on;
    else this.video = on;
    this.applyEnabled();
    this.host.requestUpdate();
  }

  /** Switches the preview to another microphone or camera. */
  async selectDevice(kind: MediaKind, deviceId: string): Promise<void> {
    if (kind === 'audio') this.audioDeviceId = deviceId;
    else this.videoDeviceId = deviceId;
    const current = this.stream;
    const kit = this.kit;
    if (this.status !== 'live' || !current || !kit) return;
    const run = this.run;
    this.failureError = null;
    try {
      const { stream } = await kit.capture({
        kinds: [kind],
        audioDeviceId: kind === 'audio' ? deviceId : undefined,
        videoDeviceId: kind === 'video' ? deviceId : undefined,
      });
      if (this.run !== run || this.stream !== current) return stopStream(stream);
      const keep = kind === 'audio' ? current.getVideoTracks() : current.getAudioTracks();
      for (const track of kind === 'audio' ? current.getAudioTracks() : current.getVideoTracks()) track.stop();
      this.stream = new MediaStream([...keep, ...stream.getTracks()]);
      if (kind === 'audio') this.audioDeviceId = kit.deviceOf(this.stream, 'audio');
      else this.videoDeviceId = kit.deviceOf(this.stream, 'video');
      this.missing = this.missing.filter((missing) => missing !== kind);
      this.applyEnabled();
    } catch (error) {
      if (this.run !== run) return;
      // The old device keeps working; a busy new one is reported like a failed preview.
      this.failureError = kit.captureError(error);
    }
    this.host.requestUpdate();
  }

  /** Chooses the speaker for the call's sound (where the browser can). */
  selectSpeaker(deviceId: string): void {
    this.speakerId = deviceId;
    this.host.requestUpdate();
  }

  private setStatus(status: PreviewStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.host.requestUpdate();
    this.host.dispatchEvent(new CallPreviewChangeEvent({ status, failure: this.failure }));
  }

  private applyEnabled(): void {
    const stream = this.stream;
    if (!stream) return;
    for (const track of stream.getAudioTracks()) track.enabled = this.audio;
    for (const track of stream.getVideoTracks()) track.enabled = this.video;
    const mic = stream.getAudioTracks()[0];
    if (mic && this.audio && this.onScreen && this.kit) {
      this.meter ??= new this.kit.AudioLevelMeter((level) => this.setLevel(level));
      this.meter.start(mic);
    } else {
      this.meter?.stop();
    }
  }

  private async refreshDevices(): Promise<void> {
    if (!this.kit) return;
    try {
      this.devices = await this.kit.listDevices();
    } catch {
      this.devices = NO_DEVICES;
    }
    this.host.requestUpdate();
  }

  private setLevel(level: number): void {
    const step = Math.round(level * 20);
    if (step === this.level) return;
    this.level = step;
    this.showLevel();
  }
}
