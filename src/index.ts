/**
 * peercall: `<video-call>` and `<call-button>`. Importing this module registers both elements.
 */
export { VideoCall } from './components/video-call/video-call.js';
export { CallButton } from './components/call-button/call-button.js';
export * from './events/index.js';
export { Call, type CallEventMap, type JoinOptions, type LeaveReason } from './core/call.js';
export type { CallState } from './core/call-state.js';
export { CallError, type CallErrorType } from './core/errors.js';
export type { Participant } from './core/participant.js';
