/**
 * The frames members of a room exchange over their data links (chat, history, reactions, file
 * headers), and the checks every received frame passes before anything uses it: a peer is a
 * stranger's browser, so shape, length and values are checked here and nothing else is trusted.
 * Text frames are JSON; binary frames are the chunks of the file announced last on that link.
 */

/** Longest chat message, in UTF-16 code units (what `String.length` counts). */
export const MAX_CHAT_LENGTH = 2000;
/** Chat messages a member keeps, and hands to each newcomer. */
export const HISTORY_LIMIT = 100;
export const MAX_FILE_NAME_LENGTH = 255;
/** Default limit on the size of a file sent or accepted (`max-file-size`). */
export const DEFAULT_MAX_FILE_SIZE = 100 * 1024 * 1024;
/** File chunk size: the largest message every browser's data channel takes without fragmenting it itself. */
export const CHUNK_BYTES = 16 * 1024;
/** The reactions there are; anything else a peer sends is dropped. */
export const REACTIONS = ['👍', '❤️', '😂', '😮', '👏', '🎉'] as const;
export type Reaction = (typeof REACTIONS)[number];

/** A JSON frame longer than this is not one of ours (a 2,000-character message escapes to at most ~12,100). */
const MAX_TEXT_FRAME = 16_384;
const ID_PATTERN = /^[\w-]{1,64}$/;
const MIME_PATTERN = /^[\w.+-]{1,64}\/[\w.+-]{1,64}$/;
/** Display names are cut to this length by the server (protocol.ts MAX_DISPLAY_NAME_LENGTH). */
const MAX_NAME_LENGTH = 64;

export type Frame =
  | { t: 'chat'; id: string; text: string }
  /** A message from before we joined, relayed by a member who holds it. */
  | { t: 'history'; id: string; from: string; name: string; text: string; time: number }
  | { t: 'react'; emoji: Reaction }
  /** Announces a file; its chunks follow as binary frames, then `file-end`. */
  | { t: 'file'; id: string; name: string; size: number; type: string }
  | { t: 'file-end'; id: string }
  /** Either side stops the transfer of this file on this link. */
  | { t: 'file-cancel'; id: string };

/** The frame in `raw`, or null when it is not a well-formed frame of ours. */
export function parseFrame(raw: string): Frame | null {
  if (raw.length > MAX_TEXT_FRAME) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const frame = value as Record<string, unknown>;
  const id = isId(frame.id) ? frame.id : null;
  switch (frame.t) {
    case 'chat':
      return id && isChatText(frame.text) ? { t: 'chat', id, text: frame.text } : null;
    case 'history':
      return id &&
        isId(frame.from) &&
        isName(frame.name) &&
        isChatText(frame.text) &&
        Number.isFinite(frame.time) &&
        (frame.time as number) > 0
        ? { t: 'history', id, from: frame.from, name: frame.name, text: frame.text, time: frame.time as number }
        : null;
    case 'react':
      return REACTIONS.includes(frame.emoji as Reaction) ? { t: 'react', emoji: frame.emoji as Reaction } : null;
    case 'file':
      return id &&
        typeof frame.name === 'string' &&
        frame.name.length > 0 &&
        frame.name.length <= MAX_FILE_NAME_LENGTH &&
        Number.isSafeInteger(frame.size) &&
        (frame.size as number) >= 0 &&
        (frame.type === '' || (typeof frame.type === 'string' && MIME_PATTERN.test(frame.type)))
        ? { t: 'file', id, name: frame.name, size: frame.size as number, type: frame.type as string }
        : null;
    case 'file-end':
    case 'file-cancel':
      return id ? { t: frame.t, id } : null;
    default:
      return null;
  }
}

/** Chat text as a sender may send it: trimmed, not empty, at most MAX_CHAT_LENGTH. */
export function isChatText(text: unknown): text is string {
  return typeof text === 'string' && text.length <= MAX_CHAT_LENGTH && text.trim() === text && text !== '';
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_NAME_LENGTH;
}

/**
 * A token bucket: `burst` events at once, then one every `intervalMs`. Used both for what we
 * send and for what we accept from each peer, with the same numbers, so an honest peer is never
 * dropped and a flooding one is.
 */
export class RateLimit {
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly burst: number,
    private readonly intervalMs: number,
  ) {
    this.tokens = burst;
  }

  /** Takes a token; false when there is none left. */
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) / this.intervalMs);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
