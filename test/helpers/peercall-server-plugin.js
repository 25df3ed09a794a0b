import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJoinToken, createPeercallServer, parseConfig } from '../../server/index.ts';

/**
 * Token rooms of the browser tests: `tok-*` need a join token, `wait-*` also have a waiting room.
 * Tests get real tokens, signed by the Node side with this secret, from `/__peercall-tokens.js`.
 */
const TOKEN_ROOMS = 'tok-*,wait-*';
const WAITING_ROOMS = 'wait-*';
const TOKEN_SECRET = 'wtr-join-token-secret-0123456789abcdef';

/** A browser module whose `joinToken()` asks this plugin for a token (the secret stays in Node). */
const TOKENS_MODULE = `export async function joinToken({ room, role = 'guest', name, jti, ttlSeconds = 600 }) {
  const query = new URLSearchParams({ room, role, ttlSeconds: String(ttlSeconds) });
  if (name !== undefined) query.set('name', name);
  if (jti !== undefined) query.set('jti', jti);
  const response = await fetch('/__peercall-token?' + query);
  if (!response.ok) throw new Error(await response.text());
  return response.text();
}
`;

/**
 * A @web/test-runner plugin that runs a real peercall server for the browser tests on an
 * ephemeral loopback port. Tests read its URL with `import serverUrl from '/__peercall-server.js'`.
 */
export function peercallServerPlugin() {
  let server;
  let url;
  let emptyDir;
  /** Every signaling socket's TCP connection, so a test can cut them like a network blip would. */
  const upgraded = new Set();
  return {
    name: 'peercall-server',
    async serverStart() {
      emptyDir = mkdtempSync(join(tmpdir(), 'peercall-wtr-'));
      // Every test joins from 127.0.0.1: the per-address join limit is meant for the internet, not for this suite.
      const args = ['--port', '0', '--host', '127.0.0.1', '--join-rate', '100000'];
      args.push('--token-rooms', TOKEN_ROOMS, '--waiting-rooms', WAITING_ROOMS, '--token-secret', TOKEN_SECRET);
      server = createPeercallServer(parseConfig(args, {}), {
        widgetDir: emptyDir,
        demoDir: emptyDir,
      });
      ({ url } = await server.listen());
      server.httpServer.on('upgrade', (_req, socket) => {
        upgraded.add(socket);
        socket.on('close', () => upgraded.delete(socket));
      });
    },
    async serverStop() {
      await server?.close();
      if (emptyDir) rmSync(emptyDir, { recursive: true, force: true });
    },
    /** `executeServerCommand('peercall-drop-sockets')`: resets every signaling connection at once. */
    executeCommand({ command }) {
      if (command !== 'peercall-drop-sockets') return undefined;
      const dropped = upgraded.size;
      for (const socket of upgraded) socket.destroy();
      return dropped;
    },
    async serve(context) {
      if (context.path === '/__peercall-tokens.js') return { body: TOKENS_MODULE, type: 'js' };
      if (context.path === '/__peercall-token') {
        const { room, role, name, jti, ttlSeconds } = context.query;
        const token = await createJoinToken({ secret: TOKEN_SECRET, room, role, name, jti, ttlSeconds: Number(ttlSeconds) });
        return { body: token, type: 'text' };
      }
      if (context.path === '/__peercall-server.js') {
        return { body: `export default ${JSON.stringify(url.replace('localhost', '127.0.0.1') + '/')};`, type: 'js' };
      }
    },
  };
}
