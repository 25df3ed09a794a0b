import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import {
  JOIN_ANSWER_MESSAGE_TYPE,
  PEER_PATH,
  type ErrorCode,
  type ErrorResponse,
  type JoinAnswerMessage,
  type StandbyResponse,
} from '../src/core/protocol.js';
import { admit, roomFullMessage } from './admission.js';
import type { ApiContext } from './api-context.js';
import { clientIp, rateKey } from './client-ip.js';
import { joinResponse, publicIceServers } from './join-answer.js';
import { KeyedRateLimiter } from './rate-limit.js';
import { REFUSALS, sendRefusal } from './refusals.js';
import { ROOM_NAME_RULE, isDisplayNameInput, isValidRoomName } from './validation.js';

/** How often a lobby says it is still there; a standby silent for three of these is closed. */
export const STANDBY_KEEP_MS = 30_000;
const STANDBY_RATE_WINDOW_SECONDS = 10;

/** A standby identity: minted for an address, then its socket, then (once) a join. */
interface Entry {
  token: string;
  ipKey: string;
  /** Until its socket opens, the minting time; then the last keep. */
  seenAt: number;
  connected: boolean;
}

export interface StandbyPoolOptions {
  /** Standbys (minted or connected) per client address. */
  maxPerIp: number;
  maxTotal: number;
  /** How long a minted standby may wait for its socket. */
  connectTtlMs: number;
  /** How long a connected standby lives without a keep. */
  idleTtlMs: number;
  now?: () => number;
}

/**
 * Identities minted ahead of a join, so that a lobby's signaling socket is already open when the
 * visitor clicks Join. A standby belongs to no room: the room registry does not know its id, so the
 * signaling guard relays nothing from or to it and no roster, presence count or waiting list shows
 * it. It becomes a member only through `claim()` followed by the same admission as an HTTP join.
 * Bounded per address and in total; idle ones expire. Pure bookkeeping: no I/O, no timers.
 */
export class StandbyPool {
  private readonly entries = new Map<string, Entry>();
  private readonly perIp = new Map<string, number>();

  constructor(private readonly options: StandbyPoolOptions) {}

  mint(ipKey: string): { peerId: string; token: string } | 'per-ip' | 'capacity' {
    const { maxPerIp, maxTotal, now = Date.now } = this.options;
    if (this.entries.size >= maxTotal) {
      this.sweep();
      if (this.entries.size >= maxTotal) return 'capacity';
    }
    if ((this.perIp.get(ipKey) ?? 0) >= maxPerIp) return 'per-ip';
    const peerId = randomUUID();
    const token = randomBytes(32).toString('hex');
    this.entries.set(peerId, { token, ipKey, seenAt: now(), connected: false });
    this.perIp.set(ipKey, (this.perIp.get(ipKey) ?? 0) + 1);
    return { peerId, token };
  }

  /** True only for a minted, unexpired standby whose socket has not opened, presented with its token. */
  verify(peerId: string, token: string): boolean {
    const entry = this.entries.get(peerId);
    if (!entry || entry.connected || this.isExpired(entry)) return false;
    const expected = Buffer.from(entry.token, 'utf8');
    const given = Buffer.from(token, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Its socket opened; false if it is not (or no longer) a live standby. */
  connect(peerId: string): boolean {
    const entry = this.entries.get(peerId);
    if (!entry || entry.connected || this.isExpired(entry)) return false;
    entry.connected = true;
    entry.seenAt = (this.options.now ?? Date.now)();
    return true;
  }

  /** The lobby is still up. */
  keep(peerId: string): void {
    const entry = this.entries.get(peerId);
    if (entry?.connected) entry.seenAt = (this.options.now ?? Date.now)();
  }

  /**
   * Spends a connected standby on its one join attempt: from here on it is not a standby (the same
   * id may become a member). False when there is none, e.g. a second join over the same socket.
   */
  claim(peerId: string): boolean {
    const entry = this.entries.get(peerId);
    if (!entry?.connected || this.isExpired(entry)) return false;
    this.drop(peerId);
    return true;
  }

  drop(peerId: string): void {
    const entry = this.entries.get(peerId);
    if (!entry) return;
    this.entries.delete(peerId);
    const left = this.perIp.get(entry.ipKey)! - 1;
    if (left === 0) this.perIp.delete(entry.ipKey);
    else this.perIp.set(entry.ipKey, left);
  }

  /** Forgets expired standbys; returns those that had a socket, which the caller closes. */
  sweep(): string[] {
    const closed: string[] = [];
    for (const [peerId, entry] of this.entries) {
      if (!this.isExpired(entry)) continue;
      this.drop(peerId);
      if (entry.connected) closed.push(peerId);
    }
    return closed;
  }

  get size(): number {
    return this.entries.size;
  }

  private isExpired(entry: Entry): boolean {
    const { connectTtlMs, idleTtlMs, now = Date.now } = this.options;
    return now() - entry.seenAt >= (entry.connected ? idleTtlMs : connectTtlMs);
  }
}

/** `POST /standby`: mints a standby identity for this address, within the caps (see StandbyResponse). */
export function standbyHandler(ctx: ApiContext): RequestHandler {
  const { config, metrics } = ctx;
  const limiter = new KeyedRateLimiter({ capacity: config.joinRate, perSecond: config.joinRate / STANDBY_RATE_WINDOW_SECONDS });
  return (req: Request, res: Response) => {
    const ipKey = rateKey(clientIp(req, config.proxied));
    if (!limiter.take(ipKey).allowed) return sendRefusal(res, metrics, 'rate-limited');
    const minted = ctx.standby.mint(ipKey);
    if (minted === 'per-ip') return sendRefusal(res, metrics, 'rate-limited', 'Too many standby connections from your address.');
    if (minted === 'capacity') return sendRefusal(res, metrics, 'server-busy');
    metrics.count('standby.minted');
    const answer: StandbyResponse = {
      ...minted,
      peer: { path: `/${PEER_PATH}`, key: config.peerKey },
      keepMs: STANDBY_KEEP_MS,
      iceServers: publicIceServers(config),
    };
    // The token is a credential.
    res.set('Cache-Control', 'no-store').json(answer);
  };
}

/**
 * A JoinMessage from the standby socket `peerId`: the same rate limit and admission as
 * `POST …/join`, then either the socket becomes the new member's (the answer, then the roster
 * to everyone), or it gets the refusal or the knock and is closed.
 */
export async function joinOverStandby(ctx: ApiContext, peerId: string, payload: unknown, ipKey: string): Promise<void> {
  const { standby, signaling, rooms, metrics } = ctx;
  if (!standby.claim(peerId)) return void metrics.count('standby.dropped.not-standby');
  const finish = (status: number, body: JoinAnswerMessage['payload']['body']) =>
    signaling.endStandby(peerId, { type: JOIN_ANSWER_MESSAGE_TYPE, payload: { status, body } });
  const refuse = (code: ErrorCode, message = REFUSALS[code].message) => {
    metrics.count(`standby.refused.${code}`);
    const body: ErrorResponse = { message, code };
    finish(REFUSALS[code].status, body);
  };
  if (!ctx.joinLimiter.take(ipKey).allowed) return refuse('rate-limited');
  if (ctx.isDraining()) return refuse('server-busy', 'The call server is restarting; try again in a moment.');
  const request = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
  const { room, name, token } = request;
  if (!isValidRoomName(room)) return finish(400, { message: ROOM_NAME_RULE });
  if (!isDisplayNameInput(name)) return finish(400, { message: 'The name must be a string.' });
  if (token !== undefined && typeof token !== 'string') return finish(400, { message: 'The token must be a string.' });

  const admission = await admit(ctx, room, name, token);
  if (admission.kind === 'refused') return refuse(admission.code, admission.message);
  if (admission.kind === 'waiting') return finish(202, admission.answer);
  // The standby's id becomes the member's: its socket is already the one that signals for it.
  const result = rooms.remint(peerId, room, admission.name, admission.grant);
  if (result.kind === 'room-full') return refuse('room-full', roomFullMessage(result.maxParticipants));
  if (result.kind === 'connected') return refuse('server-busy');
  const answer: JoinAnswerMessage = { type: JOIN_ANSWER_MESSAGE_TYPE, payload: { status: 200, body: joinResponse(result.member, ctx) } };
  // The socket closed while the token was being checked: the place it was given goes too.
  if (!signaling.adoptStandby(peerId, answer)) return void rooms.disconnect(peerId);
  metrics.count('join.standby');
}
