import type { RawData, WebSocket } from 'ws';
import type { Metrics } from './metrics.js';
import { TokenBucket } from './rate-limit.js';
import type { RoomRegistry } from './rooms.js';

/** What PeerServer relays between browsers. The server's own types (OPEN, EXPIRE…) never come from a client. */
const RELAYED_TYPES = new Set(['OFFER', 'ANSWER', 'CANDIDATE', 'LEAVE']);
/** PeerJS sends one every 5 s; PeerServer only notes the time. */
const HEARTBEAT = 'HEARTBEAT';
/** Peer ids are server-minted UUIDs; anything longer is not one. */
const MAX_PEER_ID_CHARS = 64;
/** A socket closed for abuse that does not finish the closing handshake is cut off after this. */
const CLOSE_GRACE_MS = 1000;
/** RFC 6455: "policy violation". */
const POLICY_VIOLATION = 1008;

export type DropReason = 'not-json' | 'binary' | 'bad-shape' | 'type-not-allowed' | 'unknown-destination' | 'other-room';

/**
 * Decides on one message from `senderId`'s socket: relay it, let a heartbeat through, or drop it.
 * A relayed message must name a destination that is connected in the sender's room, so
 * PeerServer never relays across rooms and never queues for an id (it would queue for any id).
 */
export function judgeMessage(
  data: RawData,
  isBinary: boolean,
  senderId: string,
  rooms: RoomRegistry,
): 'relay' | 'heartbeat' | DropReason {
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
}

/**
 * Puts every message from the socket of `peerId` through judgeMessage() and the socket's rate
 * limit before PeerServer hears of it. It wraps the socket's emit() because PeerServer adds its
 * own 'message' listener, which relays whatever arrives, and peer offers no hook in between;
 * replacing emit on this one socket, before PeerServer gets it, is the smallest seam that sees
 * each message first without forking peer. Only 'message' is filtered; every other event passes.
 */
export function guardSocket(ws: WebSocket, peerId: string, { rooms, metrics, messageRate }: GuardOptions): void {
  const bucket = new TokenBucket(messageRate * 2, messageRate, Date.now());
  const emit = ws.emit.bind(ws);
  ws.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event !== 'message') return emit(event, ...args);
    if (ws.readyState !== ws.OPEN) {
      metrics.count('signaling.dropped.after-close');
      return false;
    }
    if (!bucket.take(Date.now())) {
      metrics.count('signaling.closed.rate-limited');
      closeForAbuse(ws, 'Too many messages');
      return false;
    }
    const verdict = judgeMessage(args[0] as RawData, args[1] === true, peerId, rooms);
    if (verdict === 'heartbeat') return emit(event, ...args);
    if (verdict === 'relay') {
      metrics.count('signaling.relayed');
      return emit(event, ...args);
    }
    metrics.count(`signaling.dropped.${verdict}`);
    return false;
  };
  // ws closes the socket itself on an oversize or malformed frame and reports it here.
  ws.on('error', (error: Error & { code?: string }) => {
    metrics.count(error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'signaling.closed.oversize' : 'signaling.closed.protocol-error');
  });
}

function closeForAbuse(ws: WebSocket, reason: string): void {
  ws.close(POLICY_VIOLATION, reason);
  // A flooding client may never answer the close frame; ws would wait 30 s for it.
  setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
}
