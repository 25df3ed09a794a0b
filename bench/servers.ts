import express from 'express';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ExpressPeerServer } from 'peer';
import { build } from 'vite';
import { trackTimers } from '../server/peer-timers.js';

/** Builds the bench pages (plain PeerJS, core mesh) into node_modules/.cache/peercall-bench. */
export async function buildBenchPages(root: string): Promise<string> {
  const outDir = join(root, 'node_modules', '.cache', 'peercall-bench');
  mkdirSync(outDir, { recursive: true });
  await build({
    root: join(root, 'bench', 'pages'),
    configFile: false,
    logLevel: 'silent',
    build: {
      outDir,
      emptyOutDir: true,
      minify: true,
      target: 'es2022',
      rolldownOptions: {
        input: {
          'plain-peerjs': join(root, 'bench', 'pages', 'plain-peerjs.html'),
          'core-mesh': join(root, 'bench', 'pages', 'core-mesh.html'),
        },
      },
    },
  });
  return outDir;
}

/** A bare PeerServer with its defaults, mounted at /peerjs, also serving the built bench pages. */
export async function startBarePeerServer(pagesDir: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  const server = http.createServer(app);
  const stopTimers = trackTimers(() => app.use('/peerjs', ExpressPeerServer(server, { path: '/' })));
  app.use(express.static(pagesDir));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        stopTimers();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
