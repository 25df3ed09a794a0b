import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express, { type Express } from 'express';
import { API_PATH } from '../src/core/protocol.js';
import type { ServerConfig } from './config.js';
import { handleErrors } from './http-errors.js';
import { findPackageRoot } from './package-root.js';
import { createRoomApi } from './room-api.js';
import { RoomRegistry } from './rooms.js';
import { attachSignaling } from './signaling.js';
import { createStaticRoutes, type StaticPaths } from './static-files.js';

export type { StaticPaths };

export interface PeercallServer {
  app: Express;
  httpServer: http.Server;
  rooms: RoomRegistry;
  /** Starts listening; `port` is the real one when the config asked for 0. */
  listen(): Promise<{ url: string; port: number }>;
  /** Drops every socket and stops listening; safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Everything peercall serves on one HTTP server: the room API (/api), PeerJS signaling
 * (/peerjs), the widget bundle (/video-call.js) and the demo page (/).
 * `paths` defaults to dist/ and demo/ of the peercall package.
 */
export function createPeercallServer(config: ServerConfig, paths: Partial<StaticPaths> = {}): PeercallServer {
  const rooms = new RoomRegistry({
    maxParticipants: config.maxParticipants,
    identityTtlMs: config.identityTtlMs,
  });
  const app = express();
  const httpServer = http.createServer(app);
  app.disable('x-powered-by');
  app.set('trust proxy', config.proxied);

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(`/${API_PATH}`, createRoomApi(rooms, config));
  const signaling = attachSignaling(app, httpServer, rooms, config);
  app.use(createStaticRoutes(resolveStaticPaths(paths)));
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found\n');
  });
  app.use(handleErrors);

  // Expired identities are already ignored everywhere; this only frees their memory.
  const sweepTimer = setInterval(() => rooms.sweep(), config.identityTtlMs);
  sweepTimer.unref();

  let closing: Promise<void> | undefined;

  return {
    app,
    httpServer,
    rooms,
    listen() {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          // Once listening, errors such as a failed accept() are worth a log line, not a crash.
          httpServer.on('error', (error) => console.error('peercall: HTTP server error:', error));
          const { port } = httpServer.address() as AddressInfo;
          resolve({ port, url: `http://${hostForUrl(config.host)}:${port}` });
        });
      });
    },
    close() {
      closing ??= new Promise((resolve) => {
        clearInterval(sweepTimer);
        signaling.close();
        httpServer.close(() => resolve());
        // Idle keep-alive connections would otherwise hold close() open until they time out.
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
