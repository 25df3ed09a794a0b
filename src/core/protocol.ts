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

/** Heartbeats to the server; it drops a socket silent for a few of them, so a vanished browser leaves quickly. */
export const HEARTBEAT_INTERVAL_MS = 2_000;

/**
 * What someone may do in a room. Only token rooms have hosts (the role comes from the signed join
 * token); in open rooms, which anyone may join, everyone is a `guest` and nobody has host controls.
 */
export type ParticipantRole = 'host' | 'guest';

/** One person in a room, as the server reports them. */
export interface RosterMember {
  peerId: string;
  name: string;
  /** Present in token rooms only. */
  role?: ParticipantRole;
  /** What they last reported with a StatusMessage; absent until they have. */
  status?: ParticipantStatus;
}

/** Body of `POST api/rooms/:room/join`. */
export interface JoinRequest {
  name?: string;
  /**
   * A join token (a JWT signed with HS256 by the site's backend) with the claims `room`, `role`,
   * `exp` and optionally `name` and `jti`. Required in token rooms, ignored in open rooms. Its
   * `name`, when present, replaces the requested one.
   */
  token?: string;
  /**
   * A JoinResponse `resume` ticket from earlier in this session. After the signaling socket was
   * lost (a network blip, a server restart) it asks the server for the same peer id again, so the
   * others keep the media connections they have with us. The server re-mints that peer id with a
   * fresh token when the ticket is genuine, unexpired, for this room, not revoked, and the id is
   * not connected at the moment; otherwise it answers 401 with code `resume-invalid` and the
   * client joins afresh. `token` is not needed with a valid ticket, and neither a lock nor the
   * waiting room applies; a full room still does (`room-full`), and so does the join rate limit.
   * When the refusal is because the id is still connected (the server has not yet noticed that
   * the old socket dropped), it carries `Retry-After` (the server's alive timeout, in seconds):
   * the same ticket works once that socket is dropped.
   */
  resume?: string;
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
  /** `host` only in token rooms, for a token with that role; always `guest` in open rooms. */
  role: ParticipantRole;
  /**
   * Proof that this peer id is ours, for JoinRequest `resume`: signed by the server with a secret
   * that survives restarts (see the server's --secret), bound to room, peer id, name and role,
   * valid for a few hours. Opaque to the client.
   */
  resume: string;
}

/**
 * Answer of `POST api/rooms/:room/join` (HTTP 202) for a guest in a token room with a waiting
 * room: the guest is knocking. Poll `GET api/rooms/:room/waiting/:ticket` until a host decides:
 * it answers 200 with a JoinResponse once admitted, 403 (`declined`) when declined, and 202 with
 * this body again after about 25 s without a decision (poll again at once). The ticket is the
 * guest's own secret; hosts see the knock under a different id.
 */
export interface WaitingResponse {
  status: 'waiting';
  ticket: string;
}

/** A guest knocking at the waiting room, as the room's hosts see it. */
export interface WaitingGuest {
  /** Names the knock in a host's `admit` or `decline`; not the guest's ticket. */
  id: string;
  name: string;
}

/** Every error answer of the HTTP API (4xx/5xx) carries this body. */
export interface ErrorResponse {
  message: string;
  /** Set on refusals a client may want to word itself (see ErrorCode). */
  code?: ErrorCode;
}

/**
 * Why the server refused, for clients that show their own text. HTTP status in brackets:
 * - `token-required` (401): the room needs a join token and none was sent.
 * - `token-invalid` (401): the token is malformed, forged or lacks a valid claim.
 * - `token-expired` (401): the token's `exp` has passed.
 * - `token-wrong-room` (403): the token is for another room.
 * - `token-revoked` (403): a host removed whoever joined with this token.
 * - `room-locked` (423): a host locked the room; only hosts may join.
 * - `room-full` (409): the room has its maximum number of participants.
 * - `declined` (403): a host declined the knock.
 * - `rate-limited` (429): too many requests from this address; see the Retry-After header.
 * - `origin-not-allowed` (403): the page's origin is not on the server's allowlist.
 * - `server-busy` (503): a server-wide limit is reached; try again later.
 * - `not-a-member` (401): host controls need the caller's live peer id and token in this room.
 * - `host-only` (403): only hosts of a token room may do that.
 * - `no-such-target` (404): the participant or knock named by `target` is not there.
 * - `ticket-unknown` (404): the waiting ticket is unknown or expired.
 * - `resume-invalid` (401): the resume ticket is forged, expired, revoked, for another room, or its
 *   peer id is connected right now; join afresh.
 */
export type ErrorCode =
  | 'token-required'
  | 'token-invalid'
  | 'token-expired'
  | 'token-wrong-room'
  | 'token-revoked'
  | 'room-locked'
  | 'room-full'
  | 'declined'
  | 'rate-limited'
  | 'origin-not-allowed'
  | 'server-busy'
  | 'not-a-member'
  | 'host-only'
  | 'no-such-target'
  | 'ticket-unknown'
  | 'resume-invalid';

/**
 * What a host may do, with `POST api/rooms/:room/control` (token rooms only):
 * - `lock` / `unlock`: while locked, guests' joins and knocks are refused (`room-locked`); hosts still get in.
 * - `remove` (target: peer id): the participant's identity is revoked, their socket closed (after a
 *   RemovedMessage), and their join token refused until it expires.
 * - `mute` (target: peer id): the participant receives a MuteRequestMessage; muting is up to them.
 * - `admit` / `decline` (target: a WaitingGuest id): answers a knock.
 */
export type HostAction = 'lock' | 'unlock' | 'remove' | 'mute' | 'admit' | 'decline';
export const HOST_ACTIONS: readonly HostAction[] = ['lock', 'unlock', 'remove', 'mute', 'admit', 'decline'];

/**
 * Body of `POST api/rooms/:room/control`. The caller proves who they are with the identity the
 * server minted for them (JoinResponse `peerId` and `token`), while their socket is connected.
 * Answers 204 on success, else an ErrorResponse.
 */
export interface HostControlRequest {
  peerId: string;
  token: string;
  action: HostAction;
  /** For `remove` and `mute`: a peer id in the room; for `admit` and `decline`: a WaitingGuest id. */
  target?: string;
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
  payload: {
    room: string;
    members: RosterMember[];
    /** Sent to hosts only (token rooms with a waiting room): who is knocking, oldest first. */
    waiting?: WaitingGuest[];
    /** Sent to hosts only: whether the room is locked. */
    locked?: boolean;
    /**
     * Members who were in the previous roster and are not in this one, and why: `left` when they
     * hung up (LeaveMessage before their socket closed) or were removed by a host, `lost` when
     * their socket just dropped. A `lost` member may come back with the same peer id in a moment
     * (see JoinRequest `resume`), so clients keep a still-working media connection to them.
     */
    departed?: { peerId: string; reason: 'left' | 'lost' }[];
  };
}
export const ROSTER_MESSAGE_TYPE = 'PEERCALL_ROSTER';

/**
 * Sent by a client over its own socket right before it closes it on purpose (the Leave button,
 * the page going away, the element removed), so the others can tell a hang-up from a dropped
 * connection. The server does not relay it; it removes the member at once and reports them
 * `departed` with reason `left`.
 */
export interface LeaveMessage {
  type: typeof LEAVE_MESSAGE_TYPE;
}
export const LEAVE_MESSAGE_TYPE = 'PEERCALL_LEAVE';

/**
 * Sent by the server to every socket when it is shutting down (SIGTERM), right before it closes
 * them: clients keep their media connections and reconnect (with backoff) using `resume`.
 */
export interface ReconnectMessage {
  type: typeof RECONNECT_MESSAGE_TYPE;
}
export const RECONNECT_MESSAGE_TYPE = 'PEERCALL_RECONNECT';

/** Sent by the server over a participant's socket when a host asks them to mute their microphone. */
export interface MuteRequestMessage {
  type: typeof MUTE_REQUEST_MESSAGE_TYPE;
}
export const MUTE_REQUEST_MESSAGE_TYPE = 'PEERCALL_MUTE_REQUEST';

/**
 * Sent by the server over a participant's socket just before it closes the socket because a host
 * removed them. Their identity and join token no longer work.
 */
export interface RemovedMessage {
  type: typeof REMOVED_MESSAGE_TYPE;
}
export const REMOVED_MESSAGE_TYPE = 'PEERCALL_REMOVED';

/**
 * `GET api/rooms/:room/presence` is a server-sent event stream (text/event-stream, open to every
 * origin the server's allowlist admits) that anyone may open without joining. It reveals only how many people are connected in
 * the room: one `data: {"count": N}` event at once and another on every change.
 */
export interface PresenceUpdate {
  count: number;
}

/**
 * What a member shows the others about themselves: microphone and camera on, hand raised,
 * recording the call. Self-reported display state: never a reason to allow or refuse anything.
 */
export interface ParticipantStatus {
  audio: boolean;
  video: boolean;
  hand: boolean;
  recording: boolean;
}
export const PARTICIPANT_STATUS_KEYS: readonly (keyof ParticipantStatus)[] = ['audio', 'video', 'hand', 'recording'];

/**
 * Sent by a client over its own socket whenever its ParticipantStatus changes (and again after
 * resuming, since the server forgets it with the old socket). The server keeps only the four
 * booleans (anything else drops the message), and pushes the roster with it to the room.
 */
export interface StatusMessage {
  type: typeof STATUS_MESSAGE_TYPE;
  payload: ParticipantStatus;
}
export const STATUS_MESSAGE_TYPE = 'PEERCALL_STATUS';

/**
 * Answer of `POST api/standby`: an identity that belongs to no room yet, so that the lobby can open
 * its signaling socket (`…/peerjs?key=<key>&id=<peerId>&token=<token>`) before the visitor clicks
 * Join. A standby socket is in no roster, presence count or waiting list, and the server relays
 * nothing from or to it. Join then takes one JoinMessage over it instead of `POST …/join` plus a
 * socket. The server closes a standby socket that sent no StandbyKeepMessage for `keepMs` × 3,
 * and refuses standbys beyond its per-address and server-wide caps (429, 503): the client then
 * simply joins over HTTP. Servers without standby answer 404.
 */
export interface StandbyResponse {
  peerId: string;
  token: string;
  peer: { path: string; key: string };
  /** Send a StandbyKeepMessage at least this often while the lobby is up. */
  keepMs: number;
  /**
   * The ICE servers every join on this server gets, when they are public (STUN only, or none): the
   * lobby may then prepare its first call's offer with them before the click. Absent when a join's
   * would carry credentials (TURN), which the server gives only to members.
   */
  iceServers?: RTCIceServerLike[];
}

/** Sent by the client over a standby socket while its lobby is up; never relayed. */
export interface StandbyKeepMessage {
  type: typeof STANDBY_KEEP_MESSAGE_TYPE;
}
export const STANDBY_KEEP_MESSAGE_TYPE = 'PEERCALL_STANDBY_KEEP';

/**
 * Join over a standby socket: the body of `POST api/rooms/:room/join` plus the room (a resume
 * ticket is not accepted here). The server runs exactly the checks of the HTTP join, with the same
 * rate limit, and answers with one JoinAnswerMessage. One attempt per standby: after a refusal or a
 * knock (202) the server closes the socket; after a 200 the socket is the member's signaling socket,
 * the answer's `peerId` is the standby's, and the first RosterMessage follows.
 */
export interface JoinMessage {
  type: typeof JOIN_MESSAGE_TYPE;
  payload: Omit<JoinRequest, 'resume'> & { room: string };
}
export const JOIN_MESSAGE_TYPE = 'PEERCALL_JOIN';

/** The server's answer to a JoinMessage: `status` and `body` as `POST …/join` would have answered. */
export interface JoinAnswerMessage {
  type: typeof JOIN_ANSWER_MESSAGE_TYPE;
  payload: { status: number; body: JoinResponse | WaitingResponse | ErrorResponse };
}
export const JOIN_ANSWER_MESSAGE_TYPE = 'PEERCALL_JOIN_ANSWER';
