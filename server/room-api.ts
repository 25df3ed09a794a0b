import cors from 'cors';
import express, { type Request, type Router } from 'express';
import { PEER_PATH, type JoinResponse } from '../src/core/protocol.js';
import type { ServerConfig } from './config.js';
import { sendError } from './http-errors.js';
import type { RoomRegistry } from './rooms.js';
import { ROOM_NAME_RULE, cleanDisplayName, isDisplayNameInput, isValidRoomName } from './validation.js';

/** `POST /rooms/:room/join`: mints an identity for the signaling socket and says who is there. */
export function createRoomApi(rooms: RoomRegistry, config: ServerConfig): Router {
  const api = express.Router();
  // Any site may embed the widget, so any origin may join: the minted identity is the gate.
  api.use(cors({ origin: true, methods: ['POST'], maxAge: 600 }));
  api
    .route('/rooms/:room/join')
    .post(express.json({ limit: '4kb' }), (req, res) => {
      const { room } = req.params;
      if (!isValidRoomName(room)) return sendError(res, 400, ROOM_NAME_RULE);
      if (hasContent(req) && !req.is('application/json')) {
        return sendError(res, 415, 'Send the join request as application/json.');
      }
      const body: unknown = req.body ?? {};
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return sendError(res, 400, 'The request body must be a JSON object.');
      }
      const { name } = body as Record<string, unknown>;
      if (!isDisplayNameInput(name)) return sendError(res, 400, 'The name must be a string.');

      const result = rooms.mint(room, cleanDisplayName(name));
      if (result.kind === 'room-full') {
        return sendError(res, 409, `Room is full (${result.maxParticipants} participants).`);
      }
      const { member } = result;
      const answer: JoinResponse = {
        room,
        peerId: member.peerId,
        token: member.token,
        name: member.name,
        roster: rooms.roster(room),
        iceServers: config.iceServers,
        peer: { path: `/${PEER_PATH}`, key: config.peerKey },
      };
      // The token is a credential: no cache may keep it.
      res.set('Cache-Control', 'no-store').json(answer);
    })
    .all((_req, res) => {
      res.set('Allow', 'POST, OPTIONS');
      sendError(res, 405, 'Use POST to join a room.');
    });
  api.use((_req, res) => sendError(res, 404, 'No such API endpoint.'));
  return api;
}

/** An empty POST (Content-Length: 0) is a join without a name, whatever its Content-Type. */
function hasContent(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
