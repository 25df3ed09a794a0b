/** `sharing`: whether your screen is now sent in place of your camera. */
export interface CallScreenShareChangeDetail {
  sharing: boolean;
}

/**
 * Fired by `<video-call>` when you start or stop sharing your screen, including when the
 * browser's own "Stop sharing" bar ended it.
 */
export class CallScreenShareChangeEvent extends CustomEvent<CallScreenShareChangeDetail> {
  constructor(detail: CallScreenShareChangeDetail) {
    super('call-screen-share-change', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-screen-share-change': CallScreenShareChangeEvent;
  }
}
