import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { JoinResponse } from '../../src/core/protocol.js';
import { PeerSocket, REPO_ROOT, delay, identityQuery, join, jsonLines, runCli, spawnCli, withTimeout } from './helpers.js';

async function freeTcpPort(): Promise<number> {
  const probe = net.createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

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
      const lines = jsonLines(child.stdout);
      const started = await withTimeout(lines.find((line) => /^peercall listening on /.test(String(line.msg))), 10_000, 'the listening line');
      assert.match(String(started.msg), /^peercall listening on http:\/\/localhost:\d+ \(demo at \/, widget at \/video-call\.js\)$/);
      assert.equal(started.level, 'info');
      const url = String(started.url);
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

  test('on SIGTERM the CLI tells connected browsers to reconnect, closes them with 1012 and exits 0 within 5 s', async () => {
    const child = spawnCli(['--port', '0', '--log-level', 'info']);
    try {
      const lines = jsonLines(child.stdout);
      const started = await withTimeout(lines.find((line) => /^peercall listening on /.test(String(line.msg))), 10_000, 'the listening line');
      // Without a home directory or --state-dir the secret cannot survive a restart: say so.
      await withTimeout(lines.find((line) => line.level === 'warn' && /will not survive a restart/.test(String(line.msg))), 3000, 'the warning');
      assert.equal(started.resumeSecretSource, 'ephemeral');
      const port = Number(new URL(String(started.url)).port);
      const joined = await join(`http://127.0.0.1:${port}`, 'sigterm', 'Ann');
      const socket = await PeerSocket.open(port, identityQuery(joined));
      await socket.next('OPEN');
      await socket.next('the roster');
      const exited = once(child, 'exit');
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      assert.deepEqual(await socket.next('the reconnect message'), { type: 'PEERCALL_RECONNECT' });
      assert.equal((await socket.closed()).code, 1012);
      const [code] = await withTimeout(exited, 5000, 'the CLI to exit');
      assert.equal(code, 0);
      assert.ok(Date.now() - signalledAt < 5000);
      const messages = lines.lines.map((line) => line.msg);
      assert.ok(messages.includes('shutting down: telling browsers to reconnect'), lines.text);
      assert.ok(messages.includes('shut down'), lines.text);
      // No credential of the join ever reaches the log.
      for (const secret of [joined.token, joined.resume]) assert.ok(!lines.text.includes(secret));
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('after kill -9 the CLI restarted on the same state dir honours resume tickets', async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'peercall-cli-state-'));
    const start = async (port: number) => {
      const child = spawnCli(['--port', String(port), '--state-dir', stateDir, '--log-level', 'warn']);
      const lines = jsonLines(child.stdout);
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 10_000;
      for (;;) {
        if (Date.now() > deadline) throw new Error(`the CLI did not answer on ${base}: ${lines.text}`);
        const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
        if (ok) break;
        await delay(100);
      }
      return { child, base, lines };
    };
    const port = await freeTcpPort();
    const first = await start(port);
    let second: Awaited<ReturnType<typeof start>> | undefined;
    try {
      const joined = await join(first.base, 'restart', 'Ann');
      const socket = await PeerSocket.open(port, identityQuery(joined));
      await socket.next('OPEN');
      const killed = once(first.child, 'exit');
      first.child.kill('SIGKILL');
      await withTimeout(killed, 5000, 'the killed CLI to exit');
      await socket.closed();
      second = await start(port);
      const response = await fetch(`${second.base}/api/rooms/restart/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resume: joined.resume }),
      });
      assert.equal(response.status, 200, await response.clone().text());
      const back = (await response.json()) as JoinResponse;
      assert.equal(back.peerId, joined.peerId);
      const again = await PeerSocket.open(port, identityQuery(back));
      assert.deepEqual(await again.next('OPEN'), { type: 'OPEN' });
      await again.close();
      assert.equal(second.lines.lines.filter((line) => line.level === 'warn' || line.level === 'error').length, 0, second.lines.text);
    } finally {
      first.child.kill('SIGKILL');
      second?.child.kill('SIGKILL');
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  test('the CLI exits 2 on a short --secret and on a state dir it cannot use', async () => {
    const short = await runCli(['--port', '0', '--secret', 'too-short']);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /^--secret must be at least 32 bytes long/);
    const blocker = path.join(mkdtempSync(path.join(tmpdir(), 'peercall-cli-')), 'file');
    writeFileSync(blocker, '');
    const unusable = await runCli(['--port', '0', '--state-dir', path.join(blocker, 'state')]);
    assert.equal(unusable.code, 2);
    assert.match(unusable.stderr, /^Cannot use the state dir .*: ENOTDIR/);
    rmSync(path.dirname(blocker), { recursive: true, force: true });
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
