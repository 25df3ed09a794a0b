import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express, { type Express } from 'express';
import { API_PATH } from '../src/core/protocol.js';
import type { ApiContext } from './api-context.js';
import { checkCombinations, type ServerConfig } from './config.js';
import { handleErrors } from './http-errors.js';
import { createLogger, errorField, type Logger } from './log.js';
import { Metrics, ProcessStats } from './metrics.js';
import { OriginPolicy } from './origin-policy.js';
import { findPackageRoot } from './package-root.js';
import { PresenceHub } from './presence.js';
import { KeyedRateLimiter } from './rate-limit.js';
import { ResumeTickets } from './resume-tickets.js';
import { RevokedTokens } from './revocations.js';
import { RoomAccessPolicy } from './room-access.js';
import { createRoomApi } from './room-api.js';
import { RoomRegistry } from './rooms.js';
import { attachSignaling } from './signaling.js';
import { STANDBY_KEEP_MS, StandbyPool, joinOverStandby } from './standby.js';
import { loadRevocations, loadServerState, saveRevocations, type SecretSource } from './state.js';
import { createStaticRoutes, type StaticPaths } from './static-files.js';
import { WaitingRoom } from './waiting-room.js';

export type { StaticPaths };

/** A knock whose guest has had no poll open for this long is taken as abandoned. */
const KNOCK_ABANDON_MS = 60_000;
/** How often refusals are summed up in a debug log line (only when debug is on). */
const REFUSAL_SUMMARY_MS = 60_000;
const REFUSAL_PREFIXES = ['http.refused.', 'upgrade.refused.', 'signaling.closed.', 'signaling.dropped.', 'standby.refused.'];
const JOIN_RATE_WINDOW_SECONDS = 10;

export interface PeercallServer {
  app: Express;
  httpServer: http.Server;
  rooms: RoomRegistry;
  metrics: Metrics;
  logger: Logger;
  /** Where the resume secret came from; `ephemeral` means tickets die with this process. */
  secretSource: SecretSource;
  /** Signaling sockets open now. */
  readonly socketCount: number;
  listen(): Promise<{ url: string; port: number }>;
  /**
   * Graceful: refuses new joins and sockets (503) and answers /healthz 503, sends every socket a
   * ReconnectMessage and closes it (1012), then closes the HTTP server. Resolves when done; the
   * sockets that do not close within `graceMs` are cut off.
   */
  shutdown(graceMs?: number): Promise<void>;
  /** Drops every socket and stream and stops listening; safe to call more than once. */
  close(): Promise<void>;
}

export interface ServerOptions extends Partial<StaticPaths> {
  /** Default: JSON lines on stdout at the config's log level. */
  logger?: Logger;
}

/**
 * Everything peercall serves on one HTTP server: the room API (/api), PeerJS signaling
 * (/peerjs), counters (/metrics), the widget bundle (/video-call.js) and the demo page (/).
 * `paths` defaults to dist/ and demo/ of the peercall package.
 */
export function createPeercallServer(config: ServerConfig, options: ServerOptions = {}): PeercallServer {
  checkCombinations(config);
  const { logger = createLogger({ level: config.logLevel }), ...paths } = options;
  const state = loadServerState(config);
  for (const warning of state.warnings) logger.warn(warning);
  if (state.secretSource === 'ephemeral') logger.debug('resume secret is random for this process: tickets will not survive a restart');
  const rooms = new RoomRegistry({
    maxParticipants: config.maxParticipants,
    identityTtlMs: config.identityTtlMs,
  });
  const waiting = new WaitingRoom({ abandonAfterMs: KNOCK_ABANDON_MS });
  const stateDir = state.dir;
  const revoked = new RevokedTokens(Date.now, loadRevocations(stateDir), (entries) => {
    if (stateDir === undefined) return;
    try {
      saveRevocations(stateDir, entries);
    } catch (error) {
      logger.error('cannot save removals to the state dir; they will not survive a restart', errorField(error));
    }
  });
  const tickets = new ResumeTickets(state.secret);
  const origins = new OriginPolicy(config.allowedOrigins);
  const metrics = new Metrics();
  const processStats = new ProcessStats();
  let draining = false;
  const presence = new PresenceHub({
    maxPerIp: config.maxPresencePerIp,
    maxTotal: config.maxPresence,
    count: (room) => rooms.connectedCount(room),
  });
  // Standbys may take half of an address's sockets and a quarter of the server's, so that sockets
  // opened ahead of a click can never crowd out the members of a call.
  const standby = new StandbyPool({
    maxPerIp: Math.max(1, Math.floor(config.maxSocketsPerIp / 2)),
    maxTotal: Math.max(1, Math.floor(config.maxSockets / 4)),
    connectTtlMs: config.identityTtlMs,
    idleTtlMs: STANDBY_KEEP_MS * 3,
  });
  const app = express();
  const httpServer = http.createServer(app);
  app.disable('x-powered-by');
  // Every API answer is fresh (no-store) or an error: hashing each body for an ETag is wasted work.
  app.disable('etag');
  // One hop: the address our own proxy saw. Everything further left the client wrote itself.
  app.set('trust proxy', config.proxied ? 1 : false);

  const signaling = attachSignaling(app, httpServer, {
    rooms,
    waiting,
    origins,
    metrics,
    config,
    logger,
    standby,
    onRosterChange: (room) => presence.update(room),
    onStandbyJoin: (peerId, payload, ipKey) =>
      void joinOverStandby(ctx, peerId, payload, ipKey).catch((error: unknown) => {
        logger.error('standby join failed', errorField(error));
        signaling.endStandby(peerId, {});
      }),
  });
  const ctx: ApiContext = {
    config,
    rooms,
    access: new RoomAccessPolicy(config),
    waiting,
    revoked,
    origins,
    metrics,
    signaling,
    presence,
    tickets,
    logger,
    joinLimiter: new KeyedRateLimiter({ capacity: config.joinRate, perSecond: config.joinRate / JOIN_RATE_WINDOW_SECONDS }),
    standby,
    isDraining: () => draining,
  };

  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (draining) res.status(503).json({ ok: false, draining: true });
    else res.json({ ok: true });
  });
  app.get('/metrics', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(
      metrics.snapshot(
        {
          sockets: signaling.socketCount,
          rooms: rooms.roomCount,
          pendingIdentities: rooms.pendingCount,
          standbys: standby.size,
          waitingGuests: waiting.size,
          presenceStreams: presence.size,
        },
        processStats.snapshot(),
      ),
    );
  });
  app.use(`/${API_PATH}`, createRoomApi(ctx));
  app.use(createStaticRoutes(resolveStaticPaths(paths), origins));
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found\n');
  });
  app.use(handleErrors(logger));

  // Expired identities and revocations are already ignored everywhere; this frees their memory.
  // Abandoned knocks also leave the hosts' waiting lists.
  const sweepTimer = setInterval(() => {
    rooms.sweep();
    revoked.sweep();
    for (const room of waiting.sweep()) signaling.pushRoster(room);
    signaling.sweepStandbys();
  }, Math.min(config.identityTtlMs, KNOCK_ABANDON_MS / 2));
  sweepTimer.unref();

  const summaryTimer = logger.isLevelEnabled('debug') ? startRefusalSummaries(metrics, logger) : undefined;

  let closing: Promise<void> | undefined;
  let shuttingDown: Promise<void> | undefined;

  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      draining = true;
      clearInterval(sweepTimer);
      clearInterval(summaryTimer);
      processStats.close();
      signaling.close();
      presence.close();
      httpServer.close(() => resolve());
      // Idle keep-alive connections and long polls would otherwise hold close() open.
      httpServer.closeAllConnections();
    });
    return closing;
  };

  return {
    app,
    httpServer,
    rooms,
    metrics,
    logger,
    secretSource: state.secretSource,
    get socketCount() {
      return signaling.socketCount;
    },
    listen() {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          // Once listening, errors such as a failed accept() are worth a log line, not a crash.
          httpServer.on('error', (error) => logger.error('HTTP server error', errorField(error)));
          const { port } = httpServer.address() as AddressInfo;
          resolve({ port, url: `http://${hostForUrl(config.host)}:${port}` });
        });
      });
    },
    shutdown(graceMs = 2000) {
      shuttingDown ??= (async () => {
        draining = true;
        await signaling.drain(graceMs);
        await close();
      })();
      return shuttingDown;
    },
    close,
  };
}

/** Every minute, one debug line with the refusals of that minute (none when there were none). */
function startRefusalSummaries(metrics: Metrics, logger: Logger): NodeJS.Timeout {
  let previous = new Map<string, number>();
  const timer = setInterval(() => {
    const current = new Map(REFUSAL_PREFIXES.flatMap((prefix) => [...metrics.countersStartingWith(prefix)]));
    const counts: Record<string, number> = {};
    for (const [name, count] of current) {
      const added = count - (previous.get(name) ?? 0);
      if (added > 0) counts[name] = added;
    }
    previous = current;
    if (Object.keys(counts).length > 0) logger.debug('refusals in the last minute', { counts });
  }, REFUSAL_SUMMARY_MS);
  timer.unref();
  return timer;
}

function resolveStaticPaths({ widgetDir, demoDir }: Partial<StaticPaths>): StaticPaths {
  if (widgetDir !== undefined && demoDir !== undefined) return { widgetDir, demoDir };
  const packageRoot = findPackageRoot();
  return {
    widgetDir: widgetDir ?? path.join(packageRoot, 'dist'),
    demoDir: demoDir ?? path.join(packageRoot, 'demo'),
  };
}

const ANY_LOCAL_ADDRESS = new Set(['127.0.0.1', '0.0.0.0', '::']);

function hostForUrl(host: string): string {
  if (ANY_LOCAL_ADDRESS.has(host)) return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
