import { API_PATH, type PresenceUpdate } from './protocol.js';
import { isValidRoomName, resolveServer } from './room-client.js';

/**
 * Follows how many people are in a room, without joining it: the server's presence stream
 * (`GET api/rooms/:room/presence`, server-sent events) reports the count at once and on every
 * change. EventSource reconnects by itself after a dropped connection; while it is away the
 * count is unknown (`null`), because it may have changed in the meantime.
 */
export class PresenceWatcher {
  private readonly source: EventSource | null = null;

  /**
   * @param server Base URL of the peercall server (absolute, or relative to the page).
   * @param onCount Called with each new count, or `null` when the count is unknown.
   */
  constructor(server: string | URL, room: string, onCount: (count: number | null) => void) {
    if (!isValidRoomName(room) || typeof EventSource === 'undefined') return;
    let url: URL;
    try {
      url = new URL(`${API_PATH}rooms/${encodeURIComponent(room)}/presence`, resolveServer(server).base);
    } catch {
      return;
    }
    const source = new EventSource(url);
    source.addEventListener('message', (event) => {
      const count = parseCount(event.data);
      if (count !== null) onCount(count);
    });
    source.addEventListener('error', () => onCount(null));
    this.source = source;
  }

  /** Stops following the room. */
  close(): void {
    this.source?.close();
  }
}

function parseCount(data: unknown): number | null {
  try {
    const { count } = JSON.parse(String(data)) as Partial<PresenceUpdate>;
    return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : null;
  } catch {
    return null;
  }
}
