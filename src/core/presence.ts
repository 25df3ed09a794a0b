import { API_PATH, type PresenceUpdate } from './protocol.js';
import { isValidRoomName, resolveServer } from './room-client.js';

type CountListener = (count: number | null) => void;

/** One open presence stream and everyone on the page following it. */
interface SharedStream {
  source: EventSource;
  listeners: Set<CountListener>;
  count: number | null;
}

// Watchers of the same room share one stream: each holds a connection open, and browsers allow
// only six HTTP/1.1 connections per server, which the call itself needs too.
const streams = new Map<string, SharedStream>();

/**
 * Follows how many people are in a room, without joining it: the server's presence stream
 * (`GET api/rooms/:room/presence`, server-sent events) reports the count at once and on every
 * change. EventSource reconnects by itself after a dropped connection; while it is away the
 * count is unknown (`null`), because it may have changed in the meantime.
 */
export class PresenceWatcher {
  private readonly release: () => void = () => {};

  /**
   * @param server Base URL of the peercall server (absolute, or relative to the page).
   * @param onCount Called with each new count, or `null` when the count is unknown.
   */
  constructor(server: string | URL, room: string, onCount: CountListener) {
    if (!isValidRoomName(room) || typeof EventSource === 'undefined') return;
    let url: URL;
    try {
      url = new URL(`${API_PATH}rooms/${encodeURIComponent(room)}/presence`, resolveServer(server).base);
    } catch {
      return;
    }
    // A listener of its own, so that two watchers given the same callback stay two.
    this.release = follow(url.href, (count) => onCount(count));
  }

  /** Stops following the room. */
  close(): void {
    this.release();
  }
}

function follow(url: string, listener: CountListener): () => void {
  const stream = streams.get(url) ?? open(url);
  stream.listeners.add(listener);
  // A newcomer to a stream that is already open hears the current count, as the first one did.
  const { count } = stream;
  if (count !== null) queueMicrotask(() => stream.listeners.has(listener) && listener(count));
  return () => {
    stream.listeners.delete(listener);
    if (stream.listeners.size > 0 || streams.get(url) !== stream) return;
    stream.source.close();
    streams.delete(url);
  };
}

function open(url: string): SharedStream {
  const stream: SharedStream = { source: new EventSource(url), listeners: new Set(), count: null };
  const publish = (count: number | null) => {
    stream.count = count;
    for (const listener of stream.listeners) listener(count);
  };
  stream.source.addEventListener('message', (event) => {
    const count = parseCount(event.data);
    if (count !== null) publish(count);
  });
  stream.source.addEventListener('error', () => publish(null));
  streams.set(url, stream);
  return stream;
}

function parseCount(data: unknown): number | null {
  try {
    const { count } = JSON.parse(String(data)) as Partial<PresenceUpdate>;
    return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : null;
  } catch {
    return null;
  }
}
