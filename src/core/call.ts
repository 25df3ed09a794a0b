import { canTransition, type CallState } from './call-state.js';
import type { ChatMessage, DataHub, DataOptions, FileTransfer, Reaction } from './data-hub.js';
import { CallError, toCallError } from './errors.js';
import { getLocalMedia, isKindEnabled, setTracksEnabled, stopStream, type LocalMedia, type MediaKind } from './media.js';
import type { MeshGovernor } from './mesh-governor.js';
import { negotiationHold } from './negotiation-hold.js';
import type { Participant, ParticipantConnection } from './participant.js';
import { MediaLink, PeerTransport } from './peer-transport.js';
import type {
  HostAction,
  JoinResponse,
  ParticipantRole,
  ParticipantStatus,
  RosterMessage,
  WaitingGuest,
  WaitingResponse,
} from './protocol.js';
import {
  invalidRoomError,
  isValidRoomName,
  isWaiting,
  requestJoin,
  resolveServer,
  sendHostControl,
  waitForAdmission,
  type ServerEndpoints,
} from './room-client.js';
import type { Standby, StandbyOffer } from './standby.js';
import { TypedEventTarget } from './typed-event-target.js';
import type { DeviceChoice, DeviceSwitch, TrackChangeReason } from './device-switch.js';

/**
 * Why a session ended: `user` hung up, `disconnected` lost the server, `error` failed,
 * `removed` (the element left the page), `removed-by-host` (a host took us out of the room).
 */
export type LeaveReason = 'user' | 'disconnected' | 'error' | 'removed' | 'removed-by-host';

/** What a host sees of their room: whether it is locked and who is knocking. */
export interface RoomControlState {
  role: ParticipantRole;
  locked: boolean;
  knocking: readonly WaitingGuest[];
}

export interface CallEventMap {
  statechange: CustomEvent<{ state: CallState; previous: CallState }>;
  joined: CustomEvent<{ room: string; peerId: string }>;
  left: CustomEvent<{ room: string; reason: LeaveReason }>;
  participantjoined: CustomEvent<{ participant: Participant }>;
  participantleft: CustomEvent<{ participant: Participant }>;
  /** A participant's stream or name changed. */
  participantchange: CustomEvent<{ participant: Participant }>;
  mediachange: CustomEvent<{ audio: boolean; video: boolean }>;
  /** Someone's reported status changed, ours included (hand, recording; our microphone and camera are `mediachange`). */
  statuschange: CustomEvent<{ participant: Participant; previous?: ParticipantStatus }>;
  /** Our role, the room's lock, or the waiting room's knocks changed (the last two reach hosts only). */
  roomcontrolchange: CustomEvent<RoomControlState>;
  /** A host asked us to mute; the microphone has been turned off. */
  mutedbyhost: CustomEvent<Record<string, never>>;
  /** Our microphone or camera track was replaced: another device, a fallback for a lost one, or a screen share. */
  trackchange: CustomEvent<{ kind: MediaKind; track: MediaStreamTrack; reason: TrackChangeReason }>;
  /** We started or stopped sharing a screen. */
  screensharechange: CustomEvent<{ sharing: boolean }>;
  error: CustomEvent<{ error: CallError }>;
  /** A chat message, ours or another member's, live or from the history a member handed us (see `data`). */
  chatmessage: CustomEvent<{ message: ChatMessage }>;
  /** Someone (or we) sent a reaction. */
  reaction: CustomEvent<{ from: string; name: string; emoji: Reaction; local: boolean }>;
  /** A file transfer to or from one peer started, progressed or ended. */
  fileprogress: CustomEvent<{ transfer: FileTransfer }>;
  /** A file from a peer arrived whole; `transfer.url` downloads it. */
  filereceived: CustomEvent<{ transfer: FileTransfer }>;
}

export interface CallOptions {
  /** Cap each outgoing video for the room size and the machine's CPU (default true). */
  governor?: boolean;
}

export interface JoinOptions {
  room: string;
  name?: string;
  /** Start with the microphone on (default true). */
  audio?: boolean;
  /** Start with the camera on (default true). */
  video?: boolean;
  /** A join token from the site's backend; required in the server's token rooms. */
  token?: string;
  /** Send media only through the server's TURN relays, so participants never learn each other's IP addresses. */
  relayOnly?: boolean;
  /**
   * Camera and microphone already captured (e.g. by a pre-join preview); the call then skips its
   * own getUserMedia and takes ownership: the tracks stop when the call ends.
   */
  localStream?: MediaStream;
  /**
   * A signaling socket the lobby opened ahead of the click (or is still opening): the join goes
   * over it while it is usable, and over HTTP otherwise (see `Standby.join`).
   */
  standby?: StandbyOffer;
  /** Chat, files and reactions (`call.data`), fetched as a separate chunk while joining; none without it. */
  data?: DataOptions;
}

/** First and longest wait before calling a peer again after the media connection to them ended. */
const RECALL_FIRST_DELAY_MS = 500;
const RECALL_MAX_DELAY_MS = 8_000;
/** First and longest wait between attempts to resume a dropped server connection, and when to give up. */
const RESUME_FIRST_DELAY_MS = 250;
const RESUME_MAX_DELAY_MS = 4_000;
const RESUME_GIVE_UP_MS = 120_000;
/** How long a member whose socket dropped, but whose media still flows, may stay off the roster. */
const ABSENT_GRACE_MS = 60_000;
/**
 * Status changes within this are sent as one (the last), keeping well under the server's rate
 * of 4 a second however fast someone toggles.
 */
const STATUS_DELAY_MS = 300;
/** Refusals that no retry will change. */
const FINAL_RESUME_ERRORS = new Set(['removed', 'forbidden', 'unauthorized', 'signaling-lost', 'room-full']);

type RosterPayload = RosterMessage['payload'];

interface RemotePeer {
  peerId: string;
  name: string;
  role: ParticipantRole;
  stream: MediaStream | null;
  link: MediaLink | null;
  connection: ParticipantConnection;
  status?: ParticipantStatus;
  /** We placed the call to them, so we are the one who places it again when it drops. */
  initiator: boolean;
  recallDelay: number;
  recallTimer: ReturnType<typeof setTimeout> | undefined;
  /** Off the roster because their socket dropped, while media with them still flows. */
  absentTimer: ReturnType<typeof setTimeout> | undefined;
}

/** Everything that belongs to one join; replaced wholesale on the next join. */
interface Session {
  room: string;
  name: string;
  /** The identity the server minted for us; it also proves who we are to the host-control API. */
  identity: { peerId: string; token: string } | null;
  /** The server's ticket for getting the same peer id back after the socket dropped. */
  resume: string | null;
  endpoints: ServerEndpoints | null;
  control: RoomControlState;
  /** Ends waits for the server (the waiting room's long poll) when the session ends. */
  abort: AbortController;
  transport: PeerTransport | null;
  localStream: MediaStream | null;
  /** Kinds of device this machine could not provide (e.g. `['video']`). */
  missingMedia: MediaKind[];
  /**
   * Members who connected before us (the roster lists members in the order they connected): we
   * call them; everyone after us calls us. Both sides of a pair read the same order, so exactly one
   * of them calls, however many join at once.
   */
  membersToCall: Set<string> | null;
  latestRoster: RosterPayload | null;
  peers: Map<string, RemotePeer>;
  /** Calls that arrived before our own media was ready. */
  waitingCalls: MediaLink[];
  governor: MeshGovernor | null;
  /** Device switching and screen sharing, loaded once joined. */
  devices: Promise<DeviceSwitch> | null;
  /** A screen is shared in place of the camera (set by the DeviceSwitch). */
  sharing?: boolean;
  hand?: boolean;
  recording?: boolean;
  /** A status report waiting to be sent. */
  statusTimer?: ReturnType<typeof setTimeout>;
  data: DataHub | null;
}

/**
 * One person's presence in one room at a time: local media, the signaling identity minted by the
 * server, and a mesh of media connections to everyone on the room's roster. Framework-free; the
 * elements render it.
 */
export class Call extends TypedEventTarget<CallEventMap> {
  private readonly serverUrl: string | URL;
  private readonly options: CallOptions;
  private currentState: CallState = 'idle';
  private session: Session | null = null;

  /** @param server Base URL of the peercall server (absolute, or relative to the page). */
  constructor(server: string | URL, options: CallOptions = {}) {
    super();
    this.serverUrl = server;
    this.options = options;
  }

  get state(): CallState {
    return this.currentState;
  }

  get room(): string | null {
    return this.session?.room ?? null;
  }

  get peerId(): string | null {
    return this.session?.transport?.peerId ?? null;
  }

  get localStream(): MediaStream | null {
    return this.session?.localStream ?? null;
  }

  /** Our role in the room, whether it is locked and who is knocking (the last two for hosts only). */
  get roomControl(): RoomControlState {
    return this.session?.control ?? { role: 'guest', locked: false, knocking: [] };
  }

  /** Chat, files and reactions of the current call, when it joined with `data` options. */
  get data(): DataHub | null {
    return this.session?.data ?? null;
  }

  /** Kinds of device this machine could not provide for the current call (e.g. `['video']`). */
  get missingMedia(): readonly MediaKind[] {
    return this.session?.missingMedia ?? [];
  }

  get audioEnabled(): boolean {
    return isKindEnabled(this.localStream, 'audio');
  }

  get videoEnabled(): boolean {
    return isKindEnabled(this.localStream, 'video');
  }

  /** The local user first, then remote members in the order they joined. */
  get participants(): Participant[] {
    const session = this.session;
    if (!session || !this.inRoom) return [];
    const self: Participant = {
      peerId: this.peerId ?? '',
      name: session.name,
      local: true,
      role: session.control.role,
      stream: session.localStream,
      connection: 'connected',
      status: this.status,
    };
    return [self, ...[...session.peers.values()].map(toParticipant)];
  }

  /** What we show the others about ourselves. */
  get status(): ParticipantStatus {
    const session = this.session;
    return { audio: this.audioEnabled, video: this.videoEnabled, hand: !!session?.hand, recording: !!session?.recording };
  }

  /** Raises or lowers our hand, or tells the others we are (no longer) recording the call. */
  setStatus(change: Partial<Pick<ParticipantStatus, 'hand' | 'recording'>>): void {
    const session = this.session;
    if (!session || !this.inRoom) return;
    Object.assign(session, change);
    this.reportStatus(session);
    this.emit('statuschange', { participant: this.participants[0] });
  }

  /** Each remote participant's RTCPeerConnection once it exists, by peer id: for getStats(). */
  get peerConnections(): Map<string, RTCPeerConnection> {
    const connections = new Map<string, RTCPeerConnection>();
    for (const peer of this.session?.peers.values() ?? []) {
      const pc = peer.link?.peerConnection;
      if (pc) connections.set(peer.peerId, pc);
    }
    return connections;
  }

  /** Joined, or joined with the server connection being resumed. */
  private get inRoom(): boolean {
    return this.currentState === 'joined' || this.currentState === 'reconnecting';
  }

  /**
   * Joins `room`: media, the room request and the signaling socket run in parallel, so the join
   * costs the slowest of them rather than their sum. Rejects with a CallError (also emitted).
   */
  async join({
    room,
    name = '',
    audio = true,
    video = true,
    token,
    relayOnly = false,
    localStream,
    standby,
    data,
  }: JoinOptions): Promise<void> {
    if (this.currentState === 'joining' || this.currentState === 'waiting' || this.inRoom) {
      throw new CallError('room-invalid', `Already ${this.currentState} room "${this.session?.room}"; leave first.`);
    }
    if (this.currentState === 'leaving') throw new CallError('room-invalid', 'Still leaving the previous room.');
    if (!isValidRoomName(room)) {
      // Before any camera access: a typo in the room name should not switch the camera on.
      const error = invalidRoomError(room);
      this.setState('joining');
      this.setState('error');
      this.emit('error', { error });
      throw error;
    }
    const session: Session = {
      room,
      name,
      identity: null,
      resume: null,
      endpoints: null,
      control: { role: 'guest', locked: false, knocking: [] },
      abort: new AbortController(),
      transport: null,
      localStream: null,
      missingMedia: [],
      membersToCall: null,
      latestRoster: null,
      peers: new Map(),
      waitingCalls: [],
      governor: null,
      devices: null,
      data: null,
    };
    if (this.options.governor !== false) {
      // A chunk of its own, fetched while we join: it has nothing to do before media flows.
      void import('./mesh-governor.js').then(({ MeshGovernor }) => {
        if (this.session !== session) return;
        session.governor = new MeshGovernor(() =>
          [...session.peers.values()].flatMap((peer) => peer.link?.peerConnection ?? []),
        );
        if (session.peers.size) session.governor.update();
      });
    }
    this.session = session;
    // Start the slow work (camera, room request) before telling anyone: state listeners, however
    // heavy, then run while it is under way instead of ahead of it.
    const media = localStream ? Promise.resolve(ownedMedia(localStream)) : getLocalMedia();
    // A chunk that fails to load costs the chat, not the call.
    const dataModule = data && import('./data-hub.js').catch(() => null);
    // Handle a media rejection here too, so it is never reported as unhandled while we wait on the transport.
    const releaseMedia = () => media.then((local) => stopStream(local.stream), () => {});
    let joinAnswer: Promise<JoinResponse | WaitingResponse>;
    const iceTransportPolicy = relayOnly ? 'relay' : 'all';
    let used = null as Standby | null;
    try {
      const endpoints = (session.endpoints = resolveServer(this.serverUrl));
      const overHttp = () => requestJoin(endpoints, room, { name, token }, session.abort.signal);
      const overStandby = (ready: Standby | null) =>
        ready?.usable ? (used = ready).join(room, { name, token }, iceTransportPolicy, overHttp) : overHttp();
      // One at hand sends its message now, ahead of the state listeners below.
      joinAnswer = standby instanceof Promise ? standby.then(overStandby) : overStandby(standby ?? null);
    } catch (error) {
      joinAnswer = Promise.reject(error);
    }
    joinAnswer.catch(() => {});
    this.setState('joining');
    // leave() or a lost socket may end this session while we wait; then we only clean up.
    const abandoned = () =>
      this.session !== session || (this.currentState !== 'joining' && this.currentState !== 'waiting');
    try {
      let answer = await joinAnswer;
      // Over a standby, a 200 made its socket ours: the roster comes in its next message, so from
      // here to listenToTransport() nothing may wait for another task.
      const standbyTransport = used?.adopted;
      if (abandoned()) {
        standbyTransport?.leave();
        return void releaseMedia();
      }
      if (isWaiting(answer)) {
        this.setState('waiting');
        answer = await waitForAdmission(session.endpoints!, room, answer.ticket, session.abort.signal);
        if (abandoned()) return void releaseMedia();
        this.setState('joining');
      }
      session.name = answer.name;
      session.identity = { peerId: answer.peerId, token: answer.token };
      session.resume = answer.resume;
      this.updateControl(session, { role: answer.role ?? 'guest' });
      // Loaded before the socket opens, so that it hears every data connection made to us. A standby's
      // socket is ours already: see below.
      const dataHub = standbyTransport ? null : await dataModule;
      const transport =
        standbyTransport ??
        (await PeerTransport.open(session.endpoints!, {
          peerId: answer.peerId,
          token: answer.token,
          key: answer.peer.key,
          iceServers: answer.iceServers as RTCIceServer[],
          iceTransportPolicy,
        }));
      if (abandoned()) {
        transport.destroy();
        return void releaseMedia();
      }
      session.transport = transport;
      if (dataHub) session.data = new dataHub.DataHub(this, transport, data!);
      this.listenToTransport(session, transport);
      if (standbyTransport) {
        // The server adopted the standby and answered in one step, so this roster is the one our
        // first RosterMessage brings: calling them now saves waiting for that message.
        session.membersToCall = membersBefore(answer.roster, answer.peerId);
        session.latestRoster = { room, members: answer.roster };
        // Only now, with the roster's listener in place: members open data connections to us once
        // media with us is up, long after this (the lobby fetched the chunk already).
        const late = await dataModule;
        if (abandoned()) return void releaseMedia();
        if (late) session.data = new late.DataHub(this, transport, data!);
      }
      const local = await media;
      if (abandoned()) return void releaseMedia();
      session.localStream = local.stream;
      session.missingMedia = local.missing;
      setTracksEnabled(local.stream, 'audio', audio);
      setTracksEnabled(local.stream, 'video', video);
    } catch (error) {
      releaseMedia();
      if (abandoned()) return;
      const callError = toCallError(error);
      this.fail(session, callError);
      throw callError;
    }

    this.reportStatus(session);
    this.setState('joined');
    // Fetched now, so that an unplugged device is followed and a switch answers at once.
    void this.devices().catch(() => {});
    this.emit('joined', { room, peerId: this.peerId ?? '' });
    // The roster first: a call that came in while we joined is answered only if its caller is on it.
    if (session.latestRoster) this.applyRoster(session, session.latestRoster);
    // The lobby's offer was for the calls the join places, placed by now.
    session.transport?.usePreparedOffer(null);
    for (const link of session.waitingCalls.splice(0)) this.acceptCall(session, link);
  }

  /** Leaves the room (or stops joining): closes every connection, stops the camera and microphone. */
  async leave(reason: LeaveReason = 'user'): Promise<void> {
    const session = this.session;
    if (this.currentState === 'leaving' || this.currentState === 'idle') return;
    if (this.currentState === 'error' || !session) return this.setState('idle');
    this.setState('leaving');
    this.teardown(session);
    this.setState('idle');
    this.emit('left', { room: session.room, reason });
  }

  /**
   * A host's control of the room: `lock`/`unlock`, `admit`/`decline` a knock (target: its id),
   * `remove` or ask to `mute` a participant (target: their peer id). Rejects with a CallError.
   */
  async control(action: HostAction, target?: string): Promise<void> {
    const session = this.session;
    if (!session?.identity || !session.endpoints || !this.inRoom) {
      throw new CallError('unauthorized', 'Host controls need a joined call.');
    }
    await sendHostControl(session.endpoints, session.room, { ...session.identity, action, target });
  }

  /** Turns the microphone on or off (the track keeps flowing as silence; no renegotiation). */
  setAudioEnabled(enabled: boolean): void {
    this.setKindEnabled('audio', enabled);
  }

  /** Turns the camera on or off (black frames; no renegotiation). */
  setVideoEnabled(enabled: boolean): void {
    this.setKindEnabled('video', enabled);
  }

  /** A screen is being shared in place of the camera. */
  get screenSharing(): boolean {
    return !!this.session?.sharing;
  }

  /**
   * Sends `track` in place of the current microphone or camera track, to everyone in the call and
   * to whoever joins later, without renegotiating (the mesh governor's caps stay). The old track stops.
   */
  async replaceTrack(kind: MediaKind, track: MediaStreamTrack): Promise<void> {
    await (await this.devices()).replaceTrack(kind, track);
  }

  /**
   * Switches to another microphone or camera: a device id from `enumerateDevices()`, or a phone's
   * front (`{ facingMode: 'user' }`) or back camera. Rejects when it cannot be opened; the old one stays.
   */
  async useDevice(kind: MediaKind, device: DeviceChoice): Promise<void> {
    await (await this.devices()).useDevice(kind, device);
  }

  /** Shares a screen, window or tab in place of the camera until `stopScreenShare()` or the browser's "Stop sharing". */
  async startScreenShare(): Promise<void> {
    await (await this.devices()).startScreenShare();
  }

  /** Stops sharing; the camera (as it was: on or off) is sent again. */
  async stopScreenShare(): Promise<void> {
    await (await this.devices()).stopScreenShare();
  }

  /** Device switching and screen sharing: a chunk of its own, fetched once joined. */
  private devices(): Promise<DeviceSwitch> {
    const session = this.session;
    if (!session?.localStream || !this.inRoom) return Promise.reject(new CallError('room-invalid', 'Not in a call.'));
    return (session.devices ??= import('./device-switch.js').then(({ DeviceSwitch }) => new DeviceSwitch(this, session)));
  }

  private setKindEnabled(kind: MediaKind, enabled: boolean): void {
    const stream = this.localStream;
    if (!stream) return;
    setTracksEnabled(stream, kind, enabled);
    this.reportStatus(this.session!);
    this.emit('mediachange', { audio: this.audioEnabled, video: this.videoEnabled });
  }

  /** Sends our status to the room shortly (the server passes on only changes). */
  private reportStatus(session: Session): void {
    session.statusTimer ??= setTimeout(() => {
      session.statusTimer = undefined;
      if (this.session === session) session.transport?.sendStatus(this.status);
    }, STATUS_DELAY_MS);
  }

  private updateControl(session: Session, change: Partial<RoomControlState>): void {
    const next = { ...session.control, ...change };
    const same =
      next.role === session.control.role &&
      next.locked === session.control.locked &&
      JSON.stringify(next.knocking) === JSON.stringify(session.control.knocking);
    session.control = next;
    if (!same && this.session === session) this.emit('roomcontrolchange', next);
  }

  private listenToTransport(session: Session, transport: PeerTransport): void {
    transport.addEventListener('roster', ({ detail }) => {
      if (session.control.role === 'host') {
        this.updateControl(session, { locked: detail.locked ?? false, knocking: detail.waiting ?? [] });
      }
      session.membersToCall ??= membersBefore(detail.members, transport.peerId);
      session.latestRoster = detail;
      if (this.inRoom && this.session === session) this.applyRoster(session, detail);
    });
    transport.addEventListener('incoming', ({ detail }) => {
      if (this.session !== session) return detail.link.close();
      if (this.inRoom) this.acceptCall(session, detail.link);
      else session.waitingCalls.push(detail.link);
    });
    transport.addEventListener('mutedbyhost', () => {
      if (this.session !== session || !session.localStream || !this.audioEnabled) return;
      this.setAudioEnabled(false);
      this.emit('mutedbyhost', {});
    });
    transport.addEventListener('removed', () => {
      if (this.session !== session) return;
      this.fail(session, new CallError('removed', 'A host removed you from the call.'));
      this.emit('left', { room: session.room, reason: 'removed-by-host' });
    });
    transport.addEventListener('interrupted', () => {
      if (this.session === session) void this.resume(session);
    });
    transport.addEventListener('lost', ({ detail }) => {
      if (this.session !== session) return;
      this.fail(session, detail.error);
      this.emit('left', { room: session.room, reason: 'disconnected' });
    });
  }

  /** Brings our peers in line with the server's roster: the server decides who is in the room. */
  private applyRoster(session: Session, roster: RosterPayload): void {
    const selfId = session.transport?.peerId;
    const present = new Set(roster.members.map((m) => m.peerId));
    const hungUp = new Set(roster.departed?.filter((d) => d.reason === 'left').map((d) => d.peerId));
    for (const peer of [...session.peers.values()]) {
      if (present.has(peer.peerId)) {
        clearTimeout(peer.absentTimer);
        peer.absentTimer = undefined;
      } else if (hungUp.has(peer.peerId) || peer.connection !== 'connected') {
        this.removePeer(session, peer);
      } else {
        // Their socket dropped (or our server restarted and they have not resumed yet) but media
        // still flows: keep them until they are back, their media stops, or the grace runs out.
        peer.absentTimer ??= setTimeout(() => this.removePeer(session, peer), ABSENT_GRACE_MS);
      }
    }
    for (const member of roster.members) {
      const known = session.peers.get(member.peerId);
      const previous = known?.status;
      // A member who resumed is listed without a status until they send it again: keep the last one.
      if (known && member.status && JSON.stringify(previous) !== JSON.stringify(member.status)) {
        known.status = member.status;
        this.emit('statuschange', { participant: toParticipant(known), previous });
      }
      if (member.peerId === selfId || known) continue;
      const peer: RemotePeer = {
        peerId: member.peerId,
        name: member.name,
        role: member.role ?? 'guest',
        stream: null,
        link: null,
        connection: 'connecting',
        status: member.status,
        initiator: !!session.membersToCall?.has(member.peerId),
        recallDelay: RECALL_FIRST_DELAY_MS,
        recallTimer: undefined,
        absentTimer: undefined,
      };
      session.peers.set(peer.peerId, peer);
      this.emit('participantjoined', { participant: toParticipant(peer) });
      if (peer.initiator) this.placeCall(session, peer);
    }
  }

  /**
   * Gets our server connection back after it dropped, keeping our peer id (the server's resume
   * ticket) and every media connection, with backoff. Gives up on a final refusal or after a while.
   */
  private async resume(session: Session): Promise<void> {
    if (this.currentState !== 'joined') return;
    this.setState('reconnecting');
    const stale = () => this.session !== session || this.currentState !== 'reconnecting';
    const giveUpAt = Date.now() + RESUME_GIVE_UP_MS;
    for (let delay = 0; ; delay = Math.min(Math.max(delay * 2, RESUME_FIRST_DELAY_MS), RESUME_MAX_DELAY_MS)) {
      if (delay) await abortableSleep(delay, session.abort.signal);
      if (stale()) return;
      try {
        const answer = await requestJoin(
          session.endpoints!,
          session.room,
          { name: session.name, resume: session.resume ?? undefined },
          session.abort.signal,
        );
        if (stale()) return;
        if (isWaiting(answer) || answer.peerId !== session.identity?.peerId) {
          throw new CallError('signaling-lost', 'The call server could not give us our place back.');
        }
        await session.transport!.reconnect(answer.token, answer.iceServers as RTCIceServer[]);
        if (stale()) return;
        session.identity = { peerId: answer.peerId, token: answer.token };
        session.resume = answer.resume;
        // The server forgot our status with the old socket.
        this.reportStatus(session);
        this.setState('joined');
        return;
      } catch (error) {
        if (stale()) return;
        const callError = toCallError(error);
        if (FINAL_RESUME_ERRORS.has(callError.type) || Date.now() > giveUpAt) {
          this.fail(session, callError);
          this.emit('left', { room: session.room, reason: 'disconnected' });
          return;
        }
      }
    }
  }

  private acceptCall(session: Session, link: MediaLink): void {
    const peer = session.peers.get(link.peerId);
    // Only members the server listed in our room may reach us; anyone else is refused.
    if (!peer || !session.localStream) {
      link.close();
      return;
    }
    link.answer(session.localStream);
    this.attachLink(session, peer, link);
  }

  private placeCall(session: Session, peer: RemotePeer): void {
    if (!session.transport || !session.localStream) return;
    this.attachLink(session, peer, session.transport.call(peer.peerId, session.localStream));
  }

  private attachLink(session: Session, peer: RemotePeer, link: MediaLink): void {
    clearTimeout(peer.recallTimer);
    peer.link?.close();
    peer.link = link;
    const current = () => peer.link === link && session.peers.has(peer.peerId);
    const setConnection = (connection: ParticipantConnection) => {
      if (peer.connection === connection) return;
      peer.connection = connection;
      this.emit('participantchange', { participant: toParticipant(peer) });
    };
    link.addEventListener('stream', ({ detail }) => {
      if (!current()) return;
      peer.stream = detail.stream;
      // Media flows, so the senders are negotiated and their encodings can be capped: once our
      // answer is out, as setParameters() during the exchange delays it.
      const hold = link.peerConnection && negotiationHold([link.peerConnection]);
      if (hold) void hold.then(() => session.governor?.update());
      else session.governor?.update();
      this.emit('participantchange', { participant: toParticipant(peer) });
    });
    link.addEventListener('connected', () => {
      if (!current()) return;
      peer.recallDelay = RECALL_FIRST_DELAY_MS;
      setConnection('connected');
    });
    link.addEventListener('interrupted', () => {
      if (!current()) return;
      // Off the roster and now without media too: they are gone.
      if (peer.absentTimer) return this.removePeer(session, peer);
      setConnection('reconnecting');
    });
    link.addEventListener('closed', () => {
      if (!current()) return;
      if (peer.absentTimer) return this.removePeer(session, peer);
      peer.link = null;
      peer.stream = null;
      peer.connection = 'reconnecting';
      this.emit('participantchange', { participant: toParticipant(peer) });
      // They are still in the room, so the path failed rather than the person leaving: the side that
      // placed the call places it again, with backoff; the other side answers when it comes.
      if (peer.initiator) this.scheduleRecall(session, peer);
    });
  }

  private scheduleRecall(session: Session, peer: RemotePeer): void {
    const delay = peer.recallDelay;
    peer.recallDelay = Math.min(delay * 2, RECALL_MAX_DELAY_MS);
    peer.recallTimer = setTimeout(() => {
      if (this.session === session && session.peers.has(peer.peerId) && !peer.link) this.placeCall(session, peer);
    }, delay);
  }

  private removePeer(session: Session, peer: RemotePeer): void {
    if (session.peers.get(peer.peerId) !== peer) return;
    clearTimeout(peer.recallTimer);
    clearTimeout(peer.absentTimer);
    session.peers.delete(peer.peerId);
    const link = peer.link;
    peer.link = null;
    link?.close();
    session.governor?.update();
    this.emit('participantleft', { participant: toParticipant(peer) });
  }

  private fail(session: Session, error: CallError): void {
    this.teardown(session);
    this.setState('error');
    this.emit('error', { error });
  }

  private teardown(session: Session): void {
    session.abort.abort();
    session.governor?.stop();
    void session.devices?.then((devices) => devices.close(), () => {});
    clearTimeout(session.statusTimer);
    // Emptied first, so that closing the links below does not schedule calls to place again.
    const peers = [...session.peers.values()];
    session.peers.clear();
    for (const peer of peers) {
      clearTimeout(peer.recallTimer);
      clearTimeout(peer.absentTimer);
      peer.link?.close();
    }
    for (const link of session.waitingCalls.splice(0)) link.close();
    // A deliberate end tells the server first, so the others see a hang-up rather than a drop.
    session.transport?.leave();
    stopStream(session.localStream);
    session.localStream = null;
    if (this.session === session) this.session = null;
  }

  private setState(state: CallState): void {
    const previous = this.currentState;
    if (previous === state) return;
    if (!canTransition(previous, state)) throw new Error(`Invalid call state change ${previous} → ${state}`);
    this.currentState = state;
    this.emit('statechange', { state, previous });
  }
}

function toParticipant(peer: RemotePeer): Participant {
  return {
    peerId: peer.peerId,
    name: peer.name,
    local: false,
    role: peer.role,
    stream: peer.stream,
    connection: peer.connection,
    status: peer.status,
  };
}

/** The ids listed before `selfId` (all of them when we are not listed yet). */
function membersBefore(members: readonly { peerId: string }[], selfId: string | undefined): Set<string> {
  const self = members.findIndex((member) => member.peerId === selfId);
  return new Set(members.slice(0, self === -1 ? members.length : self).map((member) => member.peerId));
}

/** A stream captured by someone else, described the way getLocalMedia() describes its own. */
function ownedMedia(stream: MediaStream): LocalMedia {
  const missing: MediaKind[] = [];
  if (!stream.getAudioTracks().length) missing.push('audio');
  if (!stream.getVideoTracks().length) missing.push('video');
  return { stream, missing };
}

/** Waits `ms`, or less if `signal` aborts first. */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
