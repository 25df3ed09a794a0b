import { createHash } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import type { ParticipantRole } from '../src/core/protocol.js';
import { isValidRoomName } from './validation.js';

/** Join tokens are HMAC-SHA256 keys: shorter secrets can be brute-forced from one token. */
export const MIN_TOKEN_SECRET_BYTES = 32;

/** Clocks of the site's backend and ours may disagree by this much. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Far more than any real token needs; anything longer is refused before parsing. */
const MAX_TOKEN_CHARS = 4096;
const MAX_CLAIM_CHARS = 256;

export interface JoinTokenOptions {
  secret: string;
  room: string;
  role: ParticipantRole;
  /** Shown to everyone instead of the name the visitor types; still cleaned by the server. */
  name?: string;
  ttlSeconds: number;
  /** Names the invitation, so that removing its holder blocks every token with this id. */
  jti?: string;
}

/** An accepted token: what it grants, and what a host's removal of its holder must block. */
export interface VerifiedJoinToken {
  role: ParticipantRole;
  name: string | undefined;
  /** `jti:<jti>`, or a hash of the token when it has no jti. */
  revocationKey: string;
  /** When the token stops working by itself (ms since the epoch). */
  expiresAt: number;
}

export type JoinTokenCheck =
  | { ok: true; token: VerifiedJoinToken }
  | { ok: false; code: 'token-invalid' | 'token-expired' | 'token-wrong-room' };

/**
 * Signs a join token for `room`, as a site's backend would. Use it server-side only: whoever
 * holds the secret can let anyone into any token room.
 */
export async function createJoinToken({ secret, room, role, name, ttlSeconds, jti }: JoinTokenOptions): Promise<string> {
  if (Buffer.byteLength(secret, 'utf8') < MIN_TOKEN_SECRET_BYTES) {
    throw new RangeError(`The token secret must be at least ${MIN_TOKEN_SECRET_BYTES} bytes long.`);
  }
  if (!isValidRoomName(room)) throw new RangeError(`"${room}" is not a valid room name.`);
  if (role !== 'host' && role !== 'guest') throw new RangeError('The role must be host or guest.');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new RangeError('ttlSeconds must be a positive whole number.');
  const jwt = new SignJWT({ room, role, ...(name !== undefined && { name }) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds);
  if (jti !== undefined) jwt.setJti(jti);
  return jwt.sign(secretKey(secret));
}

/** Checks signature, algorithm, expiry and claims; the room claim must name `room`. */
export async function verifyJoinToken(token: string, secret: string, room: string): Promise<JoinTokenCheck> {
  if (token.length > MAX_TOKEN_CHARS) return { ok: false, code: 'token-invalid' };
  let payload: Record<string, unknown>;
  try {
    // Pinning HS256 rules out `alg: none` and any confusion with other key types.
    ({ payload } = await jwtVerify(token, secretKey(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, code: 'token-expired' };
    if (error instanceof errors.JOSEError || error instanceof TypeError) return { ok: false, code: 'token-invalid' };
    throw error;
  }
  const { room: claimedRoom, role, name, jti, exp } = payload;
  if (!isValidRoomName(claimedRoom) || (role !== 'host' && role !== 'guest')) return { ok: false, code: 'token-invalid' };
  if (!isOptionalShortString(name) || !isOptionalShortString(jti) || typeof exp !== 'number') {
    return { ok: false, code: 'token-invalid' };
  }
  if (claimedRoom !== room) return { ok: false, code: 'token-wrong-room' };
  return {
    ok: true,
    token: {
      role,
      name,
      revocationKey: jti !== undefined ? `jti:${jti}` : `sha256:${createHash('sha256').update(token).digest('hex')}`,
      expiresAt: (exp + CLOCK_TOLERANCE_SECONDS) * 1000,
    },
  };
}

function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

function isOptionalShortString(value: unknown): value is string | undefined {
  return value === undefined || (typeof value === 'string' && value.length <= MAX_CLAIM_CHARS);
}
