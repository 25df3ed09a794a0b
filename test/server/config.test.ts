import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, parseConfig, usage, wantsHelp } from '../../server/config.js';
import { runCli } from './helpers.js';

function configError(pattern: RegExp) {
  return (error: unknown) => error instanceof ConfigError && pattern.test(error.message);
}

describe('parseConfig', () => {
  test('defaults are local-only, without any third-party STUN/TURN', () => {
    assert.deepEqual(parseConfig([], {}), {
      port: 9000,
      host: '127.0.0.1',
      iceServers: [],
      maxParticipants: 6,
      identityTtlMs: 30_000,
      aliveTimeoutMs: 15_000,
      peerKey: 'peercall',
      proxied: false,
    });
  });

  test('reads every option from the environment, converting seconds to ms', () => {
    const config = parseConfig([], {
      PORT: '8080',
      HOST: '0.0.0.0',
      PEERCALL_ICE_SERVERS: 'stun:stun.example.com:3478',
      PEERCALL_MAX_PARTICIPANTS: '4',
      PEERCALL_IDENTITY_TTL: '10',
      PEERCALL_ALIVE_TIMEOUT: '20',
      PEERCALL_PEER_KEY: 'my-key',
      PEERCALL_PROXIED: 'true',
    });
    assert.deepEqual(config, {
      port: 8080,
      host: '0.0.0.0',
      iceServers: [{ urls: 'stun:stun.example.com:3478' }],
      maxParticipants: 4,
      identityTtlMs: 10_000,
      aliveTimeoutMs: 20_000,
      peerKey: 'my-key',
      proxied: true,
    });
  });

  test('flags win over the environment, in both --x y and --x=y forms', () => {
    const env = { PORT: '8080', HOST: '0.0.0.0', PEERCALL_PROXIED: 'true', PEERCALL_PEER_KEY: 'env-key' };
    const config = parseConfig(['--port', '7000', '--host=::1', '--proxied=false', '--peer-key=flag-key'], env);
    assert.equal(config.port, 7000);
    assert.equal(config.host, '::1');
    assert.equal(config.proxied, false);
    assert.equal(config.peerKey, 'flag-key');
  });

  test('--proxied alone switches it on; the last repeated flag wins', () => {
    assert.equal(parseConfig(['--proxied'], {}).proxied, true);
    assert.equal(parseConfig(['--port', '1', '--port=2'], {}).port, 2);
  });

  test('port 0 (ephemeral) is allowed; empty variables count as unset', () => {
    assert.equal(parseConfig(['--port', '0'], {}).port, 0);
    assert.equal(parseConfig([], { PORT: '', PEERCALL_ICE_SERVERS: '' }).port, 9000);
  });

  test('ignores --help and -h, which the CLI handles first', () => {
    assert.equal(parseConfig(['-h', '--help'], {}).port, 9000);
    assert.equal(wantsHelp(['--port', '1', '-h']), true);
    assert.equal(wantsHelp(['--port', '1']), false);
  });

  test('refuses unknown options and stray arguments', () => {
    assert.throws(() => parseConfig(['--bogus'], {}), configError(/Unknown option --bogus/));
    assert.throws(() => parseConfig(['--bogus=1'], {}), configError(/Unknown option --bogus\./));
    assert.throws(() => parseConfig(['9000'], {}), configError(/Unexpected argument "9000"/));
    assert.throws(() => parseConfig(['-p', '9000'], {}), configError(/Unexpected argument "-p"/));
  });

  test('refuses a missing value', () => {
    assert.throws(() => parseConfig(['--port'], {}), configError(/--port needs a value/));
    assert.throws(() => parseConfig(['--port', '--proxied'], {}), configError(/--port needs a value/));
  });

  test('refuses non-numeric and out-of-range numbers, naming where they came from', () => {
    for (const bad of ['abc', '', '-1', '65536', '1e3', '0x10', ' 80', '80.5']) {
      assert.throws(() => parseConfig([`--port=${bad}`], {}), configError(/--port must be a whole number from 0 to 65535/), bad);
    }
    assert.throws(() => parseConfig([], { PORT: 'abc' }), configError(/^PORT must be a whole number/));
    assert.throws(() => parseConfig(['--max-participants', '1'], {}), configError(/from 2 to 50/));
    assert.throws(() => parseConfig(['--max-participants', '51'], {}), configError(/from 2 to 50/));
    assert.throws(() => parseConfig(['--identity-ttl', '0'], {}), configError(/from 1 to 3600/));
    assert.throws(() => parseConfig(['--alive-timeout', '5'], {}), configError(/from 10 to 3600/));
  });

  test('refuses bad hosts, peer keys and booleans', () => {
    assert.throws(() => parseConfig(['--host', 'a b'], {}), configError(/--host must be a host name/));
    assert.throws(() => parseConfig(['--peer-key', 'a/b'], {}), configError(/--peer-key must be 1–64 characters/));
    assert.throws(() => parseConfig(['--proxied=maybe'], {}), configError(/--proxied must be true or false/));
    assert.throws(() => parseConfig([], { PEERCALL_PROXIED: 'maybe' }), configError(/PEERCALL_PROXIED must be/));
  });
});

describe('ICE server option', () => {
  const ice = (value: string) => parseConfig(['--ice-servers', value], {}).iceServers;

  test('accepts a JSON array of RTCIceServer objects', () => {
    const value = JSON.stringify([
      { urls: 'stun:stun.example.com:3478' },
      { urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'], username: 'u', credential: 'c' },
    ]);
    assert.deepEqual(ice(value), [
      { urls: 'stun:stun.example.com:3478' },
      { urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'], username: 'u', credential: 'c' },
    ]);
  });

  test('accepts comma-separated stun: URLs, including IPv6 literals', () => {
    assert.deepEqual(ice('stun:a.example.com:3478, stun:[2001:db8::1]:3478'), [
      { urls: 'stun:a.example.com:3478' },
      { urls: 'stun:[2001:db8::1]:3478' },
    ]);
  });

  test('refuses URLs with any other scheme, a path or user info', () => {
    for (const url of ['http://stun.example.com', 'stun:', 'stun:host/path', 'turn:user@host', 'stuns:host', 'host:3478']) {
      assert.throws(() => ice(url), configError(/--ice-servers: ".*" is not a stun:, turn: or turns: URL/), url);
      assert.throws(() => ice(JSON.stringify([{ urls: url }])), configError(/is not a stun:, turn: or turns: URL/), url);
    }
  });

  test('refuses TURN without credentials, in either form', () => {
    assert.throws(() => ice('turn:turn.example.com:3478'), configError(/TURN servers need a username and credential; use the JSON form/));
    assert.throws(() => ice('[{"urls":"turns:turn.example.com","username":"u"}]'), configError(/needs "username" and "credential"/));
  });

  test('refuses malformed JSON and malformed entries without echoing secrets', () => {
    assert.throws(() => ice('[{"urls":"turn:x","username":"u","credential":"s3cret"'), (error: unknown) =>
      error instanceof ConfigError && /not valid JSON/.test(error.message) && !error.message.includes('s3cret'),
    );
    assert.throws(() => ice('[1]'), configError(/server 1 must be an object/));
    assert.throws(() => ice('[{"url":"stun:x"}]'), configError(/unknown field "url"/));
    assert.throws(() => ice('[{"urls":[]}]'), configError(/needs "urls"/));
    assert.throws(() => ice('[{"urls":"stun:x","username":5}]'), configError(/"username" must be a string/));
    assert.throws(() => ice('stun:a,,stun:b'), configError(/empty entry/));
  });

  test('a blank flag clears servers set in the environment', () => {
    const config = parseConfig(['--ice-servers='], { PEERCALL_ICE_SERVERS: 'stun:stun.example.com' });
    assert.deepEqual(config.iceServers, []);
  });
});

describe('usage', () => {
  test('lists every flag and its environment variable', () => {
    const text = usage();
    for (const flag of ['--port', '--host', '--ice-servers', '--max-participants', '--identity-ttl', '--alive-timeout', '--peer-key', '--proxied', '--help']) {
      assert.match(text, new RegExp(`${flag}\\b`), flag);
    }
    for (const env of ['PORT', 'HOST', 'PEERCALL_ICE_SERVERS', 'PEERCALL_MAX_PARTICIPANTS', 'PEERCALL_IDENTITY_TTL', 'PEERCALL_ALIVE_TIMEOUT', 'PEERCALL_PEER_KEY', 'PEERCALL_PROXIED']) {
      assert.match(text, new RegExp(`\\b${env}\\b`), env);
    }
  });
});

describe('peercall-server CLI', () => {
  test('--help prints the options and exits 0', async () => {
    const result = await runCli(['--help']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Usage: peercall-server/);
    assert.match(result.stdout, /--max-participants <n>/);
    assert.equal(result.stderr, '');
  });

  test('-h wins even next to invalid options', async () => {
    const result = await runCli(['--port', 'abc', '-h']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Usage: peercall-server/);
  });

  test('a bad number exits 2 with a message and a pointer to --help', async () => {
    const result = await runCli(['--port', 'abc']);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, '--port must be a whole number from 0 to 65535, not "abc".\nRun peercall-server --help for the options.\n');
  });

  test('an unknown flag exits 2', async () => {
    const result = await runCli(['--bogus']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^Unknown option --bogus\.\nRun peercall-server --help/);
  });

  test('a bad environment variable exits 2', async () => {
    const result = await runCli([], { PEERCALL_ICE_SERVERS: 'http://example.com' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^PEERCALL_ICE_SERVERS: "http:\/\/example.com" is not a stun:/);
  });
});
