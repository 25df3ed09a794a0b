/**
 * peercall: `<video-call>`, `<call-button>` and `<call-panel>`. Importing this module registers the
 * first two at once; `<call-panel>` arrives on demand (a click-to-call button loads it, as does a
 * `<call-panel>` already in the page, or `loadCallPanel()`).
 */
import { loadCallPanel } from './internal/load-call-panel.js';

export { VideoCall } from './components/video-call/video-call.js';
export { CallButton } from './components/call-button/call-button.js';
export type { CallPanel } from './components/call-panel/call-panel.js';
export { loadCallPanel };
export * from './events/index.js';
export { callContext, type CallHandle } from './context/call-context.js';
export type { Strings, StringOverrides } from './i18n/strings.js';
export type { Theme } from './styles/theme.js';
export { Call, type CallEventMap, type JoinOptions, type LeaveReason, type RoomControlState } from './core/call.js';
export type { HostAction, ParticipantRole, WaitingGuest } from './core/protocol.js';
export type { CallState } from './core/call-state.js';
export { CallError, type CallErrorType } from './core/errors.js';
export type { Participant } from './core/participant.js';
export type { PresenceWatcher } from './core/presence.js';

// A page that places its own <call-panel> gets it defined without asking.
if (globalThis.document?.querySelector('call-panel')) void loadCallPanel();
