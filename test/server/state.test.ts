import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, defaultStateDir, parseConfig, type ServerConfig } from '../../server/config.js';
import { RevokedTokens } from '../../server/revocations.js';
import { loadRevocations, loadServerState, saveRevocations } from '../../server/state.js';

const root = mkdtempSync(path.join(tmpdir(), 'peercall-state-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const fresh = () => path.join(root, `dir-${++counter}`, 'peercall');

function config(overrides: Partial<ServerConfig>): ServerConfig {
  return { ...parseConfig([], {}), ...overrides };
}

describe('defaultStateDir', () => {
  test('follows XDG_STATE_HOME, then HOME; none without either', () => {
    assert.equal(defaultStateDir({ XDG_STATE_HOME: '/x/state', HOME: '/home/a' }), '/x/state/peercall');
    assert.equal(defaultStateDir({ HOME: '/home/a' }), '/home/a/.local/state/peercall');
    assert.equal(defaultStateDir({ XDG_STATE_HOME: 'relative', HOME: '/home/a' }), '/home/a/.local/state/peercall');
    assert.equal(defaultStateDir({}), undefined);
    assert.deepEqual(
      [parseConfig([], { HOME: '/home/a' }).stateDir, parseConfig([], { HOME: '/home/a' }).stateDirSource],
      ['/home/a/.local/state/peercall', 'default'],
    );
    assert.equal(parseConfig(['--state-dir', 'rel/dir'], { HOME: '/home/a' }).stateDir, path.resolve('rel/dir'));
  });

  test('--secret must be at least 32 bytes; --log-level a known level', () => {
    assert.throws(() => parseConfig(['--secret', 'short'], {}), (e) => e instanceof ConfigError && /at least 32 bytes/.test(e.message));
    assert.throws(() => parseConfig([], { PEERCALL_SECRET: 'x'.repeat(31) }), ConfigError);
    assert.equal(parseConfig(['--secret', 'x'.repeat(32)], {}).secret, 'x'.repeat(32));
    assert.throws(() => parseConfig(['--log-level', 'loud'], {}), (e) => e instanceof ConfigError && /silent/.test(e.message));
    assert.equal(parseConfig(['--log-level', 'silent'], {}).logLevel, 'silent');
  });
});

describe('loadServerState', () => {
  test('creates the secret once (0600 in a 0700 dir) and reads it back on the next start', () => {
    const dir = fresh();
    const first = loadServerState(config({ stateDir: dir, stateDirSource: 'option' }));
    assert.equal(first.secretSource, 'generated');
    assert.match(first.secret, /^[0-9a-f]{64}$/);
    assert.equal(statSync(path.join(dir, 'secret')).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.deepEqual(first.warnings, []);
    const second = loadServerState(config({ stateDir: dir, stateDirSource: 'option' }));
    assert.equal(second.secretSource, 'state-dir');
    assert.equal(second.secret, first.secret);
    assert.equal(readFileSync(path.join(dir, 'secret'), 'utf8'), `${first.secret}\n`);
  });

  test('--secret wins over the state dir, which still holds removals', () => {
    const dir = fresh();
    const state = loadServerState(config({ stateDir: dir, stateDirSource: 'option', secret: 's'.repeat(40) }));
    assert.deepEqual([state.secret, state.secretSource, state.dir], ['s'.repeat(40), 'option', dir]);
  });

  test('without a state dir the secret is random and dies with the process', () => {
    const a = loadServerState(config({}));
    const b = loadServerState(config({}));
    assert.equal(a.secretSource, 'ephemeral');
    assert.notEqual(a.secret, b.secret);
  });

  test('a state dir the operator named must be usable; a default one is skipped with a warning', () => {
    const blocker = path.join(root, `file-${++counter}`);
    writeFileSync(blocker, 'not a directory');
    const inside = path.join(blocker, 'peercall');
    assert.throws(() => loadServerState(config({ stateDir: inside, stateDirSource: 'option' })), (e) => e instanceof ConfigError && e.message.includes(inside));
    const fallback = loadServerState(config({ stateDir: inside, stateDirSource: 'default' }));
    assert.equal(fallback.secretSource, 'ephemeral');
    assert.equal(fallback.dir, undefined);
    assert.match(fallback.warnings.join('\n'), /cannot use the default state dir/);
  });

  test('warns about a secret others can read, and refuses one too short to use', () => {
    const dir = fresh();
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'secret'), `${'a'.repeat(64)}\n`);
    chmodSync(path.join(dir, 'secret'), 0o644);
    const state = loadServerState(config({ stateDir: dir, stateDirSource: 'option' }));
    assert.equal(state.secret, 'a'.repeat(64));
    assert.match(state.warnings.join('\n'), /readable by other users \(mode 644\)/);
    writeFileSync(path.join(dir, 'secret'), 'short\n');
    assert.throws(() => loadServerState(config({ stateDir: dir, stateDirSource: 'option' })), /no usable secret/);
  });
});

describe('saved removals', () => {
  test('are written atomically (0600), read back without the expired ones, and survive a torn file', () => {
    const dir = fresh();
    mkdirSync(dir, { recursive: true });
    const now = 1_000_000;
    assert.deepEqual(loadRevocations(dir, now), []);
    const revoked = new RevokedTokens(() => now, [], (entries) => saveRevocations(dir, entries));
    revoked.revoke('jti:a', now + 5000);
    revoked.revoke('sha256:b', now + 10);
    assert.equal(statSync(path.join(dir, 'revocations.json')).mode & 0o777, 0o600);
    assert.deepEqual(loadRevocations(dir, now + 100), [['jti:a', now + 5000]]);
    const restored = new RevokedTokens(() => now + 100, loadRevocations(dir, now + 100));
    assert.equal(restored.isRevoked('jti:a'), true);
    assert.equal(restored.isRevoked('sha256:b'), false);
    writeFileSync(path.join(dir, 'revocations.json'), '{"entries":[["jti:a",');
    assert.deepEqual(loadRevocations(dir, now), []);
    assert.deepEqual(loadRevocations(undefined), []);
  });
});
