/** Fired by `<video-call>` when you raise or lower your hand. */
export interface CallHandChangeDetail {
  raised: boolean;
}

export class CallHandChangeEvent extends CustomEvent<CallHandChangeDetail> {
  constructor(detail: CallHandChangeDetail) {
    super('call-hand-change', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-hand-change': CallHandChangeEvent;
  }
}
