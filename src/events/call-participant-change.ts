import type { ParticipantStatus } from '../core/protocol.js';

/** Fired by `<video-call>` when someone else's microphone, camera, raised hand or recording changed. */
export interface CallParticipantChangeDetail {
  peerId: string;
  name: string;
  /** As they report it themselves. */
  status: ParticipantStatus;
  /** What they reported before, if anything. */
  previous?: ParticipantStatus;
}

export class CallParticipantChangeEvent extends CustomEvent<CallParticipantChangeDetail> {
  constructor(detail: CallParticipantChangeDetail) {
    super('call-participant-change', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-participant-change': CallParticipantChangeEvent;
  }
}
