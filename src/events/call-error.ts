import type { CallErrorType } from '../core/errors.js';

/** Fired by `<video-call>` when joining fails or the call is lost; the element also shows the problem. */
export interface CallErrorDetail {
  type: CallErrorType;
  /** What went wrong, in English, for logs; the element shows the user a localised text. */
  message: string;
  cause?: unknown;
}

export class CallErrorEvent extends CustomEvent<CallErrorDetail> {
  constructor(detail: CallErrorDetail) {
    super('call-error', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-error': CallErrorEvent;
  }
}
