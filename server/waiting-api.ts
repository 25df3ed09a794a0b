import type { Request, Response } from 'express';
import type { WaitingResponse } from '../src/core/protocol.js';
import type { ApiContext } from './api-context.js';
import { joinResponse } from './join-answer.js';
import { sendRefusal } from './refusals.js';
import type { Knock } from './waiting-room.js';

/** Under the 30–60 s after which proxies commonly cut an idle request. */
const POLL_MS = 25_000;

/**
 * `GET /rooms/:room/waiting/:ticket`: a knocking guest's long poll. It answers as soon as a
 * host decides (200 with a JoinResponse, or 403 declined), else 202 after POLL_MS so that the
 * guest polls again. A newer poll for the same ticket answers the older one at once.
 */
export function handleWaitingPoll(ctx: ApiContext, req: Request, res: Response): void {
  const { waiting, metrics } = ctx;
  const knock = waiting.withTicket(req.params.ticket ?? '');
  if (!knock || knock.room !== req.params.room) return sendRefusal(res, metrics, 'ticket-unknown');
  res.set('Cache-Control', 'no-store');
  if (knock.state !== 'waiting') return answer(ctx, knock, res);

  knock.wake?.();
  const finish = () => {
    clearTimeout(timer);
    res.off('close', abandon);
    knock.wake = undefined;
    waiting.touch(knock);
  };
  const abandon = () => finish();
  const timer = setTimeout(() => knock.wake?.(), POLL_MS);
  res.on('close', abandon);
  waiting.touch(knock);
  knock.wake = () => {
    finish();
    answer(ctx, knock, res);
  };
}

function answer(ctx: ApiContext, knock: Knock, res: Response): void {
  const { waiting, rooms, metrics } = ctx;
  if (knock.state === 'waiting') {
    const still: WaitingResponse = { status: 'waiting', ticket: knock.ticket };
    res.status(202).json(still);
    return;
  }
  waiting.remove(knock);
  if (knock.state === 'declined') return sendRefusal(res, metrics, 'declined');
  // Admitted: a host let them in, so a lock does not apply; the room's size still does.
  const result = rooms.mint(knock.room, knock.name, knock.grant);
  if (result.kind === 'room-full') {
    return sendRefusal(res, metrics, 'room-full', `Room is full (${result.maxParticipants} participants).`);
  }
  res.json(joinResponse(result.member, ctx));
}
