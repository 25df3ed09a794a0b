import { createHmac, timingSafeEqual } from 'node:crypto';
import { MAX_DISPLAY_NAME_LENGTH, type ParticipantRole } from '../src/core/protocol.js';
import type { Member } from './rooms.js';
import { isValidRoomName } from './validation.js';

/** A call longer than this cannot resume; its members join afresh (with a new peer id). */
export const RESUME_TTL_MS = 6 * 60 * 60 * 1000;
/** A real ticket is about 300 characters; anything far longer is refused before any work. */
const MAX_TICKET_CHARS = 2048;
const MAX_KEY_CHARS = 512;
const VERSION = 1;

/** What a resume ticket proves: who had this peer id, where, with what rights, until when. */
export interface ResumeClaims {
  room: string;
  peerId: string;
  name: string;
  role: ParticipantRole | undefined;
  /** The join token's revocation key (token rooms): a host's removal of its holder kills the ticket. */
  revocationKey: string | undefined;
  /** When the join token itself expires (ms); a removal blocks the key at least until then. */
  invitationExpiresAt: number | undefined;
  /** ms since the epoch. */
  expiresAt: number;
}

interface Payload {
  v: number;
  r: string;
  p: string;
  n: string;
  o?: ParticipantRole;
  k?: string;
  x?: number;
  e: number;
}

/**
 * Resume tickets: `base64url(JSON claims).base64url(HMAC-SHA256)`, keyed by a key derived from the
 * server secret (so the secret itself signs nothing else). Stateless, so they survive restarts of
 * the server as long as its secret does, and any server sharing the secret accepts them.
 */
export class ResumeTickets {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlMs = RESUME_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHmac('sha256', secret).update('peercall resume ticket v1').digest();
  }

  get lifetimeMs(): number {
    return this.ttlMs;
  }

  issue(member: Readonly<Member>): string {
    const payload: Payload = {
      v: VERSION,
      r: member.room,
      p: member.peerId,
      n: member.name,
      ...(member.role !== undefined && { o: member.role }),
      ...(member.invitation !== undefined && { k: member.invitation.revocationKey, x: member.invitation.expiresAt }),
      e: this.now() + this.ttlMs,
    };
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${body}.${this.sign(body).toString('base64url')}`;
  }

  /** The claims of a genuine, unexpired ticket; undefined for anything else. */
  verify(ticket: string): ResumeClaims | undefined {
    if (ticket.length > MAX_TICKET_CHARS) return undefined;
    const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(ticket);
    if (!match) return undefined;
    const [, body, mac] = match as unknown as [string, string, string];
    const given = Buffer.from(mac, 'base64url');
    const expected = this.sign(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const claims = toClaims(payload);
    if (!claims || claims.expiresAt <= this.now()) return undefined;
    return claims;
  }

  private sign(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest();
  }
}

/** Only tickets we signed get here; the checks guard against our own older formats and bugs. */
function toClaims(payload: unknown): ResumeClaims | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { v, r, p, n, o, k, x, e } = payload as Record<string, unknown>;
  if (v !== VERSION || !isValidRoomName(r) || typeof p !== 'string' || p.length === 0 || p.length > 64) return undefined;
  if (typeof n !== 'string' || Array.from(n).length > MAX_DISPLAY_NAME_LENGTH) return undefined;
  if (o !== undefined && o !== 'host' && o !== 'guest') return undefined;
  if (k !== undefined && (typeof k !== 'string' || k.length > MAX_KEY_CHARS)) return undefined;
  if ((k === undefined) !== (x === undefined) || (x !== undefined && typeof x !== 'number')) return undefined;
  if (typeof e !== 'number') return undefined;
  return { room: r, peerId: p, name: n, role: o, revocationKey: k, invitationExpiresAt: x as number | undefined, expiresAt: e };
}
