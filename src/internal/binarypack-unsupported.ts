/**
 * Stands in for `peerjs-js-binarypack` in the widget build (see vite.config.ts).
 *
 * PeerJS imports BinaryPack for data connections with its default `binary` serialization. Every
 * data connection peercall opens or accepts uses `raw` serialization (its own framing over the
 * channel), so the packer is dead weight: a fifth of PeerJS. A peer that opens a data connection
 * with another serialization is refused by peercall before any data is read; should PeerJS still
 * try to pack or unpack, it fails loudly here instead of misreading the bytes.
 */
function unsupported(): never {
  throw new Error('peercall does not support PeerJS binary serialization; data connections use "raw".');
}

export const pack: (data: unknown) => ArrayBuffer | Promise<ArrayBuffer> = unsupported;
export const unpack: <T>(data: ArrayBuffer) => T = unsupported;
