import type { Reaction } from '../core/data-frames.js';

/** Someone in the call (or we, `local`) sent a reaction. */
export interface CallReactionDetail {
  from: string;
  name: string;
  emoji: Reaction;
  local: boolean;
}

export class CallReactionEvent extends CustomEvent<CallReactionDetail> {
  constructor(detail: CallReactionDetail) {
    super('call-reaction', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-reaction': CallReactionEvent;
  }
}
