import { CallError } from './errors.js';
import {
  API_PATH,
  PEER_PATH,
  ROOM_NAME_PATTERN,
  type ErrorResponse,
  type JoinRequest,
  type JoinResponse,
} from './protocol.js';

/** Where one peercall server lives, derived from its base URL. */
export interface ServerEndpoints {
  /** e.g. `https://calls.example.com/` (always ends with `/`) */
  base: URL;
  /** PeerJS connection settings for the same server. */
  peer: { host: string; port: number; path: string; secure: boolean };
}

/**
 * Resolves a server base URL (absolute, or relative to the page) into the room API and the
 * PeerServer mount. The server may live under a sub-path behind a proxy, so paths are joined
 * to the base rather than to the origin.
 */
export function resolveServer(server: string | URL, pageUrl: string = globalThis.location?.href): ServerEndpoints {
  const base = new URL(String(server), pageUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new CallError('server-unreachable', `The call server URL must be http(s), not ${base.protocol}`);
  }
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  base.search = '';
  base.hash = '';
  const secure = base.protocol === 'https:';
  return {
    base,
    peer: {
      host: base.hostname,
      port: base.port ? Number(base.port) : secure ? 443 : 80,
      path: new URL(PEER_PATH, base).pathname,
      secure,
    },
  };
}

/** Checks a room name the same way the server does, so the user hears about a typo at once. */
export function isValidRoomName(room: string): boolean {
  return ROOM_NAME_PATTERN.test(room);
}

/** Asks the server for a place in `room`: it mints our identity and tells us who is there. */
export async function requestJoin(
  endpoints: ServerEndpoints,
  room: string,
  request: JoinRequest,
  signal?: AbortSignal,
): Promise<JoinResponse> {
  if (!isValidRoomName(room)) {
    throw new CallError('room-invalid', `"${room}" is not a valid room name: use 1–64 letters, digits, _ or -.`);
  }
  const url = new URL(`${API_PATH}rooms/${encodeURIComponent(room)}/join`, endpoints.base);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new CallError('server-unreachable', `Cannot reach the call server at ${endpoints.base.origin}.`, {
      cause: error,
    });
  }
  if (response.ok) return (await response.json()) as JoinResponse;
  const message = await errorMessage(response);
  if (response.status === 400 || response.status === 404) throw new CallError('room-invalid', message);
  if (response.status === 409) throw new CallError('room-full', message);
  throw new CallError('server-error', message);
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as Partial<ErrorResponse>;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not JSON: a proxy's error page, for instance. The status says enough.
  }
  return `The call server answered ${response.status} ${response.statusText}.`;
}
