/**
 * Fired by `<video-call>` for hosts of a token room with a waiting room, once for each guest who
 * starts knocking. The element lists them with Admit and Decline buttons; a page with its own UI
 * answers with `control('admit', id)` or `control('decline', id)`.
 */
export interface CallKnockDetail {
  /** Names the knock in `control('admit' | 'decline', id)`; not the guest's peer id. */
  id: string;
  /** The guest's display name as the server cleaned it; render it as text. */
  name: string;
}

export class CallKnockEvent extends CustomEvent<CallKnockDetail> {
  constructor(detail: CallKnockDetail) {
    super('call-knock', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-knock': CallKnockEvent;
  }
}
