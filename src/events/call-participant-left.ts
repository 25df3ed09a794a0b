/** Fired by `<video-call>` when someone else leaves the room, hangs up or loses their connection. */
export interface CallParticipantLeftDetail {
  peerId: string;
  name: string;
}

export class CallParticipantLeftEvent extends CustomEvent<CallParticipantLeftDetail> {
  constructor(detail: CallParticipantLeftDetail) {
    super('call-participant-left', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-participant-left': CallParticipantLeftEvent;
  }
}
