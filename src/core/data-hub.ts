import type { Call } from './call.js';
import { ChatLog, type ChatMessage } from './chat.js';
import {
  DEFAULT_MAX_FILE_SIZE,
  HISTORY_LIMIT,
  MAX_CHAT_LENGTH,
  MAX_FILE_NAME_LENGTH,
  REACTIONS,
  RateLimit,
  parseFrame,
  type Frame,
  type Reaction,
} from './data-frames.js';
import { DataLink } from './data-link.js';
import { IncomingFile, OutgoingFile, type FileTransfer } from './file-transfer.js';
import type { Participant } from './participant.js';
import type { PeerTransport } from './peer-transport.js';

/** Which of the call's extras are on for this session; read once, at join. */
export interface DataOptions {
  chat: boolean;
  files: boolean;
  reactions: boolean;
  /** Largest file sent or accepted, in bytes (default 100 MB). */
  maxFileSize?: number;
}

/** Why `sendChat`, `sendFile` or `react` refused; nothing was sent. */
export class DataError extends Error {
  constructor(
    readonly type: 'disabled' | 'invalid' | 'too-large' | 'rate-limited' | 'no-one',
    message: string,
  ) {
    super(message);
    this.name = 'DataError';
  }
}

/** Chat: a burst of 10 messages, then one a second. Reactions: a burst of 5, then one every 400 ms. File announcements: 10, then one a second. */
const chatRate = () => new RateLimit(10, 1000);
const reactionRate = () => new RateLimit(5, 400);
const fileRate = () => new RateLimit(10, 1000);
/** Incoming links held while we are still joining; more than this from anyone is not honest. */
const MAX_PENDING = 16;
/** Frames a held link may bring before we know it is a member's (a history, a few messages, a file's start). */
const MAX_HELD_FRAMES = 256;
/**
 * A data link is opened once the media with that member is up, or this long after they joined
 * if it is not: the signaling of both then does not arrive at the server in one burst (the
 * server closes sockets that send too much at once), and chat still works when media does not.
 */
const CONNECT_WITHOUT_MEDIA_MS = 3000;
/**
 * How long after media with a member is up their data link starts: past the media's first
 * frames, whose arrival the link's own ICE, DTLS and signaling would otherwise compete with.
 */
const CONNECT_AFTER_MEDIA_MS = 400;
const RECONNECT_FIRST_DELAY_MS = 1000;
const RECONNECT_MAX_DELAY_MS = 8000;
/** Progress events per transfer: one each time another 2 % has gone (and at every change of status). */
const PROGRESS_STEPS = 50;

/** Everything we hold about the data link to one member. */
interface Peer {
  link: DataLink;
  chat: RateLimit;
  reactions: RateLimit;
  files: RateLimit;
  /** History frames accepted on this link so far (at most HISTORY_LIMIT). */
  historyFrames: number;
  /** Files queued to this peer; the first is being sent. */
  outgoing: OutgoingFile[];
  incoming: IncomingFile | null;
}

/**
 * Chat, file transfer and reactions between the members of a call, over one reliable PeerJS data
 * connection per pair (`call.data`). Loaded as its own chunk when a call with any of them joins.
 *
 * - Links: of each pair, the member with the smaller peer id connects (no glare, and no need
 *   to know who placed the media call), once the media between them is up or 3 s after they
 *   met; it connects again with backoff while the other is on the roster. Like media, a data connection is accepted only from a member on the server's roster
 *   of our room, and only in raw framing on a reliable channel. One that comes while we are
 *   still joining (the camera may take a while) is held, with what it sends, until we are in.
 * - History: there is no server store. Both sides of every link that opens send the chat they
 *   hold (at most HISTORY_LIMIT messages), and the receiver keeps each message id once, so a
 *   latecomer gets the conversation from whoever was there before.
 * - Everything received is checked (data-frames.ts) and rate-limited per peer; what fails is dropped.
 * - Files go to every member with an open link, one transfer per peer, in CHUNK_BYTES frames
 *   paced by the channel's `bufferedAmount`. Received files become `blob:` URLs, revoked when
 *   the call ends.
 *
 * Events are dispatched on the Call: `chatmessage`, `reaction`, `fileprogress`, `filereceived`.
 */
export class DataHub {
  readonly options: Readonly<Required<DataOptions>>;
  private readonly call: Call;
  private readonly transport: PeerTransport;
  private readonly log = new ChatLog();
  private readonly peers = new Map<string, Peer>();
  /** Links that reached us while joining, with what they sent meanwhile, until the roster can vouch for them. */
  private readonly pending: { link: DataLink; frames: (string | ArrayBuffer)[]; stop: AbortController }[] = [];
  private readonly retries = new Map<string, { delay: number; timer: ReturnType<typeof setTimeout> | undefined }>();
  /** Members whose data link waits for their media's first frames (see CONNECT_AFTER_MEDIA_MS). */
  private readonly afterMedia = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly transfers = new Map<string, FileTransfer>();
  private readonly progressStep = new Map<string, number>();
  private readonly urls: string[] = [];
  private readonly ownChat = chatRate();
  private readonly ownReactions = reactionRate();
  private readonly stop = new AbortController();
  private joined = false;
  private joinedAt = 0;

  constructor(call: Call, transport: PeerTransport, options: DataOptions) {
    this.call = call;
    this.transport = transport;
    const limit = options.maxFileSize;
    // A page's `max-file-size="lots"` is NaN, which no size is greater than: that would be no limit at all.
    this.options = { ...options, maxFileSize: limit !== undefined && limit >= 0 ? limit : DEFAULT_MAX_FILE_SIZE };
    const signal = this.stop.signal;
    transport.addEventListener(
      'incomingdata',
      ({ detail }) => {
        // Checked at once, also while joining: PeerJS would decode other serializations' frames itself.
        const link = DataLink.accept(detail.connection);
        if (link) this.incoming(link);
      },
      { signal },
    );
    call.addEventListener(
      'joined',
      () => {
        this.joined = true;
        this.joinedAt = Date.now();
        // After the roster that follows `joined` has been applied: the pending links are checked against it.
        queueMicrotask(() => {
          for (const { link, frames, stop } of this.pending.splice(0)) {
            stop.abort();
            this.incoming(link, frames);
          }
          for (const participant of call.participants) if (!participant.local) this.meet(participant);
        });
      },
      { signal },
    );
    call.addEventListener('participantjoined', ({ detail }) => this.meet(detail.participant), { signal });
    call.addEventListener(
      'participantchange',
      ({ detail: { participant } }) => participant.connection === 'connected' && this.connectAfterMedia(participant.peerId),
      { signal },
    );
    call.addEventListener('participantleft', ({ detail }) => this.drop(detail.participant.peerId), { signal });
    call.addEventListener(
      'statechange',
      ({ detail }) => {
        if (detail.state === 'idle' || detail.state === 'error') this.close();
      },
      { signal },
    );
  }

  /** The session's chat so far, oldest first. */
  get messages(): readonly ChatMessage[] {
    return this.log.all;
  }

  /** Peer ids of the members we have an open data link with: who gets what we send now. */
  get connected(): string[] {
    return [...this.peers].filter(([, peer]) => peer.link.open).map(([peerId]) => peerId);
  }

  /** Every file transfer of the session, in both directions. */
  get files(): FileTransfer[] {
    return [...this.transfers.values()];
  }

  /** Sends a chat message to everyone. Throws a DataError (and sends nothing) when it cannot. */
  sendChat(text: string): ChatMessage {
    if (!this.options.chat) throw new DataError('disabled', 'Chat is turned off.');
    text = text.trim();
    if (!text || text.length > MAX_CHAT_LENGTH) {
      throw new DataError('invalid', `A message has 1–${MAX_CHAT_LENGTH} characters.`);
    }
    if (!this.ownChat.take()) throw new DataError('rate-limited', 'Too many messages at once.');
    const message: ChatMessage = {
      id: crypto.randomUUID(),
      from: this.call.peerId ?? '',
      name: this.selfName(),
      text,
      time: Date.now(),
      local: true,
      history: false,
    };
    this.log.add(message);
    this.broadcast(JSON.stringify({ t: 'chat', id: message.id, text }));
    this.dispatch('chatmessage', { message });
    return message;
  }

  /** Sends a reaction to everyone (and shows it locally). Throws a DataError when off, unknown or too frequent. */
  react(emoji: Reaction): void {
    if (!this.options.reactions) throw new DataError('disabled', 'Reactions are turned off.');
    if (!REACTIONS.includes(emoji)) throw new DataError('invalid', `Unknown reaction ${emoji}.`);
    if (!this.ownReactions.take()) throw new DataError('rate-limited', 'Too many reactions at once.');
    this.broadcast(JSON.stringify({ t: 'react', emoji }));
    this.dispatch('reaction', { from: this.call.peerId ?? '', name: this.selfName(), emoji, local: true });
  }

  /**
   * Sends a file to every member with an open data link, one transfer each, and returns them.
   * Throws a DataError, sending nothing, when files are off, the file is over `maxFileSize`,
   * its name is too long, or nobody is there to receive it.
   */
  sendFile(file: File): FileTransfer[] {
    if (!this.options.files) throw new DataError('disabled', 'File sharing is turned off.');
    if (file.size > this.options.maxFileSize) {
      throw new DataError('too-large', `${file.name} is ${file.size} bytes; the limit is ${this.options.maxFileSize}.`);
    }
    if (!file.name || file.name.length > MAX_FILE_NAME_LENGTH) throw new DataError('invalid', 'The file name is too long.');
    const targets = [...this.peers.values()].filter((peer) => peer.link.open);
    if (!targets.length) throw new DataError('no-one', 'Nobody in the call can receive files yet.');
    const id = crypto.randomUUID();
    return targets.map((peer) => {
      const outgoing = new OutgoingFile(peer.link, file, id, this.nameOf(peer.link.peerId));
      peer.outgoing.push(outgoing);
      this.track(outgoing.transfer, true);
      if (peer.outgoing.length === 1) void this.pump(peer);
      return outgoing.transfer;
    });
  }

  /** Cancels the transfers of file `id` (both directions; `peerId` limits it to one peer). Both sides stop. */
  cancelFile(id: string, peerId?: string): void {
    for (const [key, peer] of this.peers) {
      if (peerId && key !== peerId) continue;
      for (const outgoing of peer.outgoing) {
        if (outgoing.transfer.id === id) outgoing.cancel(true, () => this.track(outgoing.transfer, true));
      }
      const incoming = peer.incoming;
      if (incoming?.transfer.id === id && incoming.transfer.status === 'active') {
        peer.link.send(JSON.stringify({ t: 'file-cancel', id }));
        this.endIncoming(peer, 'canceled');
      }
    }
  }

  /** Closes every link and revokes the download URLs; the hub is done. */
  close(): void {
    this.stop.abort();
    for (const retry of this.retries.values()) clearTimeout(retry.timer);
    this.retries.clear();
    for (const timer of this.afterMedia.values()) clearTimeout(timer);
    this.afterMedia.clear();
    for (const { link } of this.pending.splice(0)) link.close();
    for (const peerId of [...this.peers.keys()]) this.drop(peerId);
    for (const url of this.urls.splice(0)) URL.revokeObjectURL(url);
  }

  /** A link a peer opened to us; `frames` came on it while we were still joining. */
  private incoming(link: DataLink, frames: (string | ArrayBuffer)[] = []): void {
    if (this.stop.signal.aborted) return link.close();
    if (!this.joined) return this.hold(link);
    // The rule acceptCall applies to media: only members the server listed in our room may reach us.
    if (!this.isMember(link.peerId)) return link.close();
    const peer = this.attach(link);
    for (const frame of frames) if (this.peers.get(link.peerId) === peer) this.receive(peer, frame);
  }

  /** Keeps a link that came while we are still joining, and what it sends, until the roster is known. */
  private hold(link: DataLink): void {
    if (this.pending.length >= MAX_PENDING) return link.close();
    const held = { link, frames: [] as (string | ArrayBuffer)[], stop: new AbortController() };
    this.pending.push(held);
    const signal = held.stop.signal;
    link.addEventListener(
      'frame',
      ({ detail }) => {
        if (held.frames.push(detail.data) > MAX_HELD_FRAMES) link.close();
      },
      { signal },
    );
    link.addEventListener('closed', () => this.pending.splice(this.pending.indexOf(held), 1), { signal });
  }

  /** A member is in the room: connect once media with them is up, or after a while without it. */
  private meet(participant: Participant): void {
    const { peerId } = participant;
    if (participant.connection === 'connected') return this.connectTo(peerId);
    const retry = this.retries.get(peerId) ?? { delay: RECONNECT_FIRST_DELAY_MS, timer: undefined };
    this.retries.set(peerId, retry);
    clearTimeout(retry.timer);
    retry.timer = setTimeout(() => this.connectTo(peerId), CONNECT_WITHOUT_MEDIA_MS);
  }

  /** Media with a member is up: connect shortly (once; later changes of theirs do not postpone it). */
  private connectAfterMedia(peerId: string): void {
    if (this.peers.has(peerId) || this.afterMedia.has(peerId)) return;
    this.afterMedia.set(
      peerId,
      setTimeout(() => {
        this.afterMedia.delete(peerId);
        this.connectTo(peerId);
      }, CONNECT_AFTER_MEDIA_MS),
    );
  }

  /** Connects to a member, if of the two of us we are the one who connects. */
  private connectTo(peerId: string): void {
    const self = this.call.peerId;
    // A link that is there, open or still opening, is the one: it is removed from `peers` when it closes.
    if (!this.joined || !self || self >= peerId || this.peers.has(peerId) || !this.isMember(peerId)) return;
    clearTimeout(this.retries.get(peerId)?.timer);
    this.attach(new DataLink(this.transport.connectData(peerId)));
  }

  private attach(link: DataLink): Peer {
    const peerId = link.peerId;
    const previous = this.peers.get(peerId);
    const peer: Peer = {
      link,
      chat: previous?.chat ?? chatRate(),
      reactions: previous?.reactions ?? reactionRate(),
      files: previous?.files ?? fileRate(),
      historyFrames: 0,
      outgoing: [],
      incoming: null,
    };
    this.peers.set(peerId, peer);
    if (previous) this.closePeer(previous);
    const current = () => this.peers.get(peerId) === peer;
    const opened = () => {
      if (!current()) return;
      const retry = this.retries.get(peerId);
      if (retry) retry.delay = RECONNECT_FIRST_DELAY_MS;
      this.sendHistory(link);
    };
    // A link held while we were joining may have opened already.
    if (link.open) opened();
    else link.addEventListener('open', opened);
    link.addEventListener('frame', ({ detail }) => current() && this.receive(peer, detail.data));
    link.addEventListener('closed', () => {
      if (!current()) return;
      this.peers.delete(peerId);
      this.closePeer(peer);
      if (this.isMember(peerId)) this.scheduleReconnect(peerId);
    });
    return peer;
  }

  private scheduleReconnect(peerId: string): void {
    const self = this.call.peerId;
    if (!self || self >= peerId || this.stop.signal.aborted) return;
    const retry = this.retries.get(peerId) ?? { delay: RECONNECT_FIRST_DELAY_MS, timer: undefined };
    this.retries.set(peerId, retry);
    clearTimeout(retry.timer);
    retry.timer = setTimeout(() => this.connectTo(peerId), retry.delay);
    retry.delay = Math.min(retry.delay * 2, RECONNECT_MAX_DELAY_MS);
  }

  /** The member left the room: close their link and end their transfers. */
  private drop(peerId: string): void {
    const retry = this.retries.get(peerId);
    clearTimeout(retry?.timer);
    this.retries.delete(peerId);
    clearTimeout(this.afterMedia.get(peerId));
    this.afterMedia.delete(peerId);
    const peer = this.peers.get(peerId);
    if (!peer) return;
    this.peers.delete(peerId);
    this.closePeer(peer);
  }

  private closePeer(peer: Peer): void {
    for (const outgoing of peer.outgoing.splice(0)) outgoing.fail(() => this.track(outgoing.transfer, true));
    if (peer.incoming?.transfer.status === 'active') this.endIncoming(peer, 'failed');
    peer.link.close();
  }

  private sendHistory(link: DataLink): void {
    if (!this.options.chat) return;
    for (const { id, from, name, text, time } of this.log.all.slice(-HISTORY_LIMIT)) {
      link.send(JSON.stringify({ t: 'history', id, from, name, text, time }));
    }
  }

  private receive(peer: Peer, data: string | ArrayBuffer): void {
    if (typeof data !== 'string') return this.receiveChunk(peer, data);
    const frame = parseFrame(data);
    if (frame) this.handle(peer, frame);
  }

  private handle(peer: Peer, frame: Frame): void {
    const from = peer.link.peerId;
    switch (frame.t) {
      case 'chat':
        if (!this.options.chat || !peer.chat.take()) return;
        return this.addMessage({
          id: frame.id,
          from,
          name: this.nameOf(from),
          text: frame.text,
          time: Date.now(),
          local: false,
          history: false,
        });
      case 'history':
        if (!this.options.chat || ++peer.historyFrames > HISTORY_LIMIT) return;
        return this.addMessage({
          id: frame.id,
          from: frame.from,
          name: frame.name,
          text: frame.text,
          // Their clock, not ours: it may be ahead, but a message is never from the future.
          time: Math.min(frame.time, Date.now()),
          local: frame.from === this.call.peerId,
          // Sent while we were here (before the link to its sender was up) is news, not history.
          history: frame.time < this.joinedAt,
        });
      case 'react':
        if (!this.options.reactions || !peer.reactions.take()) return;
        return this.dispatch('reaction', { from, name: this.nameOf(from), emoji: frame.emoji, local: false });
      case 'file': {
        if (!peer.files.take()) return;
        // A new announcement ends an unfinished one: the sender gave up on it.
        if (peer.incoming?.transfer.status === 'active') this.endIncoming(peer, 'failed');
        if (!this.options.files || frame.size > this.options.maxFileSize) {
          peer.link.send(JSON.stringify({ t: 'file-cancel', id: frame.id }));
          return;
        }
        peer.incoming = new IncomingFile(from, this.nameOf(from), frame);
        return this.track(peer.incoming.transfer, true);
      }
      case 'file-end': {
        const incoming = peer.incoming;
        if (incoming?.transfer.id !== frame.id || incoming.transfer.status !== 'active') return;
        const blob = incoming.complete();
        if (!blob) return this.endIncoming(peer, 'failed');
        const url = URL.createObjectURL(blob);
        this.urls.push(url);
        incoming.end('done', url);
        this.track(incoming.transfer, true);
        return this.dispatch('filereceived', { transfer: incoming.transfer });
      }
      case 'file-cancel':
        for (const outgoing of peer.outgoing) {
          if (outgoing.transfer.id === frame.id) outgoing.cancel(false, () => this.track(outgoing.transfer, true));
        }
        if (peer.incoming?.transfer.id === frame.id && peer.incoming.transfer.status === 'active') {
          this.endIncoming(peer, 'canceled');
        }
        return;
    }
  }

  private receiveChunk(peer: Peer, chunk: ArrayBuffer): void {
    const incoming = peer.incoming;
    // Chunks still in flight after a cancel, or never announced: dropped.
    if (!incoming || incoming.transfer.status !== 'active') return;
    if (!incoming.add(chunk)) {
      peer.link.send(JSON.stringify({ t: 'file-cancel', id: incoming.transfer.id }));
      return this.endIncoming(peer, 'failed');
    }
    this.track(incoming.transfer, incoming.transfer.bytes === incoming.transfer.size);
  }

  private endIncoming(peer: Peer, status: 'canceled' | 'failed'): void {
    peer.incoming!.end(status);
    this.track(peer.incoming!.transfer, true);
  }

  /** Sends the files queued to one peer, one after another. */
  private async pump(peer: Peer): Promise<void> {
    while (peer.outgoing.length) {
      const outgoing = peer.outgoing[0];
      await outgoing.send(() => this.track(outgoing.transfer, outgoing.transfer.status !== 'active'));
      if (peer.outgoing[0] === outgoing) peer.outgoing.shift();
    }
  }

  /** Records a transfer's state and reports it once per PROGRESS_STEPS step, or at once when `now`. */
  private track(transfer: FileTransfer, now: boolean): void {
    const key = `${transfer.direction} ${transfer.peerId} ${transfer.id}`;
    this.transfers.set(key, transfer);
    const step = Math.floor((transfer.bytes / (transfer.size || 1)) * PROGRESS_STEPS);
    if (!now && step === this.progressStep.get(key)) return;
    this.progressStep.set(key, step);
    this.dispatch('fileprogress', { transfer });
  }

  private addMessage(message: ChatMessage): void {
    if (this.log.add(message)) this.dispatch('chatmessage', { message });
  }

  private broadcast(frame: string): void {
    for (const peer of this.peers.values()) peer.link.send(frame);
  }

  private isMember(peerId: string): boolean {
    return this.call.participants.some((participant) => !participant.local && participant.peerId === peerId);
  }

  private nameOf(peerId: string): string {
    return this.call.participants.find((participant) => participant.peerId === peerId)?.name ?? '';
  }

  private selfName(): string {
    return this.call.participants.find((participant) => participant.local)?.name ?? '';
  }

  private dispatch(type: string, detail: unknown): void {
    if (!this.stop.signal.aborted) this.call.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

export { REACTIONS, type Reaction } from './data-frames.js';
export type { ChatMessage } from './chat.js';
export type { FileTransfer } from './file-transfer.js';
