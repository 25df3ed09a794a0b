import { capture } from './devices.js';
import type { MediaKind } from './media.js';

/** Why the track of a kind changed: the user chose a device, the old one went away, or a screen share started or ended. */
export type TrackChangeReason = 'user' | 'fallback' | 'screen';

/** What a DeviceSwitch reads and changes of the call session that owns it. */
export interface MediaSession {
  /** The stream we send; replaced (as a new MediaStream) whenever one of its tracks is. */
  localStream: MediaStream | null;
  peers: ReadonlyMap<string, { link: { peerConnection?: RTCPeerConnection } | null }>;
  /** Its limits depend on the kind of track (a screen keeps its resolution): re-applied after a swap. */
  governor: { update(): void } | null;
  sharing?: boolean;
}

/** The side of the device a camera faces, where a device (a phone, a tablet) has more than one. */
export type FacingMode = 'user' | 'environment';

/** A device id from `enumerateDevices()`, or a camera by the side it faces. */
export type DeviceChoice = string | { facingMode: FacingMode };

const FACING_VIDEO: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 360 } };

/**
 * Changes what a running call sends without renegotiating: every peer's sender gets the new
 * track through `RTCRtpSender.replaceTrack`, so the remote keeps its receiver (and its `<video>`)
 * and only sees new frames. Also follows devices that disappear (an unplugged camera or headset
 * falls back to another device of its kind), and swaps a screen capture in place of the camera.
 */
export class DeviceSwitch {
  /** The Call: its `trackchange` and `screensharechange` events are dispatched on it. */
  private readonly call: EventTarget;
  private readonly session: MediaSession;
  /** The camera track put aside while a screen is shared in its place. */
  private camera: MediaStreamTrack | null = null;
  private screen: MediaStreamTrack | null = null;
  private closed = false;
  /** Serialises switches, so that two quick choices cannot interleave their captures. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly onDeviceChange = () => void this.checkDevices();
  private readonly onEnded = () => void this.checkDevices();

  constructor(call: EventTarget, session: MediaSession) {
    this.call = call;
    this.session = session;
    navigator.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
    for (const track of session.localStream?.getTracks() ?? []) track.addEventListener('ended', this.onEnded);
  }

  /**
   * Sends `track` in place of the current track of its kind, to everyone in the call and to whoever
   * joins later. The old track stops unless `keep`; it is returned either way.
   */
  async replaceTrack(
    kind: MediaKind,
    track: MediaStreamTrack,
    reason: TrackChangeReason = 'user',
    keep = false,
  ): Promise<MediaStreamTrack | null> {
    const stream = this.session.localStream;
    if (!stream || this.closed) throw new DOMException('The call has no local media.', 'InvalidStateError');
    const old = (kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0] ?? null;
    if (old === track) return old;
    // Muted stays muted: the user's microphone or camera toggle is about the person, not the device.
    // A screen is shared to be seen, camera off or not, and the camera comes back as it was.
    if (old && reason !== 'screen') track.enabled = old.enabled;
    // A new stream object, so that the self-view and later joiners (who get the stream at call time) pick it up.
    this.session.localStream = new MediaStream([...stream.getTracks().filter((t) => t !== old), track]);
    old?.removeEventListener('ended', this.onEnded);
    // A shared screen ending is the user's "Stop sharing", not a lost device.
    if (track !== this.screen) track.addEventListener('ended', this.onEnded);
    await Promise.all(
      [...this.session.peers.values()]
        .flatMap((peer) => peer.link?.peerConnection?.getTransceivers() ?? [])
        .filter((t) => t.currentDirection !== 'stopped' && t.receiver.track.kind === kind)
        // A connection that closed meanwhile rejects; it is placed anew with the current stream.
        .map((t) => t.sender.replaceTrack(track).catch(() => {})),
    );
    this.session.governor?.update();
    if (!keep) old?.stop();
    this.emit('trackchange', { kind, track, reason });
    return old;
  }

  /** Switches to another microphone or camera; while a screen is shared, the camera is switched behind it. */
  useDevice(kind: MediaKind, device: DeviceChoice, reason: TrackChangeReason = 'user'): Promise<void> {
    return this.serially(async () => {
      let track: MediaStreamTrack;
      if (typeof device === 'string') {
        const { stream } = await capture({
          kinds: [kind],
          audioDeviceId: kind === 'audio' ? device : undefined,
          videoDeviceId: kind === 'video' ? device : undefined,
        });
        track = stream.getTracks()[0]!;
      } else {
        // Phones cannot open both cameras at once: let the current one go first.
        (this.camera ?? this.session.localStream?.getVideoTracks()[0])?.stop();
        const video = { ...FACING_VIDEO, facingMode: { exact: device.facingMode } };
        track = (await navigator.mediaDevices.getUserMedia({ video })).getVideoTracks()[0]!;
      }
      await this.install(kind, track, reason);
    });
  }

  /** Shares a screen, window or tab in place of the camera; the browser asks the user what to share. */
  async startScreenShare(): Promise<void> {
    if (this.screen) return;
    if (!this.session.localStream?.getVideoTracks().length) {
      // Without a video sender there is nothing to put the screen into, and PeerJS cannot add one.
      throw new DOMException('Screen sharing needs a camera track to replace.', 'NotSupportedError');
    }
    const { captureScreen } = await import('./screen-share.js');
    const track = await captureScreen();
    if (this.closed || this.screen) return track.stop();
    this.screen = track;
    // The browser's own "Stop sharing" bar ends the track.
    track.addEventListener('ended', () => void this.stopScreenShare(), { once: true });
    this.camera = await this.replaceTrack('video', track, 'screen', true);
    this.setSharing(true);
  }

  /** Stops sharing and sends the camera again. */
  stopScreenShare(): Promise<void> {
    return this.serially(async () => {
      const screen = this.screen;
      if (!screen) return;
      const camera = this.camera;
      this.screen = this.camera = null;
      // A camera unplugged during the share comes back as whatever camera there is.
      const next = this.closed || !camera ? null : camera.readyState === 'live' ? camera : await anyDevice('video').catch(() => null);
      if (next) await this.replaceTrack('video', next, 'screen');
      screen.stop();
      this.setSharing(false);
    });
  }

  private setSharing(sharing: boolean): void {
    this.session.sharing = sharing;
    if (!this.closed) this.emit('screensharechange', { sharing });
  }

  private emit(type: string, detail: unknown): void {
    this.call.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Stops listening and releases the tracks this object holds (the call stops its own stream). */
  close(): void {
    this.closed = true;
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
    this.camera?.stop();
    this.screen?.stop();
    this.camera = this.screen = null;
  }

  private async install(kind: MediaKind, track: MediaStreamTrack, reason: TrackChangeReason): Promise<void> {
    if (this.closed) return track.stop();
    if (kind === 'video' && this.screen) {
      // Behind the shared screen: swapped in when the share ends.
      track.enabled = this.camera?.enabled ?? true;
      this.camera?.stop();
      this.camera = track;
      this.emit('trackchange', { kind, track, reason });
      return;
    }
    await this.replaceTrack(kind, track, reason);
  }

  private serially(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => {});
    return run;
  }

  /** A device went away (its track ended, or it left the device list): fall back to another of its kind. */
  private async checkDevices(): Promise<void> {
    if (this.closed) return;
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
    const camera = this.camera ?? this.session.localStream?.getVideoTracks()[0];
    for (const track of [this.session.localStream?.getAudioTracks()[0], camera]) {
      if (!track) continue;
      // Browsers that hide device ids (no permission kept) list nothing to compare with: only an ended track counts then.
      const listed = devices.filter((d) => d.kind === `${track.kind}input` && d.deviceId).map((d) => d.deviceId);
      const gone = track.readyState !== 'live' || (listed.length > 0 && !listed.includes(track.getSettings().deviceId ?? ''));
      if (gone) await this.serially(() => this.fallBack(track.kind as MediaKind, track)).catch(() => {});
    }
  }

  private async fallBack(kind: MediaKind, lost: MediaStreamTrack): Promise<void> {
    // Switched meanwhile by the user or an earlier event.
    const current = kind === 'video' ? (this.camera ?? this.session.localStream?.getVideoTracks()[0]) : this.session.localStream?.getAudioTracks()[0];
    if (this.closed || current !== lost) return;
    await this.install(kind, await anyDevice(kind), 'fallback');
  }
}

/**
 * A track from whichever device of `kind` the browser picks by default: the system's choice
 * among those present (not, say, a laptop's infrared face-login camera listed first).
 */
async function anyDevice(kind: MediaKind): Promise<MediaStreamTrack> {
  return (await capture({ kinds: [kind] })).stream.getTracks()[0]!;
}
