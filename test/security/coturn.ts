import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StunClient } from './stun-client.js';

const TURNSERVER = 'turnserver';
const INSTALL_TIMEOUT_MS = 300_000;

/**
 * Makes sure Debian's coturn is installed: as root with apt-get it installs it, otherwise it fails
 * saying how to. Never skips: a TURN test that does not run proves nothing.
 */
export function ensureCoturn(): void {
  if (hasTurnserver()) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (!isRoot || !hasApt) {
    throw new Error('coturn is not installed and cannot be installed from here: run `sudo apt-get install -y coturn` first.');
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'coturn']]) {
    const result = spawnSync('apt-get', args, { env, stdio: 'pipe', timeout: INSTALL_TIMEOUT_MS, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed: ${result.stderr || result.error}`);
  }
  if (!hasTurnserver()) throw new Error('apt-get installed coturn, but turnserver is still not on the PATH.');
}

function hasTurnserver(): boolean {
  return spawnSync('sh', ['-c', `command -v ${TURNSERVER}`]).status === 0;
}

export interface Coturn {
  port: number;
  /** Everything coturn logged, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** Starts coturn on 127.0.0.1 with use-auth-secret, and waits until it answers STUN. */
export async function startCoturn(secret: string, realm: string): Promise<Coturn> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'peercall-coturn-'));
  const child: ChildProcess = spawn(
    TURNSERVER,
    [
      '-n',
      '--no-cli',
      '--no-tls',
      '--no-dtls',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      `--realm=${realm}`,
      '--allow-loopback-peers',
      '--log-file=stdout',
      '--simple-log',
      `--pidfile=${path.join(dir, 'turnserver.pid')}`,
      `--userdb=${path.join(dir, 'turndb')}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const probe = new StunClient('127.0.0.1', port);
  try {
    const deadline = Date.now() + 15_000;
    while (!(await probe.ping(500))) {
      if (child.exitCode !== null) throw new Error(`turnserver exited with ${child.exitCode}:\n${log}`);
      if (Date.now() > deadline) throw new Error(`turnserver did not answer STUN within 15 s:\n${log}`);
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    probe.close();
  }
  return { port, log: () => log, stop };
}

/** A port free for both UDP and TCP on 127.0.0.1 (coturn listens on both). */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const udp = dgram.createSocket('udp4');
    udp.bind(0, '127.0.0.1');
    await once(udp, 'listening');
    const { port } = udp.address();
    const tcp = net.createServer();
    const tcpFree = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    udp.close();
    if (tcpFree) {
      await new Promise((resolve) => tcp.close(resolve));
      return port;
    }
  }
  throw new Error('no port free for both UDP and TCP on 127.0.0.1');
}
