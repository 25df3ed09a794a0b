import { Peer, type CallOption, type DataConnection, type MediaConnection, type PeerError } from 'peerjs';
import { CallError, signalingError } from './errors.js';
import {
  HEARTBEAT_INTERVAL_MS,
  JOIN_ANSWER_MESSAGE_TYPE,
  LEAVE_MESSAGE_TYPE,
  MUTE_REQUEST_MESSAGE_TYPE,
  REMOVED_MESSAGE_TYPE,
  ROSTER_MESSAGE_TYPE,
  STATUS_MESSAGE_TYPE,
  type JoinAnswerMessage,
  type ParticipantStatus,
  type RosterMessage,
} from './protocol.js';
import type { ServerEndpoints } from './room-client.js';
import type { ConnectionConfig, PreparedOffer } from './prepared-offer.js';
import { TypedEventTarget } from './typed-event-target.js';

/** How long the signaling socket may take to open before we give up. */
const OPEN_TIMEOUT_MS = 10_000;
/** createOffer() options (legacy, still honoured by every browser) for a caller that sends nothing. */
const RECEIVE_ONLY_OFFER = { offerToReceiveAudio: true, offerToReceiveVideo: true };
/** PeerJS error types that mean "the socket went away"; PeerJS disconnects (keeping media) after each. */
const SOCKET_LOSS_ERRORS = new Set(['network', 'socket-error', 'socket-closed', 'disconnected']);
/** A media path that stays interrupted this long is given up, so that the call can be placed anew. */
const INTERRUPTED_GRACE_MS = 4_000;
/** A new media connection that has not connected by then will not; give it up and try again. */
const CONNECT_TIMEOUT_MS = 15_000;

/** The identity the server minted for us at join. */
export interface SignalingIdentity {
  peerId: string;
  token: string;
  key: string;
  iceServers: RTCIceServer[];
  /** `relay` sends media only through TURN, hiding participants' addresses from each other. */
  iceTransportPolicy: RTCIceTransportPolicy;
}

export interface MediaLinkEventMap {
  /** The remote side's stream arrived (may fire again when tracks are added). */
  stream: CustomEvent<{ stream: MediaStream }>;
  /** The media path came up (or back). */
  connected: CustomEvent<Record<string, never>>;
  /** The media path stopped answering; it may come back by itself within a few seconds. */
  interrupted: CustomEvent<Record<string, never>>;
  /** The media connection ended, from either side or because its path failed. */
  closed: CustomEvent<Record<string, never>>;
}

/** One media connection with one remote peer; the only view of PeerJS's MediaConnection we use. */
export class MediaLink extends TypedEventTarget<MediaLinkEventMap> {
  readonly peerId: string;
  private readonly connection: MediaConnection;
  private closed = false;
  private giveUpTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(connection: MediaConnection) {
    super();
    this.connection = connection;
    this.peerId = connection.peer;
    connection.on('stream', (stream) => this.emit('stream', { stream }));
    connection.on('close', () => this.markClosed());
    connection.on('error', () => this.close());
  }

  /** Accepts an incoming call, sending our stream back. */
  answer(stream: MediaStream): void {
    this.connection.answer(stream);
    this.watchPath();
  }

  /** The RTCPeerConnection underneath (for stats), once PeerJS has created it. */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.connection.peerConnection ?? undefined;
  }

  close(): void {
    if (this.closed) return;
    this.connection.close();
    this.markClosed();
  }

  /**
   * Follows the path's state. PeerJS does not always report a remote close, and never restarts ICE,
   * so a failed path, one interrupted for longer than a short grace, or one that never connects is
   * closed here: the call then places the connection again.
   */
  watchPath(): void {
    const pc = this.connection.peerConnection;
    if (!pc) return;
    this.giveUpAfter(CONNECT_TIMEOUT_MS);
    pc.addEventListener('connectionstatechange', () => {
      switch (pc.connectionState) {
        case 'connected':
          clearTimeout(this.giveUpTimer);
          this.emit('connected', {});
          break;
        case 'disconnected':
          this.giveUpAfter(INTERRUPTED_GRACE_MS);
          this.emit('interrupted', {});
          break;
        case 'failed':
        case 'closed':
          this.close();
          break;
      }
    });
  }

  private giveUpAfter(ms: number): void {
    clearTimeout(this.giveUpTimer);
    this.giveUpTimer = setTimeout(() => this.close(), ms);
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.giveUpTimer);
    this.emit('closed', {});
  }
}

export interface PeerTransportEventMap {
  /** The server's current list of connected members of our room (ourselves included), and for hosts the room's state. */
  roster: CustomEvent<RosterMessage['payload']>;
  /** A host asked us to mute. */
  mutedbyhost: CustomEvent<Record<string, never>>;
  /** A host removed us; the server closes our socket next. */
  removed: CustomEvent<Record<string, never>>;
  /** A remote peer is calling us; answer or close the link. */
  incoming: CustomEvent<{ link: MediaLink }>;
  /** A remote peer opened a data connection to us (chat, files); wrap it in a DataLink or close it. */
  incomingdata: CustomEvent<{ connection: DataConnection }>;
  /** The signaling socket dropped; media connections go on. Call `reconnect()` to resume. */
  interrupted: CustomEvent<Record<string, never>>;
  /** The signaling connection is gone for good. */
  lost: CustomEvent<{ error: CallError }>;
  /** The server's answer to a join sent over this (standby) socket. */
  joinanswer: CustomEvent<JoinAnswerMessage['payload']>;
}

/**
 * Our signaling connection: a PeerJS Peer bound to the identity the server minted, never to
 * PeerJS's public cloud or its default STUN/TURN hosts. It turns PeerJS's emitter events and the
 * server's roster messages into typed DOM events.
 */
export class PeerTransport extends TypedEventTarget<PeerTransportEventMap> {
  private readonly peer: Peer;
  private destroyed = false;
  /** While reconnect() waits, its own promise reports the outcome instead of the events below. */
  private reconnecting = false;
  /** The lobby's offer for the first call we place (see PreparedOffer). */
  private prepared: PreparedOffer | null = null;

  private constructor(peer: Peer) {
    super();
    this.peer = peer;
    // The server speaks to us on PeerJS's own socket; PeerJS ignores message types it does not know.
    peer.socket.on('message', (message: { type?: string }) => {
      switch (message.type) {
        case ROSTER_MESSAGE_TYPE:
          this.emit('roster', (message as RosterMessage).payload);
          break;
        case MUTE_REQUEST_MESSAGE_TYPE:
          this.emit('mutedbyhost', {});
          break;
        case REMOVED_MESSAGE_TYPE:
          this.emit('removed', {});
          break;
        case JOIN_ANSWER_MESSAGE_TYPE:
          this.emit('joinanswer', (message as JoinAnswerMessage).payload);
      }
    });
    peer.on('call', (connection) => this.emit('incoming', { link: new MediaLink(connection) }));
    peer.on('connection', (connection) => this.emit('incomingdata', { connection }));
  }

  /** Opens the signaling socket and resolves once the server has accepted our identity. */
  static async open(endpoints: ServerEndpoints, identity: SignalingIdentity): Promise<PeerTransport> {
    const peer = new Peer(identity.peerId, {
      ...endpoints.peer,
      key: identity.key,
      token: identity.token,
      config: { iceServers: identity.iceServers, iceTransportPolicy: identity.iceTransportPolicy },
      pingInterval: HEARTBEAT_INTERVAL_MS,
      debug: 0,
    });
    const transport = new PeerTransport(peer);
    try {
      await transport.untilOpen();
    } catch (error) {
      peer.destroy();
      throw error;
    }
    transport.watchAfterOpen();
    return transport;
  }

  /**
   * Opens the socket again after an interruption, for the same peer id with the fresh token and
   * ICE servers the server gave us on resuming. The Peer and its media connections stay as they
   * are. Rejects (leaving the socket closed, ready for another try) when the server refuses or
   * does not answer in time.
   */
  async reconnect(token: string, iceServers: RTCIceServer[]): Promise<void> {
    // PeerJS reopens with the token in its options, and gives new connections its config.
    Object.assign(this.peer.options, { token });
    if (this.peer.options.config) this.peer.options.config.iceServers = iceServers;
    this.reconnecting = true;
    try {
      const opened = this.untilOpen();
      this.peer.reconnect();
      await opened;
    } finally {
      this.reconnecting = false;
    }
  }

  /** Sends the server one of our own messages (never relayed); dropped while the socket is not open. */
  send(message: object): void {
    if (!this.destroyed && this.peer.open) this.peer.socket.send(message);
  }

  /** The ICE servers (and policy) for the media connections from now on, once the room's are known. */
  useIceServers(iceServers: RTCIceServer[], iceTransportPolicy: RTCIceTransportPolicy): void {
    Object.assign(this.peer.options.config!, { iceServers, iceTransportPolicy });
  }

  /**
   * An offer the lobby made for the first call we place, used if it fits (see PreparedOffer); null
   * lets an unused one go, and our calls make their own.
   */
  usePreparedOffer(prepared: PreparedOffer | null): void {
    this.prepared?.close();
    this.prepared = prepared;
  }

  /** Tells the server we are leaving on purpose (so the others see a hang-up, not a drop), then closes. */
  leave(): void {
    this.send({ type: LEAVE_MESSAGE_TYPE });
    this.destroy();
  }

  /** Tells the server our status, for the room's roster (dropped while the socket is down: resuming sends it again). */
  sendStatus(payload: ParticipantStatus): void {
    if (!this.destroyed && this.peer.open) this.peer.socket.send({ type: STATUS_MESSAGE_TYPE, payload });
  }

  /** Resolves at the server's OPEN; rejects on a refusal, a dropped socket or a timeout. */
  private untilOpen(): Promise<void> {
    const peer = this.peer;
    return new Promise((resolve, reject) => {
      const finish = (error?: CallError) => {
        clearTimeout(timer);
        peer.off('open', onOpen);
        peer.off('error', onError);
        peer.off('disconnected', onDisconnected);
        if (error) reject(error);
        else resolve();
      };
      const onOpen = () => finish();
      const onError = (error: PeerError<string>) => finish(signalingError(error.type, error.message, error));
      const onDisconnected = () => finish(signalingError('disconnected', 'The call server closed the connection.'));
      const timer = setTimeout(
        () => finish(new CallError('server-unreachable', 'The call server did not accept the connection in time.')),
        OPEN_TIMEOUT_MS,
      );
      peer.on('open', onOpen);
      peer.on('error', onError);
      peer.on('disconnected', onDisconnected);
    });
  }

  get peerId(): string {
    return this.peer.id;
  }

  /** Calls a member of our room with our stream. */
  call(peerId: string, stream: MediaStream): MediaLink {
    // With nothing to send (watching only) the offer would carry no media sections at all; PeerJS
    // hands these createOffer() options through, so the offer still asks to receive both kinds.
    const receiveAnyway = (stream.getTracks().length ? {} : { constraints: RECEIVE_ONLY_OFFER }) as CallOption;
    const place = () => this.peer.call(peerId, stream, receiveAnyway);
    const prepared = this.prepared;
    this.prepared = null;
    const link = new MediaLink(prepared ? prepared.place(stream, this.peer.options.config as ConnectionConfig, place) : place());
    link.watchPath();
    return link;
  }

  /** Opens a reliable data connection to a member of our room, in raw frames (see DataLink). */
  connectData(peerId: string): DataConnection {
    return this.peer.connect(peerId, { reliable: true, serialization: 'raw' });
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.usePreparedOffer(null);
    this.peer.destroy();
  }

  private watchAfterOpen(): void {
    this.peer.on('error', (error) => {
      // A peer that left between the roster and our call: its link is closed by the roster diff.
      if (error.type === 'peer-unavailable') return;
      // A lost socket: PeerJS disconnects next, which reports it below.
      if (SOCKET_LOSS_ERRORS.has(error.type) || this.reconnecting) return;
      this.lose(signalingError(error.type, error.message, error));
    });
    this.peer.on('disconnected', () => {
      if (!this.destroyed && !this.reconnecting) this.emit('interrupted', {});
    });
  }

  private lose(error: CallError): void {
    if (this.destroyed) return;
    this.destroy();
    this.emit('lost', { error });
  }
}
