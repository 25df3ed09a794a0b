/** A chat message in the call: sent by us (`local`), by another member, or handed over from before we joined (`history`). */
export interface CallChatMessageDetail {
  id: string;
  /** Peer id of the sender. */
  from: string;
  /** Sender's display name; render it as text. */
  name: string;
  /** Render as text, never as HTML. */
  text: string;
  /** Sent at (ms since the epoch). */
  time: number;
  local: boolean;
  history: boolean;
}

export class CallChatMessageEvent extends CustomEvent<CallChatMessageDetail> {
  constructor(detail: CallChatMessageDetail) {
    super('call-chat-message', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-chat-message': CallChatMessageEvent;
  }
}
