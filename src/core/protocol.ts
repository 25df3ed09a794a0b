/**
 * The wire contract between the peercall server and the browser client.
 * Both sides import this file, so a change here is a protocol change.
 * It holds types and constants only: no I/O, no DOM, no Node APIs.
 */

/** Room names: 1–64 characters of A–Z, a–z, 0–9, `_` and `-`. */
export const ROOM_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Display names are trimmed, stripped of control characters and cut to this many characters. */
export const MAX_DISPLAY_NAME_LENGTH = 64;

/** The name shown for someone who joined without one. */
export const DEFAULT_DISPLAY_NAME = 'Guest';

/** Where the room API and the PeerServer live, relative to the server's base URL. */
export const API_PATH = 'api/';
export const PEER_PATH = 'peerjs';

/** One person in a room, as the server reports them. */
export interface RosterMember {
  peerId: string;
  name: string;
}

/** Body of `POST api/rooms/:room/join`. */
export interface JoinRequest {
  name?: string;
}

/** Answer of `POST api/rooms/:room/join` (HTTP 200). */
export interface JoinResponse {
  room: string;
  /** The identity the server minted: only this id/token pair may open the signaling socket. */
  peerId: string;
  token: string;
  /** The display name after the server's clean-up. */
  name: string;
  /** Members connected when the join was answered (the caller excluded). */
  roster: RosterMember[];
  /** Passed unchanged to RTCPeerConnection; empty unless the server is configured with STUN/TURN. */
  iceServers: RTCIceServerLike[];
  /** PeerServer settings: the client opens `<base>/<path>/peerjs?key=<key>&id=…&token=…`. */
  peer: { path: string; key: string };
}

/** Every error answer of the HTTP API (4xx/5xx) carries this body. */
export interface ErrorResponse {
  message: string;
}

/** Structural copy of the DOM's RTCIceServer, so the server compiles without DOM types. */
export interface RTCIceServerLike {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/**
 * Sent by the server over the member's PeerJS socket: first right after the socket opens,
 * then on every change of the room's membership. Always the full list of connected members,
 * the receiver included, so a client can simply diff it against the previous one.
 */
export interface RosterMessage {
  type: typeof ROSTER_MESSAGE_TYPE;
  payload: { room: string; members: RosterMember[] };
}
export const ROSTER_MESSAGE_TYPE = 'PEERCALL_ROSTER';

/**
 * `GET api/rooms/:room/presence` is a server-sent event stream (text/event-stream, open to every
 * origin) that anyone may open without joining. It reveals only how many people are connected in
 * the room: one `data: {"count": N}` event at once and another on every change.
 */
export interface PresenceUpdate {
  count: number;
}
