/** Fired by `<video-call>` when the highlight moves to another speaker. */
export interface CallActiveSpeakerChangeDetail {
  /** Who is speaking now (your own id when it is you), or `null` once the speaker left. */
  peerId: string | null;
  previous: string | null;
}

export class CallActiveSpeakerChangeEvent extends CustomEvent<CallActiveSpeakerChangeDetail> {
  constructor(detail: CallActiveSpeakerChangeDetail) {
    super('call-active-speaker-change', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-active-speaker-change': CallActiveSpeakerChangeEvent;
  }
}
