import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import { ExpressPeerServer, type IClient } from 'peer';
import { WebSocketServer } from 'ws';
import { PEER_PATH, ROSTER_MESSAGE_TYPE, type RosterMessage } from '../src/core/protocol.js';
import type { ServerConfig } from './config.js';
import { trackTimers } from './peer-timers.js';
import type { RoomRegistry } from './rooms.js';

/** PeerJS signaling messages are small SDP/ICE blobs; this leaves ample room for large SDPs. */
const MAX_SIGNALING_MESSAGE_BYTES = 64 * 1024;

export interface Signaling {
  /** Stops PeerServer's timers and drops every signaling socket. */
  close(): void;
}

/**
 * Mounts PeerServer at /peerjs (socket at /peerjs/peerjs), lets only identities minted by the
 * room API open a socket, and pushes a room's roster to all its members on every change.
 */
export function attachSignaling(
  app: Express,
  httpServer: http.Server,
  rooms: RoomRegistry,
  config: ServerConfig,
): Signaling {
  const clients = new Map<string, IClient>();
  let socketServer = undefined as WebSocketServer | undefined;

  const peerServer = ExpressPeerServer(httpServer, {
    path: '/',
    key: config.peerKey,
    allow_discovery: false,
    alive_timeout: config.aliveTimeoutMs,
    proxied: config.proxied,
    createWebSocketServer: (options) => {
      socketServer = new WebSocketServer({
        path: options.path,
        // We hand upgrades over ourselves (below), so that ws does not also subscribe to the
        // HTTP server's 'error' and report a failed listen() a second time.
        noServer: true,
        maxPayload: MAX_SIGNALING_MESSAGE_BYTES,
        // Runs before PeerServer sees the socket: a refused upgrade gets a 401 and never an OPEN.
        verifyClient: ({ req }: { req: http.IncomingMessage }) => presentsMintedIdentity(req.url, rooms, config.peerKey),
      });
      return socketServer;
    },
  });
  // PeerServer builds its socket server and starts its timers when it is mounted.
  const stopPeerTimers = trackTimers(() => app.use(`/${PEER_PATH}`, peerServer));
  if (!socketServer) throw new Error('PeerServer did not create its WebSocket server on mount');
  const wss = socketServer;

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // Other paths get a 400 from ws.
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  httpServer.on('upgrade', onUpgrade);

  const pushRoster = (room: string) => {
    const members = rooms.roster(room);
    const message: RosterMessage = { type: ROSTER_MESSAGE_TYPE, payload: { room, members } };
    const data = JSON.stringify(message);
    for (const { peerId } of members) clients.get(peerId)?.getSocket()?.send(data);
  };

  peerServer.on('connection', (client) => {
    const peerId = client.getId();
    const room = rooms.connect(peerId);
    if (room === undefined) {
      // verifyClient only lets minted identities through, so this guards against our own bugs.
      client.getSocket()?.close();
      return;
    }
    clients.set(peerId, client);
    pushRoster(room);
  });
  // Fired on socket close and when PeerServer's sweeper drops a silent client.
  peerServer.on('disconnect', (client) => {
    const peerId = client.getId();
    clients.delete(peerId);
    const room = rooms.disconnect(peerId);
    if (room !== undefined) pushRoster(room);
  });
  // PeerServer forwards its WebSocket server's and sockets' errors here; an unheard
  // 'error' event would crash the process.
  peerServer.on('error', (error) => console.error('peercall: signaling error:', error));

  return {
    close() {
      stopPeerTimers();
      httpServer.off('upgrade', onUpgrade);
      for (const socket of wss.clients) socket.terminate();
      wss.close();
    },
  };
}

/**
 * Checks the socket URL's id, token and key. A repeated parameter is refused because
 * PeerServer reads the last value where URLSearchParams.get() reads the first: the two must
 * never disagree about who is connecting.
 */
function presentsMintedIdentity(url: string | undefined, rooms: RoomRegistry, peerKey: string): boolean {
  const query = new URL(url ?? '', 'http://peercall.invalid').searchParams;
  const only = (name: string) => {
    const values = query.getAll(name);
    return values.length === 1 ? values[0] : undefined;
  };
  const id = only('id');
  const token = only('token');
  return only('key') === peerKey && id !== undefined && token !== undefined && rooms.verify(id, token);
}
