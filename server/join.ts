import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { ApiContext } from './api-context.js';
import { admit, roomFullMessage } from './admission.js';
import { clientIp, rateKey } from './client-ip.js';
import { sendError } from './http-errors.js';
import { joinResponse } from './join-answer.js';
import { sendRefusal } from './refusals.js';
import { jsonObjectBody } from './request-body.js';
import type { Grant } from './rooms.js';
import { ROOM_NAME_RULE, isDisplayNameInput, isValidRoomName } from './validation.js';

/**
 * `POST /rooms/:room/join`: checks the visitor's token where the room needs one, then mints an
 * identity for the signaling socket (200), or lets a guest knock at a waiting room (202).
 * Returns the handler chain: per-address rate limit, body parser, join.
 */
export function joinHandlers(ctx: ApiContext): RequestHandler[] {
  const { config, joinLimiter: limiter } = ctx;
  // Before the body is even read: a refused attempt should cost us as little as possible.
  const rateLimit: RequestHandler = (req, res, next) => {
    const decision = limiter.take(rateKey(clientIp(req, config.proxied)));
    if (decision.allowed) return next();
    res.set('Retry-After', String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))));
    sendRefusal(res, ctx.metrics, 'rate-limited');
  };
  const join = (req: Request, res: Response, next: NextFunction) => {
    handleJoin(ctx, req, res).catch(next);
  };
  return [rateLimit, express.json({ limit: '4kb' }), join];
}

async function handleJoin(ctx: ApiContext, req: Request, res: Response): Promise<void> {
  const { rooms, metrics } = ctx;
  const room = req.params.room;
  if (!isValidRoomName(room)) return sendError(res, 400, ROOM_NAME_RULE);
  const body = jsonObjectBody(req, res);
  if (!body) return;
  const { name, token, resume } = body;
  if (!isDisplayNameInput(name)) return sendError(res, 400, 'The name must be a string.');
  if (token !== undefined && typeof token !== 'string') return sendError(res, 400, 'The token must be a string.');
  if (resume !== undefined && typeof resume !== 'string') return sendError(res, 400, 'The resume ticket must be a string.');
  if (resume !== undefined) return handleResume(ctx, room, resume, res);

  const admission = await admit(ctx, room, name, token);
  if (admission.kind === 'refused') return sendRefusal(res, metrics, admission.code, admission.message);
  // The token is a credential: no cache may keep it.
  res.set('Cache-Control', 'no-store');
  if (admission.kind === 'waiting') {
    res.status(202).json(admission.answer);
    return;
  }
  const result = rooms.mint(room, admission.name, admission.grant);
  if (result.kind === 'room-full') return sendRefusal(res, metrics, 'room-full', roomFullMessage(result.maxParticipants));
  res.json(joinResponse(result.member, ctx));
}

/**
 * A join with a resume ticket: the same peer id again, with a fresh token, for a member whose
 * signaling socket dropped (or whose server restarted). No join token is needed: the ticket is the
 * proof. A lock and the waiting room do not apply (they are a member already); the room's size does.
 */
function handleResume(ctx: ApiContext, room: string, ticket: string, res: Response): void {
  const { config, rooms, access, revoked, metrics, tickets } = ctx;
  const claims = tickets.verify(ticket);
  const refuse = (why: string) => {
    ctx.logger.debug('resume refused', { why });
    sendRefusal(res, metrics, 'resume-invalid');
  };
  if (!claims) return refuse('forged, malformed or expired');
  if (claims.room !== room) return refuse('another room');
  // A room that needs a token now, but did not when the ticket was issued (the server's
  // configuration changed), lets nobody in on an open-room ticket.
  if (access.accessFor(room) === 'token' && claims.revocationKey === undefined) return refuse('room needs a token now');
  if (claims.revocationKey !== undefined && revoked.isRevoked(claims.revocationKey)) return refuse('removed by a host');
  if (rooms.member(claims.peerId)?.connected === true) {
    // Most likely the member's own socket, dropped on their side while the server still counts
    // it live: it is dropped within the alive timeout, after which the same ticket works.
    res.set('Retry-After', String(Math.ceil(config.aliveTimeoutMs / 1000)));
    return refuse('peer id connected');
  }
  if (rooms.pendingCount + ctx.waiting.size >= config.maxPending) return sendRefusal(res, metrics, 'server-busy');
  const grant: Grant = {
    ...(claims.role !== undefined && { role: claims.role }),
    ...(claims.revocationKey !== undefined && {
      invitation: { revocationKey: claims.revocationKey, expiresAt: claims.invitationExpiresAt! },
    }),
  };
  const result = rooms.remint(claims.peerId, room, claims.name, grant);
  if (result.kind === 'connected') return refuse('peer id connected');
  if (result.kind === 'room-full') return sendRefusal(res, metrics, 'room-full', roomFullMessage(result.maxParticipants));
  metrics.count('join.resumed');
  res.set('Cache-Control', 'no-store');
  res.json(joinResponse(result.member, ctx));
}
