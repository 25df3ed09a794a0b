import type { Request, Response } from 'express';
import { HOST_ACTIONS, MUTE_REQUEST_MESSAGE_TYPE, type HostAction, type MuteRequestMessage } from '../src/core/protocol.js';
import type { ApiContext } from './api-context.js';
import { sendError } from './http-errors.js';
import { sendRefusal } from './refusals.js';
import { jsonObjectBody } from './request-body.js';
import { ROOM_NAME_RULE, isValidRoomName } from './validation.js';

/**
 * `POST /rooms/:room/control` (body: HostControlRequest): a host's lock, unlock, remove, mute,
 * admit and decline. The caller proves who they are with their minted peer id and token, which
 * only work while their socket is connected, so a removed or departed host has no controls.
 */
export function handleHostControl(ctx: ApiContext, req: Request, res: Response): void {
  const { rooms, metrics } = ctx;
  const room = req.params.room;
  if (!isValidRoomName(room)) return sendError(res, 400, ROOM_NAME_RULE);
  const body = jsonObjectBody(req, res);
  if (!body) return;
  const { peerId, token, action, target } = body;
  if (typeof peerId !== 'string' || typeof token !== 'string') {
    return sendError(res, 400, 'Send your peerId and token (from your join) as strings.');
  }
  if (!HOST_ACTIONS.includes(action as HostAction)) {
    return sendError(res, 400, `The action must be one of ${HOST_ACTIONS.join(', ')}.`);
  }
  if (target !== undefined && typeof target !== 'string') return sendError(res, 400, 'The target must be a string.');
  const caller = rooms.authenticate(peerId, token);
  if (!caller || caller.room !== room) return sendRefusal(res, metrics, 'not-a-member');
  if (caller.role !== 'host') return sendRefusal(res, metrics, 'host-only');

  const done = perform(ctx, room, caller.peerId, action as HostAction, target);
  if (done === 'no-target') return sendError(res, 400, `The ${String(action)} action needs a target.`);
  if (done === 'self') return sendError(res, 400, 'Leave the call instead of removing yourself.');
  if (done === 'not-found') return sendRefusal(res, metrics, 'no-such-target');
  res.status(204).end();
}

function perform(
  ctx: ApiContext,
  room: string,
  callerId: string,
  action: HostAction,
  target: string | undefined,
): 'ok' | 'no-target' | 'self' | 'not-found' {
  const { rooms, waiting, signaling } = ctx;
  if (action === 'lock' || action === 'unlock') {
    rooms.setLocked(room, action === 'lock');
    // Hosts see the lock state in their roster.
    signaling.pushRoster(room);
    return 'ok';
  }
  if (target === undefined) return 'no-target';
  if (action === 'admit' || action === 'decline') {
    if (!waiting.decide(room, target, action === 'admit' ? 'admitted' : 'declined')) return 'not-found';
    signaling.pushRoster(room);
    return 'ok';
  }
  const member = rooms.member(target);
  if (!member || member.room !== room) return 'not-found';
  if (action === 'mute') {
    const request: MuteRequestMessage = { type: MUTE_REQUEST_MESSAGE_TYPE };
    return signaling.send(target, request) ? 'ok' : 'not-found';
  }
  if (target === callerId) return 'self';
  removeWithInvitation(ctx, room, target, callerId);
  return 'ok';
}

/**
 * Removes the target and blocks the token they joined with until it expires, so they cannot walk
 * back in with it; whoever else is in (or at the door of) the room with that same token goes too,
 * or the removed person could simply carry on in a second tab.
 */
function removeWithInvitation(ctx: ApiContext, room: string, target: string, callerId: string): void {
  const { rooms, waiting, revoked, signaling, tickets } = ctx;
  const invitation = rooms.member(target)?.invitation;
  if (!invitation) {
    signaling.remove(target);
    return;
  }
  // Until the token expires, and until every resume ticket issued for it so far has: a removed
  // participant must not come back by resuming either.
  revoked.revoke(invitation.revocationKey, Math.max(invitation.expiresAt, Date.now() + tickets.lifetimeMs));
  // Before the removals, whose roster pushes then carry the shorter waiting list too.
  waiting.withdraw(room, invitation.revocationKey);
  for (const peerId of rooms.membersInvitedWith(room, invitation.revocationKey)) {
    if (peerId !== callerId) signaling.remove(peerId);
  }
}
