import type { ServerConfig } from './config.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { OriginPolicy } from './origin-policy.js';
import type { PresenceHub } from './presence.js';
import type { KeyedRateLimiter } from './rate-limit.js';
import type { ResumeTickets } from './resume-tickets.js';
import type { RevokedTokens } from './revocations.js';
import type { RoomAccessPolicy } from './room-access.js';
import type { RoomRegistry } from './rooms.js';
import type { Signaling } from './signaling.js';
import type { StandbyPool } from './standby.js';
import type { WaitingRoom } from './waiting-room.js';

/** The server's state and services, as the API's route handlers use them. */
export interface ApiContext {
  config: ServerConfig;
  rooms: RoomRegistry;
  access: RoomAccessPolicy;
  waiting: WaitingRoom;
  revoked: RevokedTokens;
  origins: OriginPolicy;
  metrics: Metrics;
  signaling: Signaling;
  presence: PresenceHub;
  tickets: ResumeTickets;
  logger: Logger;
  /** Joins per client address, by HTTP and over standby sockets alike. */
  joinLimiter: KeyedRateLimiter;
  /** Identities whose signaling socket opens before their join (see standby.ts). */
  standby: StandbyPool;
  /** True once a graceful shutdown began: joins are refused with server-busy. */
  isDraining(): boolean;
}
