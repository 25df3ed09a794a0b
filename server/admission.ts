import type { ErrorCode, WaitingResponse } from '../src/core/protocol.js';
import type { ApiContext } from './api-context.js';
import { verifyJoinToken } from './join-tokens.js';
import type { Grant } from './rooms.js';
import { cleanDisplayName } from './validation.js';

/** Beyond this many knocks a room's waiting list stops being something a host can read. */
const MAX_KNOCKS_PER_ROOM = 50;

export type Admission =
  | { kind: 'refused'; code: ErrorCode; message?: string }
  | { kind: 'waiting'; answer: WaitingResponse }
  | { kind: 'admitted'; name: string; grant: Grant };

/**
 * The checks of a fresh join, whether it came as `POST …/join` or over a standby socket: one
 * function, so that the two doors can never let in different people. Checks the token where the
 * room needs one (and whether a host revoked it), the lock, the server's pending limit and the
 * waiting room, where it knocks on the visitor's behalf. The caller mints the identity.
 * `room` must be valid and `name` a string or undefined.
 */
export async function admit(ctx: ApiContext, room: string, name: string | undefined, token: string | undefined): Promise<Admission> {
  const { config, rooms, access, waiting, revoked } = ctx;
  let grant: Grant = {};
  let invitedName: string | undefined;
  // Open rooms ignore tokens: there is nothing for one to grant there.
  if (access.accessFor(room) === 'token') {
    if (token === undefined || token === '') return { kind: 'refused', code: 'token-required' };
    const check = await verifyJoinToken(token, config.tokenSecret!, room);
    if (!check.ok) return { kind: 'refused', code: check.code };
    const { role, revocationKey, expiresAt } = check.token;
    if (revoked.isRevoked(revocationKey)) return { kind: 'refused', code: 'token-revoked' };
    grant = { role, invitation: { revocationKey, expiresAt } };
    invitedName = check.token.name;
  }
  const displayName = cleanDisplayName(invitedName ?? name);
  const isHost = grant.role === 'host';

  if (!isHost && rooms.isLocked(room)) return { kind: 'refused', code: 'room-locked' };
  if (rooms.pendingCount + waiting.size >= config.maxPending) return { kind: 'refused', code: 'server-busy' };

  if (!isHost && access.hasWaitingRoom(room)) {
    if (waiting.countIn(room) >= MAX_KNOCKS_PER_ROOM) {
      return { kind: 'refused', code: 'server-busy', message: 'Too many people are waiting to join this room; try again later.' };
    }
    const knock = waiting.knock(room, displayName, grant);
    // Hosts learn of the knock through their roster.
    ctx.signaling.pushRoster(room);
    return { kind: 'waiting', answer: { status: 'waiting', ticket: knock.ticket } };
  }
  return { kind: 'admitted', name: displayName, grant };
}

export function roomFullMessage(maxParticipants: number): string {
  return `Room is full (${maxParticipants} participants).`;
}
