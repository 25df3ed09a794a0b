import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPeercallServer, parseConfig } from '../../server/index.ts';

/**
 * A @web/test-runner plugin that runs a real peercall server for the browser tests on an
 * ephemeral loopback port. Tests read its URL with `import serverUrl from '/__peercall-server.js'`.
 */
export function peercallServerPlugin() {
  let server;
  let url;
  let emptyDir;
  return {
    name: 'peercall-server',
    async serverStart() {
      emptyDir = mkdtempSync(join(tmpdir(), 'peercall-wtr-'));
      // Every test joins from 127.0.0.1: the per-address join limit is meant for the internet, not for this suite.
      const args = ['--port', '0', '--host', '127.0.0.1', '--join-rate', '100000'];
      server = createPeercallServer(parseConfig(args, {}), {
        widgetDir: emptyDir,
        demoDir: emptyDir,
      });
      ({ url } = await server.listen());
    },
    async serverStop() {
      await server?.close();
      if (emptyDir) rmSync(emptyDir, { recursive: true, force: true });
    },
    serve(context) {
      if (context.path === '/__peercall-server.js') {
        return { body: `export default ${JSON.stringify(url.replace('localhost', '127.0.0.1') + '/')};`, type: 'js' };
      }
    },
  };
}
