/** Someone in the call, as the UI shows them. */
export interface Participant {
  /** The server-minted PeerJS id. */
  readonly peerId: string;
  /** Display name, cleaned by the server; always render it as text. */
  readonly name: string;
  /** True for the local user. */
  readonly local: boolean;
  /** Their media, once it has arrived (the local preview for the local user). */
  readonly stream: MediaStream | null;
}
