import { CHUNK_BYTES } from './data-frames.js';
import type { DataLink } from './data-link.js';

/** Where one file stands with one peer. */
export type FileTransferStatus = 'active' | 'done' | 'canceled' | 'failed';

/** One file going to, or coming from, one peer. Render `fileName` as text. */
export interface FileTransfer {
  /** Chosen by the sender; the same file sent to several peers has one id. */
  readonly id: string;
  readonly direction: 'send' | 'receive';
  /** The other side: whom we send to, or who sends to us. */
  readonly peerId: string;
  readonly peerName: string;
  readonly fileName: string;
  readonly size: number;
  /** MIME type as the sender's browser gave it (may be empty); informative only, the download is always `application/octet-stream`. */
  readonly type: string;
  /** Bytes handed to the channel (sending) or received so far. */
  readonly bytes: number;
  readonly status: FileTransferStatus;
  /** Received files, once complete: a `blob:` URL to download it, revoked when the call ends. */
  readonly url?: string;
}

/** How much of a file is read from disk at once; it is then cut into CHUNK_BYTES frames. */
const READ_BYTES = 64 * CHUNK_BYTES;

/** A file being sent to one peer: header, chunks as fast as the channel drains, end. */
export class OutgoingFile {
  transfer: FileTransfer;

  constructor(
    private readonly link: DataLink,
    private readonly file: File,
    id: string,
    peerName: string,
  ) {
    this.transfer = {
      id,
      direction: 'send',
      peerId: link.peerId,
      peerName,
      fileName: file.name,
      size: file.size,
      type: file.type,
      bytes: 0,
      status: 'active',
    };
  }

  /** Sends the file, calling `progress` as it goes; resolves when it is done, canceled or failed. */
  async send(progress: () => void): Promise<void> {
    const { id, size } = this.transfer;
    if (!this.link.send(JSON.stringify({ t: 'file', id, name: this.file.name, size, type: this.file.type }))) {
      return this.finish('failed', progress);
    }
    for (let offset = 0; offset < size; offset += READ_BYTES) {
      const block = await this.file.slice(offset, offset + READ_BYTES).arrayBuffer();
      for (let at = 0; at < block.byteLength; at += CHUNK_BYTES) {
        await this.link.drained();
        if (this.transfer.status !== 'active') return;
        if (!this.link.send(block.slice(at, at + CHUNK_BYTES))) return this.finish('failed', progress);
        this.update({ bytes: this.transfer.bytes + Math.min(CHUNK_BYTES, block.byteLength - at) });
        progress();
      }
    }
    if (this.transfer.status !== 'active') return;
    this.link.send(JSON.stringify({ t: 'file-end', id }));
    this.finish('done', progress);
  }

  /** Stops sending; tells the receiver unless it was the one who canceled. */
  cancel(byUs: boolean, progress: () => void): void {
    if (this.transfer.status !== 'active') return;
    if (byUs) this.link.send(JSON.stringify({ t: 'file-cancel', id: this.transfer.id }));
    this.finish('canceled', progress);
  }

  fail(progress: () => void): void {
    if (this.transfer.status === 'active') this.finish('failed', progress);
  }

  private finish(status: FileTransferStatus, progress: () => void): void {
    this.update({ status });
    progress();
  }

  private update(change: Partial<FileTransfer>): void {
    this.transfer = { ...this.transfer, ...change };
  }
}

/** A file arriving from one peer: its chunks, checked against the size it announced. */
export class IncomingFile {
  transfer: FileTransfer;
  private readonly chunks: ArrayBuffer[] = [];

  constructor(peerId: string, peerName: string, header: { id: string; name: string; size: number; type: string }) {
    this.transfer = {
      id: header.id,
      direction: 'receive',
      peerId,
      peerName,
      fileName: header.name,
      size: header.size,
      type: header.type,
      bytes: 0,
      status: 'active',
    };
  }

  /** Takes a chunk; false when it would exceed the announced size (the transfer is then invalid). */
  add(chunk: ArrayBuffer): boolean {
    const bytes = this.transfer.bytes + chunk.byteLength;
    if (bytes > this.transfer.size) return false;
    this.chunks.push(chunk);
    this.transfer = { ...this.transfer, bytes };
    return true;
  }

  /** The whole file, once every announced byte has come; null when some are missing. */
  complete(): Blob | null {
    if (this.transfer.bytes !== this.transfer.size) return null;
    // Never the sender's type: a blob: URL of ours that a browser would render as HTML or SVG
    // would run the sender's script with our page's origin. As a plain download it cannot.
    const blob = new Blob(this.chunks, { type: 'application/octet-stream' });
    this.chunks.length = 0;
    return blob;
  }

  end(status: FileTransferStatus, url?: string): void {
    this.chunks.length = 0;
    this.transfer = { ...this.transfer, status, url };
  }
}
