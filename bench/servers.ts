import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
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

/** A server running in a child process, so that its timing never waits on the benchmark's own event loop. */
export interface ChildServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts `args` (a node script and its arguments, run with tsx) and resolves with the first
 * http:// URL it prints, as the peercall CLI and bench/bare-server.ts both do.
 */
export async function startChildServer(root: string, args: string[]): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start in time`)), 20_000);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = output.match(/http:\/\/[^\s)"]+/);
      if (found) {
        clearTimeout(timer);
        resolve(found[0].replace('localhost', '127.0.0.1').replace(/\/?$/, '/'));
      }
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
  return {
    url,
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
