import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express, { type Express } from 'express';
import { API_PATH } from '../src/core/protocol.js';
import type { ApiContext } from './api-context.js';
import { checkCombinations, type ServerConfig } from './config.js';
import { handleErrors } from './http-errors.js';
import { logError } from './log.js';
import { Metrics } from './metrics.js';
import { OriginPolicy } from './origin-policy.js';
import { findPackageRoot } from './package-root.js';
import { PresenceHub } from './presence.js';
import { RevokedTokens } from './revocations.js';
import { RoomAccessPolicy } from './room-access.js';
import { createRoomApi } from './room-api.js';
import { RoomRegistry } from './rooms.js';
import { attachSignaling } from './signaling.js';
import { createStaticRoutes, type StaticPaths } from './static-files.js';
import { WaitingRoom } from './waiting-room.js';

export type { StaticPaths };

/** A knock whose guest has had no poll open for this long is taken as abandoned. */
const KNOCK_ABANDON_MS = 60_000;

export interface PeercallServer {
  app: Express;
  httpServer: http.Server;
  rooms: RoomRegistry;
  metrics: Metrics;
  listen(): Promise<{ url: string; port: number }>;
  /** Drops every socket and stream and stops listening; safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Everything peercall serves on one HTTP server: the room API (/api), PeerJS signaling
 * (/peerjs), counters (/metrics), the widget bundle (/video-call.js) and the demo page (/).
 * `paths` defaults to dist/ and demo/ of the peercall package.
 */
export function createPeercallServer(config: ServerConfig, paths: Partial<StaticPaths> = {}): PeercallServer {
  checkCombinations(config);
  const rooms = new RoomRegistry({
    maxParticipants: config.maxParticipants,
    identityTtlMs: config.identityTtlMs,
  });
  const waiting = new WaitingRoom({ abandonAfterMs: KNOCK_ABANDON_MS });
  const revoked = new RevokedTokens();
  const origins = new OriginPolicy(config.allowedOrigins);
  const metrics = new Metrics();
  const presence = new PresenceHub({
    maxPerIp: config.maxPresencePerIp,
    maxTotal: config.maxPresence,
    count: (room) => rooms.connectedCount(room),
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
    onRosterChange: (room) => presence.update(room),
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
  };

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/metrics', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(
      metrics.snapshot({
        sockets: signaling.socketCount,
        rooms: rooms.roomCount,
        pendingIdentities: rooms.pendingCount,
        waitingGuests: waiting.size,
        presenceStreams: presence.size,
      }),
    );
  });
  app.use(`/${API_PATH}`, createRoomApi(ctx));
  app.use(createStaticRoutes(resolveStaticPaths(paths), origins));
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found\n');
  });
  app.use(handleErrors);

  // Expired identities and revocations are already ignored everywhere; this frees their memory.
  // Abandoned knocks also leave the hosts' waiting lists.
  const sweepTimer = setInterval(() => {
    rooms.sweep();
    revoked.sweep();
    for (const room of waiting.sweep()) signaling.pushRoster(room);
  }, Math.min(config.identityTtlMs, KNOCK_ABANDON_MS / 2));
  sweepTimer.unref();

  let closing: Promise<void> | undefined;

  return {
    app,
    httpServer,
    rooms,
    metrics,
    listen() {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          // Once listening, errors such as a failed accept() are worth a log line, not a crash.
          httpServer.on('error', (error) => logError('HTTP server error', error));
          const { port } = httpServer.address() as AddressInfo;
          resolve({ port, url: `http://${hostForUrl(config.host)}:${port}` });
        });
      });
    },
    close() {
      closing ??= new Promise((resolve) => {
        clearInterval(sweepTimer);
        signaling.close();
        presence.close();
        httpServer.close(() => resolve());
        // Idle keep-alive connections and long polls would otherwise hold close() open.
        httpServer.closeAllConnections();
      });
      return closing;
    },
  };
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
