import { WebSocket, type RawData } from 'ws';
import { JOIN_MESSAGE_TYPE, LEAVE_MESSAGE_TYPE, STANDBY_KEEP_MESSAGE_TYPE, STATUS_MESSAGE_TYPE, type ParticipantStatus } from '../src/core/protocol.js';
import type { Metrics } from './metrics.js';
import { readStatus, STATUS_RATE } from './participant-status.js';
import type { RoomRegistry } from './rooms.js';

/** What PeerServer relays between browsers. The server's own types (OPEN, EXPIRE…) never come from a client. */
const RELAYED_TYPES = new Set(['OFFER', 'ANSWER', 'CANDIDATE', 'LEAVE']);
/** The widget sends one every 2 s (plain PeerJS every 5 s); PeerServer only notes the time. */
const HEARTBEAT = 'HEARTBEAT';
/** A standby socket's own messages to us (see standby.ts): never relayed. */
const STANDBY_TYPES = new Set([JOIN_MESSAGE_TYPE, STANDBY_KEEP_MESSAGE_TYPE]);
/** Peer ids are server-minted UUIDs; anything longer is not one. */
const MAX_PEER_ID_CHARS = 64;
/** A socket closed for abuse that does not finish the closing handshake is cut off after this. */
const CLOSE_GRACE_MS = 1000;
/** RFC 6455: "policy violation". */
const POLICY_VIOLATION = 1008;

export type DropReason = 'not-json' | 'binary' | 'bad-shape' | 'type-not-allowed' | 'unknown-destination' | 'other-room';

/**
 * Decides on one message from `senderId`'s socket: relay it, let a heartbeat through, take the
 * sender's LeaveMessage (for us, never relayed), or drop it. A relayed message must name a
 * destination that is connected in the sender's room, so PeerServer never relays across rooms and
 * never queues for an id (it would queue for any id).
 */
export function judgeMessage(
  data: RawData,
  isBinary: boolean,
  senderId: string,
  rooms: RoomRegistry,
): 'relay' | 'heartbeat' | 'leave' | 'status' | 'standby' | DropReason {
  if (isBinary) return 'binary';
  let message: unknown;
  try {
    message = JSON.parse(String(data));
  } catch {
    return 'not-json';
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return 'bad-shape';
  const { type, dst, payload } = message as Record<string, unknown>;
  if (type === HEARTBEAT) return 'heartbeat';
  if (type === LEAVE_MESSAGE_TYPE) return 'leave';
  if (type === STATUS_MESSAGE_TYPE) return 'status';
  if (STANDBY_TYPES.has(type as string)) return 'standby';
  if (typeof type !== 'string' || !RELAYED_TYPES.has(type)) return 'type-not-allowed';
  if (typeof dst !== 'string' || dst.length > MAX_PEER_ID_CHARS) return 'bad-shape';
  // PeerJS always sends OFFER, ANSWER and CANDIDATE with an object payload.
  if (type !== 'LEAVE' && (typeof payload !== 'object' || payload === null || Array.isArray(payload))) return 'bad-shape';
  if (rooms.member(dst)?.connected !== true) return 'unknown-destination';
  return rooms.areConnectedRoommates(senderId, dst) ? 'relay' : 'other-room';
}

export interface GuardOptions {
  rooms: RoomRegistry;
  metrics: Metrics;
  /** Messages per second; bursts of twice as many. */
  messageRate: number;
  /** Called once when an admitted socket closes. */
  onClose(socket: GuardedSocket): void;
  /** The socket's member sent a LeaveMessage: they are hanging up on purpose. */
  onLeave(peerId: string, socket: GuardedSocket): void;
  /** The socket's member reported a valid ParticipantStatus (within its rate). */
  onStatus(peerId: string, socket: GuardedSocket, status: ParticipantStatus): void;
  /** A JoinMessage or StandbyKeepMessage, already parsed; only a standby socket's count. */
  onStandbyMessage(peerId: string, socket: GuardedSocket, message: { type: string; payload?: unknown }): void;
}

export interface GuardedSocket extends WebSocket {
  /** Binds the socket to the identity its upgrade presented; messages before this are dropped. */
  admit(peerId: string, ipKey: string): void;
  readonly ipKey: string;
}

/**
 * The WebSocket class our WebSocketServer builds its sockets from (ws's `WebSocket` option): it
 * puts every incoming message through judgeMessage() and the socket's rate limit before anyone
 * hears of it. PeerServer adds its own 'message' listener, which relays whatever arrives, and
 * peer has no hook in between; overriding emit() in the socket class is the seam that sees each
 * message first without forking peer. It is also the cheapest: the state is four fields on the
 * socket, not closures per socket. Only 'message' is filtered; 'close' also releases the
 * socket's place in the per-address count; every event still reaches every listener.
 */
export function guardedSocketClass({ rooms, metrics, messageRate, onClose, onLeave, onStatus, onStandbyMessage }: GuardOptions): typeof WebSocket {
  const burst = messageRate * 2;
  return class Guarded extends WebSocket implements GuardedSocket {
    private peerId: string | undefined;
    ipKey = '';
    private tokens = burst;
    private refilledAt = 0;
    private statusTokens = STATUS_RATE * 2;
    private statusRefilledAt = 0;

    admit(peerId: string, ipKey: string): void {
      this.peerId = peerId;
      this.ipKey = ipKey;
      this.refilledAt = this.statusRefilledAt = Date.now();
    }

    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'message' && !this.accepts(args[0] as RawData, args[1] === true)) return false;
      if (event === 'close' && this.peerId !== undefined) onClose(this);
      return super.emit(event, ...args);
    }

    private accepts(data: RawData, isBinary: boolean): boolean {
      if (this.peerId === undefined || this.readyState !== WebSocket.OPEN) {
        metrics.count('signaling.dropped.after-close');
        return false;
      }
      if (!this.takeToken()) {
        metrics.count('signaling.closed.rate-limited');
        closeForAbuse(this, 'Too many messages');
        return false;
      }
      const verdict = judgeMessage(data, isBinary, this.peerId, rooms);
      if (verdict === 'heartbeat') return true;
      if (verdict === 'leave') {
        // A control message for us: PeerServer never sees it, so it is never relayed.
        onLeave(this.peerId, this);
        return false;
      }
      if (verdict === 'status') {
        // Also for us only; a status beyond its own, lower rate is dropped rather than the socket closed.
        const status = readStatus(data);
        if (!status) metrics.count('signaling.dropped.bad-status');
        else if (!this.takeStatusToken()) metrics.count('signaling.dropped.status-rate');
        else onStatus(this.peerId, this, status);
        return false;
      }
      if (verdict === 'standby') {
        onStandbyMessage(this.peerId, this, JSON.parse(String(data)) as { type: string; payload?: unknown });
        return false;
      }
      if (verdict === 'relay') {
        metrics.count('signaling.relayed');
        return true;
      }
      metrics.count(`signaling.dropped.${verdict}`);
      return false;
    }

    /** A token bucket kept in two numbers. */
    private takeToken(): boolean {
      const now = Date.now();
      this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAt) / 1000) * messageRate);
      this.refilledAt = now;
      if (this.tokens < 1) return false;
      this.tokens -= 1;
      return true;
    }

    private takeStatusToken(): boolean {
      const now = Date.now();
      this.statusTokens = Math.min(STATUS_RATE * 2, this.statusTokens + ((now - this.statusRefilledAt) / 1000) * STATUS_RATE);
      this.statusRefilledAt = now;
      if (this.statusTokens < 1) return false;
      this.statusTokens -= 1;
      return true;
    }
  };
}

function closeForAbuse(ws: WebSocket, reason: string): void {
  ws.close(POLICY_VIOLATION, reason);
  // A flooding client may never answer the close frame; ws would wait 30 s for it.
  setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
}
