/** Fired by `<video-call>` when your local recording starts or stops. */
export interface CallRecordingChangeDetail {
  recording: boolean;
  /** When it stopped: the recording (`video/webm`), also offered as a download link; absent if nothing was recorded yet. */
  file?: Blob;
}

export class CallRecordingChangeEvent extends CustomEvent<CallRecordingChangeDetail> {
  constructor(detail: CallRecordingChangeDetail) {
    super('call-recording-change', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-recording-change': CallRecordingChangeEvent;
  }
}
