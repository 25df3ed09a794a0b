import { CallError, type CallErrorType } from './errors.js';
import {
  API_PATH,
  PEER_PATH,
  ROOM_NAME_PATTERN,
  type ErrorCode,
  type ErrorResponse,
  type HostControlRequest,
  type JoinRequest,
  type JoinResponse,
  type WaitingResponse,
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

/** The error for a room name the server would refuse. */
export function invalidRoomError(room: string): CallError {
  return new CallError('room-invalid', `"${room}" is not a valid room name: use 1–64 letters, digits, _ or -.`);
}

/** Asks the server for a place in `room`: it mints our identity and tells us who is there. */
export async function requestJoin(
  endpoints: ServerEndpoints,
  room: string,
  request: JoinRequest,
  signal?: AbortSignal,
): Promise<JoinResponse | WaitingResponse> {
  if (!isValidRoomName(room)) throw invalidRoomError(room);
  const response = await call(endpoints, `rooms/${encodeURIComponent(room)}/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
    signal,
  });
  if (response.status === 202) return (await response.json()) as WaitingResponse;
  if (response.ok) return (await response.json()) as JoinResponse;
  throw await refusal(response);
}

/** Whether a join answer means "knock and wait for a host". */
export function isWaiting(answer: JoinResponse | WaitingResponse): answer is WaitingResponse {
  return 'status' in answer && answer.status === 'waiting';
}

/**
 * Waits in a token room's waiting room until a host admits us (resolves with our identity) or
 * declines (rejects with `declined`). The server holds each poll for about 25 s; abort to give up.
 */
export async function waitForAdmission(
  endpoints: ServerEndpoints,
  room: string,
  ticket: string,
  signal: AbortSignal,
): Promise<JoinResponse> {
  const path = `rooms/${encodeURIComponent(room)}/waiting/${encodeURIComponent(ticket)}`;
  for (;;) {
    const response = await call(endpoints, path, { cache: 'no-store', signal });
    if (response.status === 202) {
      await response.body?.cancel();
      continue;
    }
    if (response.ok) return (await response.json()) as JoinResponse;
    throw await refusal(response);
  }
}

/** A host's control of their room (lock, admit, remove, …), proven with our minted identity. */
export async function sendHostControl(endpoints: ServerEndpoints, room: string, request: HostControlRequest): Promise<void> {
  const response = await call(endpoints, `rooms/${encodeURIComponent(room)}/control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (!response.ok) throw await refusal(response);
  await response.body?.cancel();
}

async function call(endpoints: ServerEndpoints, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(new URL(API_PATH + path, endpoints.base), init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new CallError('server-unreachable', `Cannot reach the call server at ${endpoints.base.origin}.`, {
      cause: error,
    });
  }
}

/** What each of the server's refusal codes means for the user. */
const REFUSALS: Record<ErrorCode, CallErrorType> = {
  'token-required': 'unauthorized',
  'token-invalid': 'unauthorized',
  'token-expired': 'unauthorized',
  'token-wrong-room': 'forbidden',
  'token-revoked': 'removed',
  'room-locked': 'room-locked',
  'room-full': 'room-full',
  declined: 'declined',
  'rate-limited': 'rate-limited',
  'origin-not-allowed': 'forbidden',
  'server-busy': 'rate-limited',
  'not-a-member': 'unauthorized',
  'host-only': 'forbidden',
  'no-such-target': 'server-error',
  'ticket-unknown': 'server-error',
  'resume-invalid': 'signaling-lost',
};

async function refusal(response: Response): Promise<CallError> {
  let body: Partial<ErrorResponse> = {};
  try {
    body = (await response.json()) as Partial<ErrorResponse>;
  } catch {
    // Not JSON: a proxy's error page, for instance. The status says enough.
  }
  return refusalOf(response.status, body, response.statusText);
}

/** Turns an error answer into a CallError, by its code where the server gave one, else by status. */
export function refusalOf(status: number, body: Partial<ErrorResponse>, statusText = ''): CallError {
  const message = typeof body.message === 'string' ? body.message : `The call server answered ${status} ${statusText}.`;
  if (body.code && body.code in REFUSALS) return new CallError(REFUSALS[body.code], message);
  if (status === 400 || status === 404) return new CallError('room-invalid', message);
  if (status === 409) return new CallError('room-full', message);
  if (status === 401) return new CallError('unauthorized', message);
  if (status === 403) return new CallError('forbidden', message);
  if (status === 429 || status === 503) return new CallError('rate-limited', message);
  return new CallError('server-error', message);
}
