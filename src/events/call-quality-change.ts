import type { CallQuality, QualitySummary } from '../core/call-quality.js';

/** Fired by `<video-call>` when the connection to a participant turns `good`, `fair` or `poor`. */
export interface CallQualityChangeDetail {
  peerId: string;
  quality: CallQuality;
  /** `null` for the first reading of this participant. */
  previous: CallQuality | null;
  /** The figures behind it: `rtt` and `jitter` in ms, `loss` and `frozen` as shares, `fps`. */
  stats: QualitySummary;
}

export class CallQualityChangeEvent extends CustomEvent<CallQualityChangeDetail> {
  constructor(detail: CallQualityChangeDetail) {
    super('call-quality-change', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-quality-change': CallQualityChangeEvent;
  }
}
