import type { FileTransfer } from '../core/file-transfer.js';

/** A file from another member arrived whole; `url` (a `blob:` URL, revoked when the call ends) downloads it. */
export type CallFileReceivedDetail = FileTransfer & { url: string };

export class CallFileReceivedEvent extends CustomEvent<CallFileReceivedDetail> {
  constructor(detail: CallFileReceivedDetail) {
    super('call-file-received', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-file-received': CallFileReceivedEvent;
  }
}
