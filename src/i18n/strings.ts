import type { CallErrorType } from '../core/errors.js';

/** Every text the elements show. Issue-3 languages add tables of this shape. */
export interface Strings {
  join: string;
  joining: string;
  leave: string;
  leaving: string;
  tryAgain: string;
  microphone: string;
  camera: string;
  yourName: string;
  namePlaceholder: string;
  you: string;
  room: (room: string) => string;
  noRoom: string;
  connecting: string;
  aloneInRoom: string;
  left: string;
  missingCamera: string;
  missingMicrophone: string;
  errors: Record<CallErrorType, string>;
}

export const en: Strings = {
  join: 'Join call',
  joining: 'Joining…',
  leave: 'Leave',
  leaving: 'Leaving…',
  tryAgain: 'Try again',
  microphone: 'Microphone',
  camera: 'Camera',
  yourName: 'Your name',
  namePlaceholder: 'Guest',
  you: 'You',
  room: (room) => `Room: ${room}`,
  noRoom: 'No room is set: give this element a room attribute, e.g. room="support".',
  connecting: 'Connecting…',
  aloneInRoom: 'You are the only one here. Share this page’s link to invite someone.',
  left: 'You left the call.',
  missingCamera: 'No camera found: you joined with sound only.',
  missingMicrophone: 'No microphone found: you joined with video only.',
  errors: {
    'insecure-context':
      'Video calls need a secure page. Open this page over https:// (or on http://localhost while developing).',
    'media-unsupported': 'This browser cannot use a camera or microphone. Try a current Chrome, Edge, Firefox or Safari.',
    'media-denied':
      'Camera and microphone access is blocked. Allow it from the camera icon in the address bar (or your system’s privacy settings), then try again.',
    'media-unavailable': 'No camera or microphone was found. Connect one, then try again.',
    'media-busy': 'Your camera or microphone is in use by another app. Close that app, then try again.',
    'room-invalid': 'This room name is not valid: use 1–64 letters, digits, _ or -.',
    'room-full': 'This room is full. Try again later or pick another room.',
    'server-unreachable': 'The call server cannot be reached. Check your connection, then try again.',
    'server-error': 'The call server reported a problem. Try again in a moment.',
    'signaling-lost': 'The connection to the call server was lost. Rejoin to continue.',
    'webrtc-unsupported': 'This browser does not support video calls. Try a current Chrome, Edge, Firefox or Safari.',
    'peer-connection-failed': 'A connection to another participant failed.',
  },
};
