import { createHash, createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';

/**
 * Just enough of STUN (RFC 5389) and TURN (RFC 5766) to ask a TURN server for a relay: an
 * Allocate request over UDP with the long-term credential mechanism. Written for tests, so that
 * coturn's own verdict on a credential is what they check.
 */

const MAGIC_COOKIE = 0x2112a442;
const ALLOCATE_REQUEST = 0x0003;
const ALLOCATE_SUCCESS = 0x0103;
const ALLOCATE_ERROR = 0x0113;
const BINDING_REQUEST = 0x0001;
const ATTR = {
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  REALM: 0x0014,
  NONCE: 0x0015,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_TRANSPORT: 0x0019,
} as const;
const UDP_PROTOCOL = 17;

export interface StunResponse {
  type: number;
  attributes: Map<number, Buffer>;
}

export type AllocateResult =
  | { outcome: 'allocated'; relayPort: number }
  | { outcome: 'refused'; errorCode: number; reason: string };

export class StunClient {
  private readonly socket = dgram.createSocket('udp4');
  private readonly waiting = new Map<string, (response: StunResponse) => void>();

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.socket.on('message', (data) => {
      const response = parse(data);
      if (!response) return;
      this.waiting.get(response.transactionId)?.(response);
    });
  }

  /** A plain Binding request: true once the server answers anything. */
  async ping(timeoutMs: number): Promise<boolean> {
    try {
      await this.request(BINDING_REQUEST, [], undefined, timeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Allocates a UDP relay with `username`/`password`: first unauthenticated, to learn the realm
   * and nonce from the 401, then with MESSAGE-INTEGRITY.
   */
  async allocate(username: string, password: string): Promise<AllocateResult> {
    const transport = [attribute(ATTR.REQUESTED_TRANSPORT, Buffer.from([UDP_PROTOCOL, 0, 0, 0]))];
    const challenge = await this.request(ALLOCATE_REQUEST, transport);
    if (challenge.type !== ALLOCATE_ERROR || errorCode(challenge) !== 401) {
      throw new Error(`expected a 401 challenge, got type 0x${challenge.type.toString(16)} code ${errorCode(challenge)}`);
    }
    const realm = challenge.attributes.get(ATTR.REALM)!;
    const nonce = challenge.attributes.get(ATTR.NONCE)!;
    const key = createHash('md5').update(`${username}:${realm.toString('utf8')}:${password}`).digest();
    const response = await this.request(
      ALLOCATE_REQUEST,
      [...transport, attribute(ATTR.USERNAME, Buffer.from(username)), attribute(ATTR.REALM, realm), attribute(ATTR.NONCE, nonce)],
      key,
    );
    if (response.type === ALLOCATE_SUCCESS) {
      const relayed = response.attributes.get(ATTR.XOR_RELAYED_ADDRESS)!;
      return { outcome: 'allocated', relayPort: relayed.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16) };
    }
    const error = response.attributes.get(ATTR.ERROR_CODE);
    return { outcome: 'refused', errorCode: errorCode(response), reason: error ? error.subarray(4).toString('utf8') : '' };
  }

  close(): void {
    this.socket.close();
  }

  private request(type: number, attributes: Buffer[], integrityKey?: Buffer, timeoutMs = 3000): Promise<StunResponse & { transactionId: string }> {
    const transactionId = randomBytes(12);
    const message = encode(type, transactionId, attributes, integrityKey);
    return new Promise((resolve, reject) => {
      const id = transactionId.toString('hex');
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no STUN answer from ${this.host}:${this.port} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, (response) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve({ ...response, transactionId: id });
      });
      this.socket.send(message, this.port, this.host);
    });
  }
}

function attribute(type: number, value: Buffer): Buffer {
  const padding = (4 - (value.length % 4)) % 4;
  const header = Buffer.alloc(4);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(value.length, 2);
  return Buffer.concat([header, value, Buffer.alloc(padding)]);
}

function encode(type: number, transactionId: Buffer, attributes: Buffer[], integrityKey?: Buffer): Buffer {
  const body = Buffer.concat(attributes);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(type, 0);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(header, 8);
  if (!integrityKey) {
    header.writeUInt16BE(body.length, 2);
    return Buffer.concat([header, body]);
  }
  // The length must already count MESSAGE-INTEGRITY (24 bytes) when the HMAC is computed over
  // everything before it (RFC 5389 §15.4).
  header.writeUInt16BE(body.length + 24, 2);
  const hmac = createHmac('sha1', integrityKey).update(Buffer.concat([header, body])).digest();
  return Buffer.concat([header, body, attribute(ATTR.MESSAGE_INTEGRITY, hmac)]);
}

function parse(data: Buffer): (StunResponse & { transactionId: string }) | undefined {
  if (data.length < 20 || data.readUInt32BE(4) !== MAGIC_COOKIE) return undefined;
  const attributes = new Map<number, Buffer>();
  const end = Math.min(data.length, 20 + data.readUInt16BE(2));
  for (let offset = 20; offset + 4 <= end; ) {
    const type = data.readUInt16BE(offset);
    const length = data.readUInt16BE(offset + 2);
    attributes.set(type, data.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length + ((4 - (length % 4)) % 4);
  }
  return { type: data.readUInt16BE(0), transactionId: data.subarray(8, 20).toString('hex'), attributes };
}

function errorCode(response: StunResponse): number {
  const value = response.attributes.get(ATTR.ERROR_CODE);
  return value ? value[2]! * 100 + value[3]! : 0;
}
