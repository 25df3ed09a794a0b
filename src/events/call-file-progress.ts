import type { FileTransfer } from '../core/file-transfer.js';

/** A file transfer to or from one peer started, moved on (every 2 %) or ended (`status`). */
export type CallFileProgressDetail = FileTransfer;

export class CallFileProgressEvent extends CustomEvent<CallFileProgressDetail> {
  constructor(detail: CallFileProgressDetail) {
    super('call-file-progress', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-file-progress': CallFileProgressEvent;
  }
}
