/** Fired by `<video-call>` when the user switches layout or pins or unpins a participant. */
export interface CallLayoutChangeDetail {
  layout: 'grid' | 'spotlight';
  /** The pinned participant, or `null` (the spotlight then follows the speaker). */
  pinned: string | null;
}

export class CallLayoutChangeEvent extends CustomEvent<CallLayoutChangeDetail> {
  constructor(detail: CallLayoutChangeDetail) {
    super('call-layout-change', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-layout-change': CallLayoutChangeEvent;
  }
}
