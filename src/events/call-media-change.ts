/** Fired by `<video-call>` when the local microphone or camera is turned on or off. */
export interface CallMediaChangeDetail {
  /** Microphone on. */
  audio: boolean;
  /** Camera on. */
  video: boolean;
}

export class CallMediaChangeEvent extends CustomEvent<CallMediaChangeDetail> {
  constructor(detail: CallMediaChangeDetail) {
    super('call-media-change', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-media-change': CallMediaChangeEvent;
  }
}
