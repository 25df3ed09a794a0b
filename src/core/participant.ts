import type { ParticipantRole, ParticipantStatus } from './protocol.js';

/** Someone in the call, as the UI shows them. */
export interface Participant {
  /** The server-minted PeerJS id. */
  readonly peerId: string;
  /** Display name, cleaned by the server; always render it as text. */
  readonly name: string;
  /** True for the local user. */
  readonly local: boolean;
  /** `host` or `guest` in token rooms; always `guest` in open rooms. */
  readonly role: ParticipantRole;
  /** Their media, once it has arrived (the local preview for the local user). */
  readonly stream: MediaStream | null;
  /**
   * The media path to them: `connecting` until it first comes up, `connected`, then `reconnecting`
   * while it is interrupted or being placed again. Always `connected` for the local user.
   */
  readonly connection: ParticipantConnection;
  /**
   * Microphone, camera, raised hand and recording, as they report it themselves (display only);
   * absent for someone who has not reported it yet.
   */
  readonly status?: ParticipantStatus;
}

export type ParticipantConnection = 'connecting' | 'connected' | 'reconnecting';
