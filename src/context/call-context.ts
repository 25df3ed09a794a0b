import { createContext } from '@lit/context';
import type { CallState } from '../core/call-state.js';
import type { MediaKind } from '../core/media.js';
import type { ParticipantRole } from '../core/protocol.js';
import type { CallButtonAction } from '../events/call-request.js';
import type { Theme } from '../styles/theme.js';

/**
 * What a `<video-call>` shares with the `<call-button>`s linked to it: a read-only view of the
 * call (state comes down) and one way to ask it to act (requests go up). A new object is
 * provided on every change, so subscribers can compare by identity.
 */
export interface CallHandle {
  readonly state: CallState;
  /** Microphone on. */
  readonly audio: boolean;
  /** Camera on. */
  readonly video: boolean;
  /** Our role in the room: `host` only in token rooms, with a host's join token. */
  readonly role: ParticipantRole;
  /** The room is locked (known to hosts only). */
  readonly locked: boolean;
  /** Hand raised; `undefined` when the call has raising hands turned off (`no-raise-hand`), as for the two below. */
  readonly hand?: boolean;
  /** The participant list is showing. */
  readonly participants?: boolean;
  /** Recording the call (also `undefined` in browsers that cannot record). */
  readonly recording?: boolean;
  /** Devices this machine could not provide in the current call. */
  readonly missing: readonly MediaKind[];
  /** Sharing a screen; `null` where screen sharing is unavailable (`no-screen-share`, unsupported, no camera). */
  readonly screenShare: boolean | null;
  /** The chat, files and reactions panel, while the call has one (its `toggle-chat` button applies). */
  readonly chat: { readonly open: boolean; readonly unread: number } | null;
  /** The call's forced theme, which its buttons follow unless they force their own. */
  readonly theme: Theme;
  /** Carries out a button's request. */
  request(action: CallButtonAction): void;
}

export const callContext = createContext<CallHandle | undefined>(Symbol('peercall-call'));
