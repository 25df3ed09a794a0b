import { CallError, mediaError } from './errors.js';

/**
 * Capture settings sized for a mesh call: every sender uploads one stream per peer. The full 30
 * frames a second, which the mesh governor lowers for bigger rooms: the first frame of a call
 * waits for the camera's next one.
 */
export const VIDEO_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 30 },
};
export const AUDIO_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

export type MediaKind = 'audio' | 'video';

/** The local stream and which kinds could not be captured (e.g. no camera on this machine). */
export interface LocalMedia {
  stream: MediaStream;
  missing: MediaKind[];
}

/**
 * Asks for camera and microphone. When one of them does not exist it falls back to the other,
 * so a laptop without a camera still joins with sound. Fails with a CallError whose type tells
 * the user what to do (denied, busy, nothing found, insecure page).
 */
export async function getLocalMedia(): Promise<LocalMedia> {
  const mediaDevices = globalThis.navigator?.mediaDevices;
  if (!globalThis.isSecureContext) {
    throw new CallError('insecure-context', 'Camera and microphone need a secure page (https:// or http://localhost).');
  }
  if (!mediaDevices?.getUserMedia) {
    throw new CallError('media-unsupported', 'This browser cannot capture camera or microphone.');
  }
  try {
    const stream = await mediaDevices.getUserMedia({ audio: AUDIO_CONSTRAINTS, video: VIDEO_CONSTRAINTS });
    return { stream, missing: [] };
  } catch (error) {
    if (!isMissingDevice(error)) throw mediaError(error);
  }
  for (const kind of ['audio', 'video'] as const) {
    try {
      const stream = await mediaDevices.getUserMedia(
        kind === 'audio' ? { audio: AUDIO_CONSTRAINTS } : { video: VIDEO_CONSTRAINTS },
      );
      return { stream, missing: [kind === 'audio' ? 'video' : 'audio'] };
    } catch (error) {
      if (!isMissingDevice(error)) throw mediaError(error);
    }
  }
  throw new CallError('media-unavailable', 'No camera or microphone could be found.');
}

function isMissingDevice(error: unknown): boolean {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  return name === 'NotFoundError' || name === 'OverconstrainedError';
}

/** Mutes or unmutes every track of one kind without renegotiating (the peer keeps the sender). */
export function setTracksEnabled(stream: MediaStream, kind: MediaKind, enabled: boolean): void {
  for (const track of kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks()) {
    track.enabled = enabled;
  }
}

/** Whether the stream has a live, enabled track of this kind. */
export function isKindEnabled(stream: MediaStream | null, kind: MediaKind): boolean {
  const tracks = kind === 'audio' ? stream?.getAudioTracks() : stream?.getVideoTracks();
  return !!tracks?.some((track) => track.enabled && track.readyState === 'live');
}

/** Stops capture so the camera light goes off. */
export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
