import { CallError } from './errors.js';
import { AUDIO_CONSTRAINTS as AUDIO, VIDEO_CONSTRAINTS as VIDEO, type MediaKind } from './media.js';

/** The devices a picker can offer, by kind; labels are empty until the page has permission. */
export interface DeviceLists {
  audioinput: MediaDeviceInfo[];
  videoinput: MediaDeviceInfo[];
  audiooutput: MediaDeviceInfo[];
}

/** Why a capture failed, precisely enough to tell the user what to do. */
export type CaptureFailure =
  /** The user (or the browser's site settings) refused. */
  | 'denied'
  /** The operating system keeps the browser from the camera or microphone. */
  | 'denied-by-system'
  /** Neither a camera nor a microphone exists. */
  | 'not-found'
  /** The device is in use by another app, or failed to start. */
  | 'busy'
  /** Not https:// or localhost. */
  | 'insecure'
  /** No getUserMedia at all. */
  | 'unsupported';

/** A failed capture: `failure` for the UI, `error` as the call would report it. */
export class CaptureError extends Error {
  constructor(
    readonly failure: CaptureFailure,
    readonly error: CallError,
  ) {
    super(error.message, { cause: error.cause });
    this.name = 'CaptureError';
  }
}

export interface CaptureRequest {
  /** The microphone to use; default: the system's. */
  audioDeviceId?: string;
  /** The camera to use; default: the system's. */
  videoDeviceId?: string;
  /** Which kinds to capture (default both). */
  kinds?: readonly MediaKind[];
}

/** A capture and which asked-for kinds do not exist on this machine. */
export interface Capture {
  stream: MediaStream;
  missing: MediaKind[];
}

/**
 * Captures camera and microphone for a preview. A missing device falls back to the other kind
 * (a laptop without a camera gets sound), and constraints a device cannot meet (a remembered
 * camera that is gone, a size it cannot do) are relaxed without bothering the user.
 */
export async function capture(request: CaptureRequest = {}): Promise<Capture> {
  if (!globalThis.isSecureContext) {
    throw new CaptureError(
      'insecure',
      new CallError('insecure-context', 'Camera and microphone need a secure page (https:// or http://localhost).'),
    );
  }
  const mediaDevices = globalThis.navigator?.mediaDevices;
  if (!mediaDevices?.getUserMedia) {
    throw new CaptureError('unsupported', new CallError('media-unsupported', 'This browser cannot capture camera or microphone.'));
  }
  const kinds = request.kinds ?? ['audio', 'video'];
  const attempts: MediaKind[][] = kinds.length === 2 ? [['audio', 'video'], ['audio'], ['video']] : [[...kinds]];
  for (const attempt of attempts) {
    try {
      const stream = await getWithRelaxing(mediaDevices, attempt, request);
      return { stream, missing: kinds.filter((kind) => !attempt.includes(kind)) };
    } catch (error) {
      if (errorName(error) !== 'NotFoundError') throw captureError(error);
    }
  }
  throw new CaptureError('not-found', new CallError('media-unavailable', 'No camera or microphone could be found.'));
}

/** Tries the exact request, then without device choice and sizes when the device cannot meet them. */
async function getWithRelaxing(mediaDevices: MediaDevices, kinds: MediaKind[], request: CaptureRequest): Promise<MediaStream> {
  const constraints = (relaxed: boolean): MediaStreamConstraints => ({
    audio: kinds.includes('audio') && (relaxed ? true : withDevice(AUDIO, request.audioDeviceId)),
    video: kinds.includes('video') && (relaxed ? true : withDevice(VIDEO, request.videoDeviceId)),
  });
  try {
    return await mediaDevices.getUserMedia(constraints(false));
  } catch (error) {
    if (errorName(error) !== 'OverconstrainedError') throw error;
    return mediaDevices.getUserMedia(constraints(true));
  }
}

function withDevice(base: MediaTrackConstraints, deviceId: string | undefined): MediaTrackConstraints {
  return deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
}

function errorName(error: unknown): string {
  return error instanceof DOMException || error instanceof Error ? error.name : '';
}

/** Turns what getUserMedia threw into a CaptureError. */
export function captureError(error: unknown): CaptureError {
  if (error instanceof CaptureError) return error;
  const name = errorName(error);
  const message = error instanceof Error ? error.message : '';
  const cause = { cause: error };
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    // Chrome's wording when the OS (macOS privacy settings, Windows camera access) blocks the browser.
    const system = /by system/i.test(message);
    return new CaptureError(
      system ? 'denied-by-system' : 'denied',
      new CallError('media-denied', 'Camera and microphone access was denied.', cause),
    );
  }
  if (name === 'NotReadableError' || name === 'AbortError') {
    return new CaptureError('busy', new CallError('media-busy', 'The camera or microphone is in use or could not be started.', cause));
  }
  return new CaptureError('not-found', new CallError('media-unavailable', 'No camera or microphone could be found.', cause));
}

/** The devices by kind; devices without an id (before permission, in some browsers) are left out. */
export async function listDevices(): Promise<DeviceLists> {
  const lists: DeviceLists = { audioinput: [], videoinput: [], audiooutput: [] };
  const devices = (await globalThis.navigator?.mediaDevices?.enumerateDevices?.()) ?? [];
  for (const device of devices) {
    if (device.deviceId && device.kind in lists) lists[device.kind].push(device);
  }
  return lists;
}

/** Whether this browser can choose the speaker of a media element (`setSinkId`). */
export function canChooseSpeaker(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/** The device a live track of this kind in `stream` comes from. */
export function deviceOf(stream: MediaStream | null, kind: MediaKind): string {
  const track = kind === 'audio' ? stream?.getAudioTracks()[0] : stream?.getVideoTracks()[0];
  return track?.getSettings().deviceId ?? '';
}

/** The browser family, for instructions on where its site permissions live. */
export function browserFamily(): 'chrome' | 'firefox' | 'safari' | 'other' {
  const ua = globalThis.navigator?.userAgent ?? '';
  if (/Firefox\//.test(ua)) return 'firefox';
  if (/Edg\/|OPR\/|Chrom(e|ium)\//.test(ua)) return 'chrome';
  if (/Safari\//.test(ua)) return 'safari';
  return 'other';
}
