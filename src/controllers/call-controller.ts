import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Call, type LeaveReason, type RoomControlState } from '../core/call.js';
import type { CallState } from '../core/call-state.js';
import type { DataOptions } from '../core/data-hub.js';
import { CallError } from '../core/errors.js';
import { stopStream, type MediaKind } from '../core/media.js';
import type { Participant } from '../core/participant.js';
import type { HostAction, ParticipantStatus } from '../core/protocol.js';
import type { StandbyOffer } from '../core/standby.js';
import { CallErrorEvent } from '../events/call-error.js';
import { CallJoinedEvent } from '../events/call-joined.js';
import { CallKnockEvent } from '../events/call-knock.js';
import { CallLeftEvent } from '../events/call-left.js';
import { CallMediaChangeEvent } from '../events/call-media-change.js';
import { CallMutedByHostEvent } from '../events/call-muted-by-host.js';
import { CallParticipantChangeEvent } from '../events/call-participant-change.js';
import { CallParticipantJoinedEvent } from '../events/call-participant-joined.js';
import { CallParticipantLeftEvent } from '../events/call-participant-left.js';
import { CallStateChangeEvent } from '../events/call-state-change.js';
import { blockedMediaFeatures } from '../internal/permissions-policy.js';

/** What the controller needs from the element it serves. */
export interface CallControllerHost extends ReactiveControllerHost, HTMLElement {}

/**
 * A participant's media arrived or changed (`left`: they left), told at once rather than with the
 * next render, for what must not wait for one (starting their video).
 */
export type ParticipantMediaListener = (participant: Participant, left: boolean) => void;

/** What to join with; read from the host's attributes at the moment of joining. */
export interface JoinSettings {
  server: string;
  room: string;
  name: string;
  audio: boolean;
  video: boolean;
  /** Join token from the site's backend, for token rooms. */
  token?: string;
  /** Media only through the server's TURN relays. */
  relayOnly?: boolean;
  /** Camera and microphone captured by the pre-join preview; the call takes it over. */
  localStream?: MediaStream | null;
  /** The lobby's standby socket; the call takes it over. */
  standby?: StandbyOffer;
  /** Chat, files and reactions; none when absent. */
  data?: DataOptions;
}

const NO_CONTROL: RoomControlState = { role: 'guest', locked: false, knocking: [] };

/**
 * Binds a framework-free `Call` to a Lit element: a fresh Call per join, core events turned into
 * re-renders and public `call-*` DOM events on the host, and teardown when the element really
 * leaves the page (not when it is merely moved).
 */
export class CallController implements ReactiveController {
  private readonly host: CallControllerHost;
  private call: Call | null = null;
  private joining: Promise<void> | null = null;
  private lastError: CallError | null = null;
  /** A join refused before any Call existed (the page forbids camera and microphone). */
  private refusal: CallError | null = null;
  private readonly onPageHide = () => void this.leave('user');

  constructor(
    host: CallControllerHost,
    private readonly onParticipantMedia?: ParticipantMediaListener,
  ) {
    (this.host = host).addController(this);
  }

  get state(): CallState {
    if (this.call) return this.call.state;
    return this.refusal ? 'error' : 'idle';
  }

  /** The call of the current or last join, for what the element loads later (device menu, screen share). */
  get active(): Call | null {
    return this.call;
  }

  get participants(): Participant[] {
    return this.call?.participants ?? [];
  }

  /** Each remote participant's RTCPeerConnection, by peer id (for stats). */
  get peerConnections(): ReadonlyMap<string, RTCPeerConnection> {
    return this.call?.peerConnections ?? new Map();
  }

  /** The failure that put the call into `error`, if that is where it is. */
  get error(): CallError | null {
    return this.state === 'error' ? this.lastError : null;
  }

  get audioEnabled(): boolean {
    return this.call?.audioEnabled ?? false;
  }

  get videoEnabled(): boolean {
    return this.call?.videoEnabled ?? false;
  }

  get missingMedia(): readonly MediaKind[] {
    return this.inRoom ? (this.call?.missingMedia ?? []) : [];
  }

  /** Our role, the room's lock and the knocks at its waiting room (the last two for hosts only). */
  get roomControl(): RoomControlState {
    return (this.inRoom && this.call?.roomControl) || NO_CONTROL;
  }

  /** In the room: joined, or joined while the server connection is being resumed. */
  get inRoom(): boolean {
    return this.state === 'joined' || this.state === 'reconnecting';
  }

  hostConnected(): void {
    window.addEventListener('pagehide', this.onPageHide);
  }

  hostDisconnected(): void {
    window.removeEventListener('pagehide', this.onPageHide);
    // Moving an element disconnects and reconnects it in one task; only a real removal ends the call.
    queueMicrotask(() => {
      if (!this.host.isConnected) void this.leave('removed');
    });
  }

  /** Joins with these settings; while a join is under way, returns that one instead of starting another. */
  join(settings: JoinSettings): Promise<void> {
    if (this.joining) return this.joining;
    if (this.inRoom) return Promise.resolve();
    const blocked = blockedMediaFeatures();
    if (blocked.length) {
      stopStream(settings.localStream ?? null);
      void Promise.resolve(settings.standby).then((standby) => standby?.close());
      return this.refuse(
        new CallError(
          'permissions-policy',
          `This frame's permissions policy blocks the ${blocked.join(' and ')}: add allow="camera; microphone; display-capture" to the <iframe>.`,
        ),
      );
    }
    this.refusal = null;
    const call = new Call(settings.server);
    this.replaceCall(call);
    this.joining = call
      .join({
        room: settings.room,
        name: settings.name,
        audio: settings.audio,
        video: settings.video,
        token: settings.token || undefined,
        relayOnly: settings.relayOnly,
        localStream: settings.localStream ?? undefined,
        standby: settings.standby,
        data: settings.data,
      })
      .finally(() => {
        this.joining = null;
      });
    return this.joining;
  }

  async leave(reason: LeaveReason = 'user'): Promise<void> {
    if (this.refusal) {
      this.refusal = null;
      this.host.requestUpdate();
      this.host.dispatchEvent(new CallStateChangeEvent({ state: 'idle', previous: 'error' }));
      return;
    }
    await this.call?.leave(reason);
  }

  /** What we show the others: microphone, camera, hand, recording. */
  get status(): ParticipantStatus | undefined {
    return this.inRoom ? this.call?.status : undefined;
  }

  /** Raises or lowers our hand, or reports that we are (no longer) recording. */
  setStatus(change: Partial<Pick<ParticipantStatus, 'hand' | 'recording'>>): void {
    this.call?.setStatus(change);
  }

  /** A host's control of the room (see `Call.control`); rejects with a CallError. */
  control(action: HostAction, target?: string): Promise<void> {
    if (!this.call) return Promise.reject(new CallError('unauthorized', 'Host controls need a joined call.'));
    return this.call.control(action, target);
  }

  /** Flips the microphone, or sets it when `force` is given. */
  toggle(kind: MediaKind, force?: boolean): void {
    const call = this.call;
    if (!call || !this.inRoom) return;
    const on = force ?? !(kind === 'audio' ? call.audioEnabled : call.videoEnabled);
    if (kind === 'audio') call.setAudioEnabled(on);
    else call.setVideoEnabled(on);
  }

  /**
   * Fails a join before asking for media: the browser would only say "denied", which sends
   * the user to the address bar, while the fix is in the embedding page.
   */
  private refuse(error: CallError): Promise<never> {
    const previous = this.state;
    this.call = null;
    this.refusal = error;
    this.lastError = error;
    this.host.requestUpdate();
    if (previous !== 'error') this.host.dispatchEvent(new CallStateChangeEvent({ state: 'error', previous }));
    this.host.dispatchEvent(new CallErrorEvent({ type: error.type, message: error.message, cause: error.cause }));
    return Promise.reject(error);
  }

  private replaceCall(call: Call): void {
    this.call = call;
    const host = this.host;
    const current = () => this.call === call;
    const update = () => current() && host.requestUpdate();
    call.addEventListener('statechange', ({ detail }) => {
      if (!current()) return;
      host.requestUpdate();
      host.dispatchEvent(new CallStateChangeEvent(detail));
    });
    call.addEventListener('joined', ({ detail }) => current() && host.dispatchEvent(new CallJoinedEvent(detail)));
    call.addEventListener('left', ({ detail }) => current() && host.dispatchEvent(new CallLeftEvent(detail)));
    const media = (participant: Participant, left = false) => current() && this.onParticipantMedia?.(participant, left);
    call.addEventListener('participantjoined', ({ detail: { participant } }) => {
      update();
      if (current()) host.dispatchEvent(new CallParticipantJoinedEvent({ peerId: participant.peerId, name: participant.name }));
    });
    call.addEventListener('participantleft', ({ detail: { participant } }) => {
      media(participant, true);
      update();
      if (current()) host.dispatchEvent(new CallParticipantLeftEvent({ peerId: participant.peerId, name: participant.name }));
    });
    call.addEventListener('participantchange', ({ detail: { participant } }) => {
      media(participant);
      update();
    });
    call.addEventListener('statuschange', ({ detail: { participant, previous } }) => {
      update();
      const { peerId, name, status, local } = participant;
      if (current() && !local && status) host.dispatchEvent(new CallParticipantChangeEvent({ peerId, name, status, previous }));
    });
    call.addEventListener('mediachange', ({ detail }) => {
      update();
      if (current()) host.dispatchEvent(new CallMediaChangeEvent(detail));
    });
    let knocks = new Set<string>();
    call.addEventListener('roomcontrolchange', ({ detail }) => {
      if (!current()) return;
      host.requestUpdate();
      const previous = knocks;
      knocks = new Set(detail.knocking.map((knock) => knock.id));
      for (const knock of detail.knocking) {
        if (!previous.has(knock.id)) host.dispatchEvent(new CallKnockEvent({ id: knock.id, name: knock.name }));
      }
    });
    call.addEventListener('mutedbyhost', () => {
      update();
      if (current()) host.dispatchEvent(new CallMutedByHostEvent());
    });
    call.addEventListener('error', ({ detail: { error } }) => {
      if (!current()) return;
      this.lastError = error;
      host.requestUpdate();
      host.dispatchEvent(new CallErrorEvent({ type: error.type, message: error.message, cause: error.cause }));
    });
  }
}
