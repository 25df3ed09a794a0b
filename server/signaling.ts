import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import { ExpressPeerServer, type IClient } from 'peer';
import { WebSocket, WebSocketServer } from 'ws';
import {
  JOIN_MESSAGE_TYPE,
  PEER_PATH,
  RECONNECT_MESSAGE_TYPE,
  REMOVED_MESSAGE_TYPE,
  ROSTER_MESSAGE_TYPE,
  type ReconnectMessage,
  type RemovedMessage,
  type RosterMessage,
} from '../src/core/protocol.js';
import { clientIp, rateKey } from './client-ip.js';
import type { ServerConfig } from './config.js';
import { errorField, type Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { OriginPolicy } from './origin-policy.js';
import { trackTimers } from './peer-timers.js';
import type { RoomRegistry } from './rooms.js';
import { guardedSocketClass, type GuardedSocket } from './signaling-guard.js';
import type { StandbyPool } from './standby.js';
import type { WaitingRoom } from './waiting-room.js';

/** A private close code: the browser already got a RemovedMessage saying why. */
const REMOVED_CLOSE_CODE = 4001;
/** RFC 6455 "service restart": the browser already got a ReconnectMessage. */
const RESTART_CLOSE_CODE = 1012;
/** After a LeaveMessage, or on shutdown, a socket that does not finish closing is cut off after this. */
const CLOSE_GRACE_MS = 1000;

export type Departure = NonNullable<RosterMessage['payload']['departed']>[number];

export interface SignalingDeps {
  rooms: RoomRegistry;
  waiting: WaitingRoom;
  origins: OriginPolicy;
  metrics: Metrics;
  config: ServerConfig;
  logger: Logger;
  standby: StandbyPool;
  /** Called after every roster push, e.g. to update presence streams. */
  onRosterChange(room: string): void;
  /** A standby socket sent its JoinMessage (see standby.ts). */
  onStandbyJoin(peerId: string, payload: unknown, ipKey: string): void;
}

export interface Signaling {
  /**
   * Sends the room's roster to each connected member (hosts also get the waiting list), with the
   * members who just left it and why.
   */
  pushRoster(room: string, departed?: Departure[]): void;
  /** Sends a server message to a connected member; false if they have no open socket. */
  send(peerId: string, message: object): boolean;
  /** Revokes the identity, tells its socket why and closes it, then updates the room. */
  remove(peerId: string): void;
  readonly socketCount: number;
  /**
   * Makes the open standby socket of `peerId`, which the room registry has just minted as a member,
   * that member's signaling socket: sends it `answer`, then pushes the room's roster. False when the
   * socket is gone.
   */
  adoptStandby(peerId: string, answer: object): boolean;
  /** Sends a standby socket its last message and closes it. */
  endStandby(peerId: string, answer: object): void;
  /** Closes the sockets of standbys that expired. */
  sweepStandbys(): void;
  /**
   * Graceful shutdown: refuses new sockets (503), sends every socket a ReconnectMessage and closes
   * it (1012); resolves once all are closed, cutting off the slow ones after `graceMs`.
   */
  drain(graceMs?: number): Promise<void>;
  /** Stops PeerServer's timers and drops every signaling socket. */
  close(): void;
}

type UpgradeRefusal = { code: number; reason: 'identity' | 'origin' | 'per-ip' | 'capacity' | 'draining'; message: string };

interface Connected {
  client: IClient;
  socket: WebSocket;
}

/**
 * Mounts PeerServer at /peerjs (socket at /peerjs/peerjs), lets only identities minted by the
 * room API open a socket, only relays between members of one room, and pushes a room's roster
 * to all its members on every change.
 */
export function attachSignaling(app: Express, httpServer: http.Server, deps: SignalingDeps): Signaling {
  const { rooms, waiting, origins, metrics, config, logger, standby } = deps;
  /** Connected members by peer id, with the PeerServer client and socket they connected with. */
  const clients = new Map<string, Connected>();
  /** Open standby sockets: not members of anything, so absent from `clients`. */
  const standbys = new Map<string, Connected>();
  let draining = false;
  const socketsPerIp = new Map<string, number>();
  /** The id each accepted upgrade presented, from verifyClient to the connection. */
  const verifiedIds = new WeakMap<http.IncomingMessage, string>();
  let socketServer = undefined as WebSocketServer | undefined;

  /** Runs before PeerServer sees the socket: a refused upgrade gets its status and never an OPEN. */
  const refuseUpgrade = (req: http.IncomingMessage): UpgradeRefusal | undefined => {
    if (draining) return { code: 503, reason: 'draining', message: 'Server restarting' };
    if (!origins.admits(req)) return { code: 403, reason: 'origin', message: 'Origin not allowed' };
    if (socketServer!.clients.size >= config.maxSockets) return { code: 503, reason: 'capacity', message: 'Server busy' };
    if ((socketsPerIp.get(rateKey(clientIp(req, config.proxied))) ?? 0) >= config.maxSocketsPerIp) {
      return { code: 429, reason: 'per-ip', message: 'Too many connections' };
    }
    const peerId = mintedIdentity(req.url, rooms, standby, config.peerKey);
    if (peerId === undefined) return { code: 401, reason: 'identity', message: 'Unauthorized' };
    verifiedIds.set(req, peerId);
    return undefined;
  };

  const peerServer = ExpressPeerServer(httpServer, {
    path: '/',
    key: config.peerKey,
    allow_discovery: false,
    alive_timeout: config.aliveTimeoutMs,
    proxied: config.proxied,
    // Ours (maxSockets, checked at the upgrade) is the limit that applies; this one never bites.
    concurrent_limit: config.maxSockets + 1,
    createWebSocketServer: (options) => {
      socketServer = new WebSocketServer({
        path: options.path,
        // We hand upgrades over ourselves (below), so that ws does not also subscribe to the
        // HTTP server's 'error' and report a failed listen() a second time.
        noServer: true,
        maxPayload: config.maxMessageBytes,
        // Compression would let a small frame inflate into a huge message; PeerJS does not need it.
        perMessageDeflate: false,
        WebSocket: guardedSocketClass({
          rooms,
          metrics,
          messageRate: config.messageRate,
          onClose: (socket) => {
            const left = socketsPerIp.get(socket.ipKey)! - 1;
            if (left === 0) socketsPerIp.delete(socket.ipKey);
            else socketsPerIp.set(socket.ipKey, left);
          },
          onLeave: (peerId, socket) => guarded('leave', () => leave(peerId, socket)),
          onStatus: (peerId, socket, status) =>
            guarded('status', () => {
              // Only from the socket the member is connected with now; a changed status goes to the room.
              if (clients.get(peerId)?.socket !== socket) return;
              const room = rooms.setStatus(peerId, status);
              if (room !== undefined) pushRoster(room);
            }),
          onStandbyMessage: (peerId, socket, message) =>
            guarded('standby', () => {
              // Only the standby's own socket; a member's JoinMessage or keep means nothing.
              if (standbys.get(peerId)?.socket !== socket) return;
              if (message.type === JOIN_MESSAGE_TYPE) deps.onStandbyJoin(peerId, message.payload, socket.ipKey);
              else standby.keep(peerId);
            }),
        }),
        verifyClient: ({ req }: { req: http.IncomingMessage }, callback: (ok: boolean, code?: number, message?: string) => void) => {
          const refusal = refuseUpgrade(req);
          if (refusal) metrics.count(`upgrade.refused.${refusal.reason}`);
          callback(refusal === undefined, refusal?.code, refusal?.message);
        },
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
    wss.handleUpgrade(req, socket, head, (ws) => {
      // ws calls this in the same tick as verifyClient, so the identity is still unused.
      const peerId = verifiedIds.get(req);
      verifiedIds.delete(req);
      if (peerId === undefined) {
        ws.terminate();
        return;
      }
      const ipKey = rateKey(clientIp(req, config.proxied));
      socketsPerIp.set(ipKey, (socketsPerIp.get(ipKey) ?? 0) + 1);
      (ws as GuardedSocket).admit(peerId, ipKey);
      wss.emit('connection', ws, req);
    });
  };
  httpServer.on('upgrade', onUpgrade);

  /** A bug in one event handler is logged, not allowed to take the whole server down. */
  const guarded = (what: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      logger.error(`signaling: ${what} failed`, errorField(error));
    }
  };

  const pushRoster = (room: string, departed?: Departure[]) => {
    // Everyone is about to reconnect: a roster of people dropping out would only be noise.
    if (draining) return;
    const members = rooms.roster(room);
    const changes = departed !== undefined && departed.length > 0 ? { departed } : {};
    const guestView: RosterMessage = { type: ROSTER_MESSAGE_TYPE, payload: { room, members, ...changes } };
    const guestData = JSON.stringify(guestView);
    let hostData: string | undefined;
    for (const { peerId, role } of members) {
      if (role === 'host') {
        const hostView: RosterMessage = {
          type: ROSTER_MESSAGE_TYPE,
          payload: { room, members, waiting: waiting.list(room), locked: rooms.isLocked(room), ...changes },
        };
        hostData ??= JSON.stringify(hostView);
      }
      const socket = clients.get(peerId)?.socket;
      if (socket?.readyState === WebSocket.OPEN) socket.send(role === 'host' ? hostData! : guestData);
    }
    deps.onRosterChange(room);
  };

  /** Takes a connected member out of the room at once and tells the others why. */
  const depart = (peerId: string, reason: Departure['reason']) => {
    clients.delete(peerId);
    const room = rooms.disconnect(peerId);
    if (room === undefined) return;
    metrics.count(`signaling.departed.${reason}`);
    pushRoster(room, [{ peerId, reason }]);
  };

  /** A LeaveMessage: the member hangs up on purpose. Their socket closes next (we close it too). */
  const leave = (peerId: string, socket: WebSocket) => {
    // Only from the socket the member is connected with now.
    if (clients.get(peerId)?.socket !== socket) return;
    depart(peerId, 'left');
    socket.close(1000, 'Left');
    setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
  };

  peerServer.on('connection', (client) =>
    guarded('connection', () => {
      const peerId = client.getId();
      const socket = client.getSocket() as WebSocket | null;
      if (socket && standby.connect(peerId)) {
        standbys.set(peerId, { client, socket });
        return;
      }
      const room = rooms.connect(peerId);
      if (room === undefined || !socket) {
        // verifyClient only lets minted identities through, so this guards against our own bugs.
        socket?.close();
        return;
      }
      clients.set(peerId, { client, socket });
      pushRoster(room);
    }),
  );
  // Fired on socket close and when PeerServer's sweeper drops a silent client.
  peerServer.on('disconnect', (client) =>
    guarded('disconnect', () => {
      const peerId = client.getId();
      if (standbys.get(peerId)?.client === client) {
        standbys.delete(peerId);
        standby.drop(peerId);
        return;
      }
      const connected = clients.get(peerId);
      // Someone who left or was removed is already gone; the id may even be connected again
      // (resumed) by now, with another client: only the current one's disconnect counts.
      if (connected?.client !== client) return;
      // The sweeper "closes" a silent socket, which ws would keep for 30 s waiting for a closing
      // handshake that a vanished browser never sends.
      if (connected.socket.readyState !== WebSocket.CLOSED) connected.socket.terminate();
      depart(peerId, 'lost');
    }),
  );
  // PeerServer forwards its WebSocket server's and sockets' errors here; an unheard 'error'
  // event would crash the process. ws reports a client's oversize or malformed frame here too,
  // after closing the socket: the client's problem, worth a count but not a log line.
  peerServer.on('error', (error: Error & { code?: string }) => {
    if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') metrics.count('signaling.closed.oversize');
    else if (error.code?.startsWith('WS_ERR_')) metrics.count('signaling.closed.protocol-error');
    else logger.error('signaling error', errorField(error));
  });

  return {
    pushRoster,
    send(peerId, message) {
      const socket = clients.get(peerId)?.socket;
      if (socket?.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(message));
      return true;
    },
    remove(peerId) {
      const socket = clients.get(peerId)?.socket;
      if (socket?.readyState === WebSocket.OPEN) {
        const removed: RemovedMessage = { type: REMOVED_MESSAGE_TYPE };
        socket.send(JSON.stringify(removed));
        socket.close(REMOVED_CLOSE_CODE, 'Removed by a host');
        metrics.count('signaling.closed.removed');
      }
      if (clients.has(peerId)) {
        depart(peerId, 'left');
        return;
      }
      // A removed member who had not connected yet loses the identity all the same.
      const room = rooms.disconnect(peerId);
      if (room !== undefined) pushRoster(room);
    },
    get socketCount() {
      return wss.clients.size;
    },
    adoptStandby(peerId, answer) {
      const connected = standbys.get(peerId);
      standbys.delete(peerId);
      if (connected?.socket.readyState !== WebSocket.OPEN) return false;
      const room = rooms.connect(peerId);
      if (room === undefined) return false;
      clients.set(peerId, connected);
      connected.socket.send(JSON.stringify(answer));
      pushRoster(room);
      return true;
    },
    endStandby(peerId, answer) {
      const socket = standbys.get(peerId)?.socket;
      standbys.delete(peerId);
      standby.drop(peerId);
      if (socket?.readyState !== WebSocket.OPEN) return;
      socket.send(JSON.stringify(answer));
      socket.close(1000, 'Standby spent');
      setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
    },
    sweepStandbys() {
      for (const peerId of standby.sweep()) {
        const socket = standbys.get(peerId)?.socket;
        standbys.delete(peerId);
        if (!socket) continue;
        metrics.count('standby.expired');
        socket.close(1000, 'Standby expired');
        setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
      }
    },
    async drain(graceMs = 2000) {
      draining = true;
      const reconnect = JSON.stringify({ type: RECONNECT_MESSAGE_TYPE } satisfies ReconnectMessage);
      for (const socket of wss.clients) {
        if (socket.readyState !== WebSocket.OPEN) continue;
        socket.send(reconnect);
        socket.close(RESTART_CLOSE_CODE, 'Server restarting');
      }
      const waitUntil = async (deadline: number) => {
        while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      };
      await waitUntil(Date.now() + graceMs);
      for (const socket of wss.clients) socket.terminate();
      // terminate() destroys the connection; the socket leaves `clients` when its close event follows.
      await waitUntil(Date.now() + 200);
    },
    close() {
      stopPeerTimers();
      httpServer.off('upgrade', onUpgrade);
      for (const socket of wss.clients) socket.terminate();
      wss.close();
    },
  };
}

/**
 * The peer id of the socket URL if its id, token and key name a minted identity. A repeated
 * parameter is refused because PeerServer reads the last value where URLSearchParams.get()
 * reads the first: the two must never disagree about who is connecting.
 */
function mintedIdentity(url: string | undefined, rooms: RoomRegistry, standby: StandbyPool, peerKey: string): string | undefined {
  const query = new URL(url ?? '', 'http://peercall.invalid').searchParams;
  const only = (name: string) => {
    const values = query.getAll(name);
    return values.length === 1 ? values[0] : undefined;
  };
  const id = only('id');
  const token = only('token');
  if (only('key') !== peerKey || id === undefined || token === undefined) return undefined;
  // The registry's own copy of the id, so that a connected socket holds no second one.
  if (rooms.verify(id, token)) return rooms.member(id)!.peerId;
  return standby.verify(id, token) ? id : undefined;
}
