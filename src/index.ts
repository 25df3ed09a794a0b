/**
 * peercall: `<video-call>`, `<call-button>` and `<call-panel>`. Importing this module registers all three.
 */
export { VideoCall } from './components/video-call/video-call.js';
export { CallButton } from './components/call-button/call-button.js';
export { CallPanel } from './components/call-panel/call-panel.js';
export * from './events/index.js';
export { callContext, type CallHandle } from './context/call-context.js';
export type { Strings, StringOverrides } from './i18n/strings.js';
export type { Theme } from './styles/theme.js';
export { Call, type CallEventMap, type JoinOptions, type LeaveReason } from './core/call.js';
export type { CallState } from './core/call-state.js';
export { CallError, type CallErrorType } from './core/errors.js';
export type { Participant } from './core/participant.js';
export { PresenceWatcher } from './core/presence.js';
