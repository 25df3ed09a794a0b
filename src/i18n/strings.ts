import type { CallQuality } from '../core/call-quality.js';
import type { CallErrorType } from '../core/errors.js';
import type { ChatStrings } from './chat-strings.js';

/** Every text the elements show or announce, including accessible names and error messages. */
export interface Strings {
  join: string;
  joining: string;
  inCall: string;
  leave: string;
  leaving: string;
  tryAgain: string;
  microphone: string;
  camera: string;
  turnOnMicrophone: string;
  turnOffMicrophone: string;
  turnOnCamera: string;
  turnOffCamera: string;
  callControls: string;
  yourName: string;
  namePlaceholder: string;
  you: string;
  room: (room: string) => string;
  noRoom: string;
  connecting: string;
  /** The call is on, but its connection to the server is being resumed. */
  reconnecting: string;
  /** A participant's media path is being restored. */
  tileReconnecting: string;
  aloneInRoom: string;
  youJoined: string;
  left: string;
  participantJoined: (name: string) => string;
  participantLeft: (name: string) => string;
  missingCamera: string;
  missingMicrophone: string;
  startCall: string;
  presence: (count: number) => string;
  panelTitle: string;
  minimize: string;
  restore: string;
  closePanel: string;
  /** Label of a join button while the call knocks at a waiting room. */
  waiting: string;
  waitingForHost: string;
  cancel: string;
  /** Accessible name of the host's lock toggle (pressed while locked). */
  lockRoom: string;
  lockHint: string;
  unlockHint: string;
  roomLocked: string;
  roomUnlocked: string;
  /** Heading of the host's list of guests knocking at the waiting room. */
  knockList: string;
  knocking: (name: string) => string;
  admit: string;
  admitName: (name: string) => string;
  decline: string;
  declineName: (name: string) => string;
  /** Accessible name of the host's buttons on a participant's tile. */
  participantActions: (name: string) => string;
  askToMute: (name: string) => string;
  askedToMute: (name: string) => string;
  remove: string;
  removeName: (name: string) => string;
  confirmRemove: (name: string) => string;
  mutedByHost: string;
  hostActionFailed: string;
  /** Pre-join view: the speaker picker. */
  speaker: string;
  /** Pre-join view: accessible name of the microphone level meter. */
  microphoneLevel: string;
  /** Pre-join view: shown instead of the preview while the camera is off. */
  cameraIsOff: string;
  /** Pre-join view: while the browser asks for the camera. */
  previewStarting: string;
  /** Pre-join view: button that starts the preview (with `no-preview`, or after leaving). */
  checkDevices: string;
  /** The permission prompt has gone unanswered for a while. */
  previewPromptHelp: string;
  /** The visitor or the browser's site settings blocked camera and microphone; per browser. */
  previewDenied: (browser: 'chrome' | 'firefox' | 'safari' | 'other') => string;
  /** The operating system keeps the browser from camera and microphone. */
  previewDeniedBySystem: string;
  previewNotFound: string;
  previewBusy: string;
  previewNoCamera: string;
  previewNoMicrophone: string;
  /** Toggle between the grid and the spotlight layout (pressed in spotlight). */
  spotlight: string;
  pin: (name: string) => string;
  unpin: (name: string) => string;
  /** Toggle of full screen for the whole call (pressed while full screen). */
  fullScreen: string;
  /** Toggle of picture-in-picture for the speaker's video (pressed while shown). */
  pictureInPicture: string;
  /** Accessible name of a tile's connection indicator. */
  connectionQuality: (quality: CallQuality) => string;
  /** The browser refused to play the others' sound until the visitor interacts with the page. */
  soundBlocked: string;
  enableSound: string;
  /** In-call: the screen share toggle, and its hint while sharing. */
  shareScreen: string;
  stopSharing: string;
  /** In-call: the button that opens the device and self-view menu. */
  settings: string;
  /** In-call: front/back camera switch (phones, tablets). */
  switchCamera: string;
  mirrorSelfView: string;
  hideSelfView: string;
  /** A device (the text for "camera" or "microphone") went away and the call took another. */
  deviceFallback: (device: string) => string;
  raiseHand: string;
  lowerHand: string;
  participants: string;
  host: string;
  record: string;
  stopRecording: string;
  recordingStopped: string;
  recordingFailed: string;
  downloadRecording: string;
  dismiss: string;
  /** A tile's and the participant list's status icons. */
  statusMuted: string;
  statusCameraOff: string;
  statusHand: string;
  statusRecording: string;
  handRaisedBy: (name: string) => string;
  recordingBy: (name: string) => string;
  /** The `toggle-chat` button (the panel's own text is in chat-strings.ts, loaded with it). */
  chat: (unread: number) => string;
  errors: Record<CallErrorType, string>;
}

/** What a page may pass as `strings`: any text, and any error message, replaced one by one. */
export type StringOverrides = Partial<Omit<Strings, 'errors'>> & {
  errors?: Partial<Strings['errors']>;
  /** The chat, files and reactions panel (see chat-strings.ts). */
  chatPanel?: Partial<ChatStrings>;
};

export const en: Strings = {
  join: 'Join call',
  joining: 'Joining…',
  inCall: 'In call',
  leave: 'Leave',
  leaving: 'Leaving…',
  tryAgain: 'Try again',
  microphone: 'Microphone',
  camera: 'Camera',
  turnOnMicrophone: 'Turn on microphone',
  turnOffMicrophone: 'Turn off microphone',
  turnOnCamera: 'Turn on camera',
  turnOffCamera: 'Turn off camera',
  callControls: 'Call controls',
  yourName: 'Your name',
  namePlaceholder: 'Guest',
  you: 'You',
  room: (room) => `Room: ${room}`,
  noRoom: 'No room is set: give this element a room attribute, e.g. room="support".',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting to the call server… The call goes on meanwhile.',
  tileReconnecting: 'Reconnecting…',
  aloneInRoom: 'You are the only one here. Share this page’s link to invite someone.',
  youJoined: 'You joined the call.',
  left: 'You left the call.',
  participantJoined: (name) => `${name} joined the call.`,
  participantLeft: (name) => `${name} left the call.`,
  missingCamera: 'No camera found: you joined with sound only.',
  missingMicrophone: 'No microphone found: you joined with video only.',
  startCall: 'Video call',
  presence: (count) => (count === 0 ? 'Nobody online' : `${count} online`),
  panelTitle: 'Video call',
  minimize: 'Minimize',
  restore: 'Restore',
  closePanel: 'End call and close',
  waiting: 'Waiting…',
  waitingForHost: 'Waiting for the host to let you in…',
  cancel: 'Cancel',
  lockRoom: 'Lock room',
  lockHint: 'Lock the room: nobody else can join',
  unlockHint: 'Unlock the room',
  roomLocked: 'The room is locked: nobody else can join.',
  roomUnlocked: 'The room is unlocked.',
  knockList: 'Waiting to join',
  knocking: (name) => `${name} is asking to join.`,
  admit: 'Admit',
  admitName: (name) => `Admit ${name}`,
  decline: 'Decline',
  declineName: (name) => `Decline ${name}`,
  participantActions: (name) => `Host controls for ${name}`,
  askToMute: (name) => `Ask ${name} to mute`,
  askedToMute: (name) => `Asked ${name} to mute.`,
  remove: 'Remove',
  removeName: (name) => `Remove ${name}`,
  confirmRemove: (name) => `Remove ${name} from the call? They cannot come back with the same invitation.`,
  mutedByHost: 'A host muted your microphone.',
  hostActionFailed: 'That did not work: the person may have left already. Try again.',
  speaker: 'Speaker',
  microphoneLevel: 'Microphone level',
  cameraIsOff: 'Your camera is off',
  previewStarting: 'Starting camera and microphone…',
  checkDevices: 'Check camera and microphone',
  previewPromptHelp:
    'Your browser is asking whether this page may use your camera and microphone. Look for the prompt near the address bar and choose Allow.',
  previewDenied: (browser) =>
    ({
      chrome:
        'Camera and microphone are blocked for this site. Click the camera icon (or the site settings icon) at the left of the address bar, choose Allow, then press Try again.',
      firefox:
        'Camera and microphone are blocked for this site. Click the crossed-out camera icon in the address bar, clear the block, then press Try again.',
      safari:
        'Camera and microphone are blocked for this site. Open Safari › Settings for This Website, set Camera and Microphone to Allow, then press Try again.',
      other: 'Camera and microphone are blocked for this site. Allow them in your browser’s site settings, then press Try again.',
    })[browser],
  previewDeniedBySystem:
    'Your computer does not let the browser use the camera or microphone. Allow it in your system’s privacy settings (macOS: System Settings › Privacy & Security › Camera and Microphone; Windows: Settings › Privacy › Camera and Microphone), then press Try again.',
  previewNotFound:
    'No camera or microphone was found. You can join to watch and listen, or connect one and press Try again.',
  previewBusy:
    'Your camera or microphone is in use by another app or could not start. Close other apps that may use it (other calls, camera apps), then press Try again.',
  previewNoCamera: 'No camera found: you will join with sound only.',
  previewNoMicrophone: 'No microphone found: you will join with video only.',
  spotlight: 'Spotlight',
  pin: (name) => `Pin ${name}`,
  unpin: (name) => `Unpin ${name}`,
  fullScreen: 'Full screen',
  pictureInPicture: 'Picture in picture',
  connectionQuality: (quality) => `Connection: ${quality}`,
  soundBlocked: 'Your browser is holding back the call’s sound.',
  enableSound: 'Turn on sound',
  shareScreen: 'Share screen',
  stopSharing: 'Stop sharing',
  settings: 'Settings',
  switchCamera: 'Switch camera',
  mirrorSelfView: 'Mirror my video',
  hideSelfView: 'Hide my video',
  deviceFallback: (device) => `${device} disconnected: switched to another one.`,
  raiseHand: 'Raise hand',
  lowerHand: 'Lower hand',
  participants: 'Participants',
  host: 'Host',
  record: 'Record',
  stopRecording: 'Stop recording',
  recordingStopped: 'Recording stopped',
  recordingFailed: 'This browser cannot record the call.',
  downloadRecording: 'Download recording',
  dismiss: 'Dismiss',
  statusMuted: 'Microphone off',
  statusCameraOff: 'Camera off',
  statusHand: 'Hand raised',
  statusRecording: 'Recording',
  handRaisedBy: (name) => `${name} raised their hand`,
  recordingBy: (name) => `${name} is recording`,
  chat: (unread) => (unread ? `Chat, ${unread} unread` : 'Chat'),
  errors: {
    'insecure-context':
      'Video calls need a secure page. Open this page over https:// (or on http://localhost while developing).',
    'media-unsupported': 'This browser cannot use a camera or microphone. Try a current Chrome, Edge, Firefox or Safari.',
    'media-denied':
      'Camera and microphone access is blocked. Allow it from the camera icon in the address bar (or your system’s privacy settings), then try again.',
    'media-unavailable': 'No camera or microphone was found. Connect one, then try again.',
    'media-busy': 'Your camera or microphone is in use by another app. Close that app, then try again.',
    'permissions-policy':
      'This call is inside a frame that may not use the camera and microphone. The site needs to add allow="camera; microphone; display-capture" to its <iframe> tag.',
    'room-invalid': 'This room name is not valid: use 1–64 letters, digits, _ or -.',
    'room-full': 'This room is full. Try again later or pick another room.',
    'unauthorized': 'This room needs an invitation: the link you used is missing its pass, or the pass has expired. Ask the organiser for a new link.',
    'forbidden': 'This invitation is not valid here. Ask the organiser for the right link.',
    'room-locked': 'The host has locked this room. Ask them to unlock it, then try again.',
    'declined': 'The host did not let you in.',
    'removed': 'A host removed you from the call.',
    'rate-limited': 'The call server is busy. Wait a minute, then try again.',
    'server-unreachable': 'The call server cannot be reached. Check your connection, then try again.',
    'server-error': 'The call server reported a problem. Try again in a moment.',
    'signaling-lost': 'The connection to the call server was lost. Rejoin to continue.',
    'webrtc-unsupported': 'This browser does not support video calls. Try a current Chrome, Edge, Firefox or Safari.',
    'peer-connection-failed': 'A connection to another participant failed.',
  },
};
