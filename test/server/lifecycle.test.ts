import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { describe, test } from 'node:test';
import { REPO_ROOT, runCli, spawnCli, withTimeout } from './helpers.js';

describe('process lifecycle', () => {
  test('an embedding process exits by itself after close()', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/server/fixtures/embed-and-close.ts'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    try {
      const [code] = await withTimeout(once(child, 'exit'), 10_000, 'the embedding process to exit');
      assert.equal(code, 0);
      assert.equal(stdout, 'closed\n');
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('the CLI announces its URL, serves, and exits 0 on SIGTERM', async () => {
    const child = spawnCli(['--port', '0']);
    try {
      let stdout = '';
      const announced = new Promise<string>((resolve) => {
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
          const match = /^peercall listening on (http:\/\/localhost:\d+) \(demo at \/, widget at \/video-call\.js\)\n$/.exec(stdout);
          if (match) resolve(match[1]!);
        });
      });
      const url = await withTimeout(announced, 10_000, 'the listening line');
      const health = await fetch(`${url.replace('localhost', '127.0.0.1')}/healthz`);
      assert.deepEqual(await health.json(), { ok: true });
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await withTimeout(exited, 5000, 'the CLI to exit');
      assert.equal(code, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('the CLI exits 2 with a clear message when the port is taken', async () => {
    const blocker = net.createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const result = await runCli(['--port', String(port)]);
      assert.equal(result.code, 2);
      assert.equal(result.stderr, `Port ${port} on 127.0.0.1 is already in use. Stop the other server or pick another port with --port.\n`);
    } finally {
      blocker.close();
    }
  });
});
