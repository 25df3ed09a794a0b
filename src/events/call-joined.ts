/** Fired by `<video-call>` once it is in the room with local media ready. */
export interface CallJoinedDetail {
  room: string;
  /** Our server-minted peer id in this room. */
  peerId: string;
}

export class CallJoinedEvent extends CustomEvent<CallJoinedDetail> {
  constructor(detail: CallJoinedDetail) {
    super('call-joined', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-joined': CallJoinedEvent;
  }
}
