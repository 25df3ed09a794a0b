import type { CaptureFailure } from '../core/devices.js';
import type { PreviewStatus } from '../controllers/lobby-controller.js';

/**
 * `status`: `starting` (the browser is asked for camera and microphone), `live`, `failed`, or
 * `off`; `failure` says why it failed: `denied`, `denied-by-system`, `not-found`, `busy`,
 * `insecure` or `unsupported` (else `null`).
 */
export interface CallPreviewChangeDetail {
  status: PreviewStatus;
  failure: CaptureFailure | null;
}

/** Fired by `<video-call>` when the pre-join camera preview starts, shows, fails or stops. */
export class CallPreviewChangeEvent extends CustomEvent<CallPreviewChangeDetail> {
  constructor(detail: CallPreviewChangeDetail) {
    super('call-preview-change', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-preview-change': CallPreviewChangeEvent;
  }
}
