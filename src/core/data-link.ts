import type { DataConnection } from 'peerjs';
import { TypedEventTarget } from './typed-event-target.js';

/** Above this many bytes queued in the channel, senders wait for it to drain (`bufferedamountlow`). */
const HIGH_WATER_BYTES = 1024 * 1024;
const LOW_WATER_BYTES = 256 * 1024;
/** A data connection that has not opened by then will not; it is closed so that it can be placed again. */
const OPEN_TIMEOUT_MS = 15_000;

export interface DataLinkEventMap {
  open: CustomEvent<Record<string, never>>;
  /** A frame from the remote side: text (our JSON messages) or binary (file chunks). Unvalidated. */
  frame: CustomEvent<{ data: string | ArrayBuffer }>;
  closed: CustomEvent<Record<string, never>>;
}

/**
 * One reliable, ordered data channel with one remote peer: the only view of PeerJS's
 * DataConnection we use. It uses PeerJS's `raw` serialization, so frames reach the channel as
 * they are: we frame, validate and chunk ourselves rather than letting PeerJS decode whatever
 * a peer sends (its BinaryPack decoder would build arbitrary objects from it).
 */
export class DataLink extends TypedEventTarget<DataLinkEventMap> {
  readonly peerId: string;
  private readonly connection: DataConnection;
  private closed = false;
  private readonly openTimer: ReturnType<typeof setTimeout>;

  constructor(connection: DataConnection) {
    super();
    this.connection = connection;
    this.peerId = connection.peer;
    this.openTimer = setTimeout(() => this.close(), OPEN_TIMEOUT_MS);
    connection.on('open', () => {
      clearTimeout(this.openTimer);
      connection.dataChannel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
      this.emit('open', {});
    });
    connection.on('data', (data) => {
      if (typeof data === 'string' || data instanceof ArrayBuffer) this.emit('frame', { data });
    });
    connection.on('close', () => this.markClosed());
    connection.on('error', () => this.close());
  }

  /**
   * Wraps an incoming connection if it speaks our framing (raw frames on a reliable channel);
   * closes it otherwise, before PeerJS decodes anything in another serialization.
   */
  static accept(connection: DataConnection): DataLink | null {
    if (connection.serialization === 'raw' && connection.reliable) return new DataLink(connection);
    connection.close();
    return null;
  }

  get open(): boolean {
    return !this.closed && this.connection.open;
  }

  /** Sends one frame; false when the link is not open (the frame is dropped). */
  send(data: string | ArrayBuffer): boolean {
    if (!this.open) return false;
    this.connection.send(data);
    return true;
  }

  /**
   * Resolves once the channel has room for more (immediately while it has), so a file is read
   * and queued no faster than the network takes it; resolves at once when the link closes too.
   */
  drained(): Promise<void> {
    const channel = this.connection.dataChannel;
    if (!this.open || channel.bufferedAmount <= HIGH_WATER_BYTES) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        channel.removeEventListener('bufferedamountlow', done);
        this.removeEventListener('closed', done);
        resolve();
      };
      channel.addEventListener('bufferedamountlow', done);
      this.addEventListener('closed', done);
    });
  }

  close(): void {
    if (this.closed) return;
    this.connection.close();
    this.markClosed();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.openTimer);
    this.emit('closed', {});
  }
}
