/**
 * Every failure the call can report. Media errors come from getUserMedia's DOMException names,
 * room errors from our server's answers, signaling and WebRTC errors from PeerJS.
 */
export type CallErrorType =
  | 'insecure-context'
  | 'media-unsupported'
  | 'media-denied'
  | 'media-unavailable'
  | 'media-busy'
  /** The page's permissions policy forbids camera or microphone here, e.g. an `<iframe>` without `allow="camera; microphone"`. */
  | 'permissions-policy'
  | 'room-invalid'
  | 'room-full'
  /** A token room and no valid join token: missing, malformed, forged or expired. */
  | 'unauthorized'
  /** The join token is for another room, or this site is not allowed to use the server. */
  | 'forbidden'
  /** A host locked the room. */
  | 'room-locked'
  /** A host declined the knock at the waiting room. */
  | 'declined'
  /** A host removed us from the call; the same join token will not work again. */
  | 'removed'
  /** Too many joins from this address, or the server is at capacity: try again in a while. */
  | 'rate-limited'
  | 'server-unreachable'
  | 'server-error'
  | 'signaling-lost'
  | 'webrtc-unsupported'
  | 'peer-connection-failed';

/** A failure with a machine-readable `type` and a developer-facing `message`. */
export class CallError extends Error {
  readonly type: CallErrorType;

  constructor(type: CallErrorType, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CallError';
    this.type = type;
  }
}

/** Turns whatever getUserMedia threw into a CallError. */
export function mediaError(error: unknown): CallError {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new CallError('media-denied', 'Camera and microphone access was denied.', { cause: error });
    case 'NotReadableError':
    case 'AbortError':
      return new CallError('media-busy', 'The camera or microphone is in use or could not be started.', { cause: error });
    default:
      return new CallError('media-unavailable', 'No camera or microphone could be found.', { cause: error });
  }
}

/** PeerJS reports errors as `{ type: PeerErrorType }`; these are the ones that end a session. */
export function signalingError(peerErrorType: string, message: string, cause?: unknown): CallError {
  switch (peerErrorType) {
    case 'browser-incompatible':
      return new CallError('webrtc-unsupported', 'This browser does not support WebRTC video calls.', { cause });
    case 'webrtc':
      return new CallError('peer-connection-failed', message, { cause });
    case 'network':
    case 'socket-error':
    case 'socket-closed':
    case 'disconnected':
      return new CallError('signaling-lost', 'The connection to the call server was lost.', { cause });
    default:
      return new CallError('server-error', message, { cause });
  }
}

/** Wraps anything thrown into a CallError, keeping CallErrors as they are. */
export function toCallError(error: unknown, fallback: CallErrorType = 'server-error'): CallError {
  if (error instanceof CallError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CallError(fallback, message, { cause: error });
}
