import { whenIdle } from '../internal/when-idle.js';
import { PeerTransport } from './peer-transport.js';
import { PreparedOffer, warmUpWebRtc } from './prepared-offer.js';
import {
  API_PATH,
  JOIN_MESSAGE_TYPE,
  STANDBY_KEEP_MESSAGE_TYPE,
  type ErrorResponse,
  type JoinMessage,
  type JoinRequest,
  type JoinResponse,
  type StandbyResponse,
  type WaitingResponse,
} from './protocol.js';
import { refusalOf, resolveServer } from './room-client.js';

/**
 * A signaling socket opened while the lobby is up, before the visitor clicks Join (see the
 * protocol's StandbyResponse): the server knows it but lets it into no room, so Join costs one
 * message over an open socket instead of an HTTP request and then a socket. Spent by one join.
 */
export class Standby {
  private live = true;
  /** The member's signaling transport, once a join over this standby was answered 200. */
  adopted: PeerTransport | null = null;
  private readonly keepTimer: ReturnType<typeof setInterval>;
  /** The first call's offer, made for the lobby's stream (see PreparedOffer). */
  private prepared: PreparedOffer | null = null;
  /** The stream the latest `prepareCall` asked for; an offer made for another one is let go. */
  private preparingFor: MediaStream | null = null;

  private constructor(
    readonly server: string,
    readonly transport: PeerTransport,
    keepMs: number,
    /** The ICE servers a join on this server gets, when they are public (see StandbyResponse). */
    private readonly iceServers: RTCIceServer[] | undefined,
    private readonly onEnd: () => void,
  ) {
    this.keepTimer = setInterval(() => transport.send({ type: STANDBY_KEEP_MESSAGE_TYPE }), keepMs);
    // The server closed it (expired, restarting) or the network dropped it.
    const end = () => this.close();
    transport.addEventListener('interrupted', end);
    transport.addEventListener('lost', end);
  }

  /**
   * Asks `server` for a standby identity and opens its socket; null from a server without standby
   * (an older one answers 404). Rejects when it has none to give now (its caps answer 429 or 503),
   * or the socket does not open. `onEnd` runs once the standby is no longer usable, unless it was
   * spent on a join.
   */
  static async open(server: string, onEnd: () => void): Promise<Standby | null> {
    const endpoints = resolveServer(server);
    const response = await fetch(new URL(`${API_PATH}standby`, endpoints.base), { method: 'POST' });
    if (response.status === 404) return null;
    if (!response.ok) throw refusalOf(response.status, {}, response.statusText);
    const answer = (await response.json()) as StandbyResponse;
    const transport = await PeerTransport.open(endpoints, {
      peerId: answer.peerId,
      token: answer.token,
      key: answer.peer.key,
      iceServers: [],
      iceTransportPolicy: 'all',
    });
    return new Standby(server, transport, answer.keepMs, answer.iceServers as RTCIceServer[] | undefined, onEnd);
  }

  /**
   * Prepares, once the page is idle, the offer of the first call a join over this standby places,
   * sending `stream` (the lobby's preview, which the call takes over); null lets a prepared one go.
   * Only where the server told us its ICE servers, so that the offer's candidates are the call's.
   */
  prepareCall(stream: MediaStream | null): void {
    if (stream === this.preparingFor || !this.iceServers) return;
    this.preparingFor = stream;
    this.prepared?.close();
    this.prepared = null;
    if (!stream?.getTracks().length) return;
    const config = { iceServers: this.iceServers, iceTransportPolicy: 'all' as const };
    whenIdle(() => {
      if (!this.live || this.preparingFor !== stream) return;
      PreparedOffer.make(stream, config).then(
        (prepared) => {
          if (this.live && this.preparingFor === stream) this.prepared = prepared;
          else prepared.close();
        },
        // The call makes its own connection at the click, and reports there what fails.
        () => {},
      );
    }, 2000);
  }

  /** Open and not spent: a join may go through it. */
  get usable(): boolean {
    return this.live;
  }

  /**
   * Joins `room` over the socket; resolves as `POST …/join` would. On a 200, `adopted` is the
   * member's transport from then on (the caller owns it, set up with the room's ICE servers and
   * `iceTransportPolicy`; the roster follows in a later message); after anything else the socket is
   * closed. When the socket drops before the server answers, joins with `overHttp` instead.
   */
  join(
    room: string,
    request: Omit<JoinRequest, 'resume'>,
    iceTransportPolicy: RTCIceTransportPolicy,
    overHttp: () => Promise<JoinResponse | WaitingResponse>,
  ): Promise<JoinResponse | WaitingResponse> {
    this.live = false;
    clearInterval(this.keepTimer);
    const transport = this.transport;
    return new Promise((resolve, reject) => {
      const settle = (done: () => void) => {
        transport.removeEventListener('joinanswer', onAnswer);
        transport.removeEventListener('interrupted', onGone);
        transport.removeEventListener('lost', onGone);
        done();
      };
      const onAnswer = ({ detail: { status, body } }: CustomEvent<{ status: number; body: unknown }>) =>
        settle(() => {
          if (status === 200) {
            transport.useIceServers((body as JoinResponse).iceServers as RTCIceServer[], iceTransportPolicy);
            transport.usePreparedOffer(this.takePrepared());
            this.adopted = transport;
            return resolve(body as JoinResponse);
          }
          this.takePrepared()?.close();
          transport.destroy();
          if (status === 202) resolve(body as WaitingResponse);
          else reject(refusalOf(status, body as Partial<ErrorResponse>));
        });
      const onGone = () =>
        settle(() => {
          this.takePrepared()?.close();
          transport.destroy();
          resolve(overHttp());
        });
      transport.addEventListener('joinanswer', onAnswer);
      transport.addEventListener('interrupted', onGone);
      transport.addEventListener('lost', onGone);
      const message: JoinMessage = { type: JOIN_MESSAGE_TYPE, payload: { room, ...request } };
      transport.send(message);
    });
  }

  /** Lets an unspent standby go (the lobby closed); a spent one belongs to its join. */
  close(): void {
    if (!this.live) return;
    this.live = false;
    clearInterval(this.keepTimer);
    this.takePrepared()?.close();
    this.transport.destroy();
    this.onEnd();
  }

  private takePrepared(): PreparedOffer | null {
    const prepared = this.prepared;
    this.prepared = null;
    this.preparingFor = null;
    return prepared;
  }
}

/** After a standby ended (expired, dropped) with the lobby still up, this long until the next. */
const REOPEN_DELAY_MS = 5_000;
/** After the server gave none (its caps, a restart, the network), this long until asking again. */
const RETRY_DELAY_MS = 30_000;

/** How long a join waits for a standby still opening at the click before it goes over HTTP instead. */
const CLAIM_WAIT_MS = 1_500;

/** A standby for a join: at hand, still opening (resolves with it, or null to join over HTTP), or none. */
export type StandbyOffer = Standby | Promise<Standby | null> | null;

/** A standby being opened; a join that wants it sets `claim`, which then gets it instead of the keeper. */
interface Attempt {
  server: string;
  claim?: (standby: Standby | null) => void;
}

/**
 * Keeps one standby open while a lobby is up. Without one, joins simply go over HTTP; a server
 * without standby is not asked again.
 */
export class StandbyKeeper {
  private standby: Standby | null = null;
  /** The server a standby is wanted for while the lobby is up; null otherwise. */
  private wanted: string | null = null;
  private opening: Attempt | null = null;
  private unavailable = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The lobby's live preview, for the first call's offer (see `Standby.prepareCall`). */
  private stream: MediaStream | null = null;

  /**
   * Opens a standby on `server` (the lobby is up) or closes it (`null`: it is not). `stream` is the
   * lobby's live preview, which a join takes over: the standby prepares the first call's offer
   * with it (see `Standby.prepareCall`).
   */
  sync(server: string | null, stream: MediaStream | null = null): void {
    this.stream = stream;
    if (server !== this.wanted) {
      this.wanted = server;
      if (server !== null) whenIdle(() => void warmUpWebRtc(), 2000);
      clearTimeout(this.timer);
      if (this.standby && this.standby.server !== server) {
        const old = this.standby;
        this.standby = null;
        old.close();
      }
      this.openWanted();
    }
    this.standby?.prepareCall(stream);
  }

  /**
   * Hands the standby for `server` to a join, which then owns it. One still opening (the visitor
   * clicked early) is worth a short wait: what is left of it is never more than a join over HTTP
   * would do from scratch.
   */
  take(server: string): StandbyOffer {
    const standby = this.standby?.server === server ? this.standby : null;
    if (standby) this.standby = null;
    const attempt = this.opening;
    if (standby || attempt?.server !== server) return standby;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        attempt.claim = (late) => late?.close();
        resolve(null);
      }, CLAIM_WAIT_MS);
      attempt.claim = (opened) => {
        clearTimeout(timer);
        resolve(opened);
      };
    });
  }

  private async open(server: string): Promise<void> {
    const attempt: Attempt = { server };
    this.opening = attempt;
    let standby: Standby | null = null;
    let failed = false;
    try {
      standby = await Standby.open(server, () => {
        if (this.standby !== standby) return;
        this.standby = null;
        this.retryIn(REOPEN_DELAY_MS);
      });
    } catch {
      failed = true;
    } finally {
      this.opening = null;
    }
    if (!standby && !failed) this.unavailable = true;
    if (attempt.claim) return attempt.claim(standby);
    if (failed) return this.retryIn(RETRY_DELAY_MS);
    if (!standby) return;
    if (this.wanted !== server) return standby.close();
    this.standby = standby;
    standby.prepareCall(this.stream);
    // A join over a standby sets up the chat right after the answer (see Call.join): have it ready.
    void import('./data-hub.js').catch(() => {});
  }

  private openWanted(): void {
    const server = this.wanted;
    if (server !== null && !this.standby && !this.opening && !this.unavailable) void this.open(server);
  }

  private retryIn(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.openWanted(), ms);
  }
}
