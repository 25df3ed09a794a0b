import type { CallState } from '../core/call-state.js';

/** Fired by `<video-call>` on every change of its `state`. */
export interface CallStateChangeDetail {
  state: CallState;
  previous: CallState;
}

export class CallStateChangeEvent extends CustomEvent<CallStateChangeDetail> {
  constructor(detail: CallStateChangeDetail) {
    super('call-state-change', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-state-change': CallStateChangeEvent;
  }
}
