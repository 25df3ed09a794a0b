/** Fired by `<video-call>` when someone else enters the room (their video may arrive a moment later). */
export interface CallParticipantJoinedDetail {
  peerId: string;
  /** Display name as the server cleaned it; render it as text. */
  name: string;
}

export class CallParticipantJoinedEvent extends CustomEvent<CallParticipantJoinedDetail> {
  constructor(detail: CallParticipantJoinedDetail) {
    super('call-participant-joined', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-participant-joined': CallParticipantJoinedEvent;
  }
}
