import { HISTORY_LIMIT } from './data-frames.js';

/** One chat message of the session. Render `name` and `text` as text, never as HTML. */
export interface ChatMessage {
  /** Random id chosen by the sender; the same message relayed by several members is shown once. */
  readonly id: string;
  /** Peer id of the sender. */
  readonly from: string;
  readonly name: string;
  readonly text: string;
  /** When it was sent (ms since the epoch): our clock for live messages, the relaying member's account for history. */
  readonly time: number;
  readonly local: boolean;
  /** Sent before we joined, and handed to us by a member who was there. */
  readonly history: boolean;
}

/**
 * The session's chat, oldest first, at most HISTORY_LIMIT messages. There is no server store:
 * each member keeps what it saw, and every data link that opens starts with both sides sending
 * what they hold (see DataHub), so a latecomer gets the conversation from whoever was there;
 * the same message from several members is kept once (by id).
 */
export class ChatLog {
  private readonly messages: ChatMessage[] = [];
  private readonly ids = new Set<string>();

  get all(): readonly ChatMessage[] {
    return this.messages;
  }

  /** Adds a message in time order; false when it is a duplicate or older than everything kept. */
  add(message: ChatMessage): boolean {
    if (this.ids.has(message.id)) return false;
    let at = this.messages.length;
    while (at > 0 && this.messages[at - 1].time > message.time) at--;
    if (at === 0 && this.messages.length >= HISTORY_LIMIT) return false;
    this.messages.splice(at, 0, message);
    this.ids.add(message.id);
    if (this.messages.length > HISTORY_LIMIT) this.ids.delete(this.messages.shift()!.id);
    return true;
  }
}
