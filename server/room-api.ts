import cors from 'cors';
import express, { type RequestHandler, type Router } from 'express';
import type { ApiContext } from './api-context.js';
import { clientIp, rateKey } from './client-ip.js';
import { sendError } from './http-errors.js';
import { handleHostControl } from './host-controls.js';
import { joinHandlers } from './join.js';
import { sendRefusal } from './refusals.js';
import { standbyHandler } from './standby.js';
import { ROOM_NAME_RULE, isValidRoomName } from './validation.js';
import { handleWaitingPoll } from './waiting-api.js';

/**
 * The room API under /api: join (and the waiting room's poll), host controls, and the
 * presence stream. Every answer, refusals included, carries CORS headers for allowed origins.
 */
export function createRoomApi(ctx: ApiContext): Router {
  const { origins, metrics } = ctx;
  const api = express.Router();
  // Browsers enforce CORS only on reading the answer; refusing here also keeps a page on a
  // disallowed site from taking places in rooms with requests whose answers it cannot read.
  const originGate: RequestHandler = (req, res, next) => {
    if (origins.admits(req)) return next();
    sendRefusal(res, metrics, 'origin-not-allowed');
  };
  api.use(originGate);
  api.use(cors({ origin: true, methods: ['GET', 'POST'], maxAge: 600 }));
  // A graceful shutdown takes nobody new: browsers retry in a moment, against the next server.
  api.use((_req, res, next) => {
    if (!ctx.isDraining()) return next();
    res.set('Retry-After', '2');
    sendRefusal(res, metrics, 'server-busy', 'The call server is restarting; try again in a moment.');
  });

  api
    .route('/rooms/:room/join')
    .post(...joinHandlers(ctx))
    .all((_req, res) => {
      res.set('Allow', 'POST, OPTIONS');
      sendError(res, 405, 'Use POST to join a room.');
    });
  api.post('/standby', standbyHandler(ctx));
  api.get('/rooms/:room/waiting/:ticket', (req, res) => handleWaitingPoll(ctx, req, res));
  api.post('/rooms/:room/control', express.json({ limit: '4kb' }), (req, res) => handleHostControl(ctx, req, res));
  api.get('/rooms/:room/presence', (req, res) => {
    const { room } = req.params;
    if (!isValidRoomName(room)) return sendError(res, 400, ROOM_NAME_RULE);
    const ipKey = rateKey(clientIp(req, ctx.config.proxied));
    const refusal = ctx.presence.refusal(ipKey);
    if (refusal === 'per-ip') {
      // A guess: streams end when their pages close, which is usually not long.
      res.set('Retry-After', '30');
      return sendRefusal(res, metrics, 'rate-limited', 'Too many presence streams from your address.');
    }
    if (refusal === 'capacity') return sendRefusal(res, metrics, 'server-busy');
    ctx.presence.open(res, room, ipKey);
  });
  api.use((_req, res) => sendError(res, 404, 'No such API endpoint.'));
  return api;
}
