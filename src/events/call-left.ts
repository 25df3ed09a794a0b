import type { LeaveReason } from '../core/call.js';

/** Fired by `<video-call>` after it has left the room and released camera and microphone. */
export interface CallLeftDetail {
  room: string;
  /** `user`: leave() or the Leave button; `disconnected`: the server connection was lost; `removed`: the element left the page; `removed-by-host`: a host removed you from the call. */
  reason: LeaveReason;
}

export class CallLeftEvent extends CustomEvent<CallLeftDetail> {
  constructor(detail: CallLeftDetail) {
    super('call-left', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-left': CallLeftEvent;
  }
}
