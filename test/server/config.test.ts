import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jwtVerify } from 'jose';
import { ConfigError, parseConfig, usage, wantsHelp } from '../../server/config.js';
import { createPeercallServer } from '../../server/index.js';
import { runCli } from './helpers.js';

const SECRET = 'a-token-secret-of-at-least-32-bytes!';

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
      aliveTimeoutMs: 6_000,
      peerKey: 'peercall',
      proxied: false,
      defaultAccess: 'open',
      tokenRooms: [],
      waitingRooms: [],
      tokenSecret: undefined,
      allowedOrigins: '*',
      maxMessageBytes: 65_536,
      messageRate: 50,
      joinRate: 20,
      maxSocketsPerIp: 20,
      maxSockets: 10_000,
      maxPending: 10_000,
      maxPresencePerIp: 20,
      maxPresence: 10_000,
      turnUrls: [],
      turnSecret: undefined,
      turnTtlSeconds: 3600,
      secret: undefined,
      stateDir: undefined,
      stateDirSource: 'none',
      logLevel: 'info',
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
      PEERCALL_ACCESS: 'open',
      PEERCALL_TOKEN_ROOMS: 'support-*, private-*',
      PEERCALL_WAITING_ROOMS: 'support-*',
      PEERCALL_TOKEN_SECRET: SECRET,
      PEERCALL_ALLOWED_ORIGINS: 'https://shop.example,http://localhost:8080',
      PEERCALL_MAX_MESSAGE_SIZE: '32768',
      PEERCALL_MESSAGE_RATE: '25',
      PEERCALL_JOIN_RATE: '40',
      PEERCALL_MAX_SOCKETS_PER_IP: '5',
      PEERCALL_MAX_SOCKETS: '500',
      PEERCALL_MAX_PENDING: '600',
      PEERCALL_MAX_PRESENCE_PER_IP: '3',
      PEERCALL_MAX_PRESENCE: '700',
      PEERCALL_TURN_URLS: 'turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349',
      PEERCALL_TURN_SECRET: 'coturn-shared-secret-1234',
      PEERCALL_TURN_TTL: '90m',
      PEERCALL_SECRET: SECRET,
      PEERCALL_STATE_DIR: '/var/lib/peercall',
      PEERCALL_LOG_LEVEL: 'warn',
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
      defaultAccess: 'open',
      tokenRooms: ['support-*', 'private-*'],
      waitingRooms: ['support-*'],
      tokenSecret: SECRET,
      allowedOrigins: new Set(['https://shop.example', 'http://localhost:8080']),
      maxMessageBytes: 32_768,
      messageRate: 25,
      joinRate: 40,
      maxSocketsPerIp: 5,
      maxSockets: 500,
      maxPending: 600,
      maxPresencePerIp: 3,
      maxPresence: 700,
      turnUrls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'],
      turnSecret: 'coturn-shared-secret-1234',
      turnTtlSeconds: 5400,
      secret: SECRET,
      stateDir: '/var/lib/peercall',
      stateDirSource: 'option',
      logLevel: 'warn',
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
    assert.throws(() => parseConfig(['--alive-timeout', '3'], {}), configError(/from 4 to 3600/));
    assert.equal(parseConfig(['--alive-timeout', '4'], {}).aliveTimeoutMs, 4000);
  });

  test('refuses bad hosts, peer keys and booleans', () => {
    assert.throws(() => parseConfig(['--host', 'a b'], {}), configError(/--host must be a host name/));
    assert.throws(() => parseConfig(['--peer-key', 'a/b'], {}), configError(/--peer-key must be 1–64 characters/));
    assert.throws(() => parseConfig(['--proxied=maybe'], {}), configError(/--proxied must be true or false/));
    assert.throws(() => parseConfig([], { PEERCALL_PROXIED: 'maybe' }), configError(/PEERCALL_PROXIED must be/));
  });
});

describe('access, origin, limit and TURN options', () => {
  test('--access token makes every room a token room and needs a secret', () => {
    assert.equal(parseConfig(['--access', 'token', '--token-secret', SECRET], {}).defaultAccess, 'token');
    assert.throws(() => parseConfig(['--access', 'token'], {}), configError(/Token rooms need a secret.*PEERCALL_TOKEN_SECRET/));
    assert.throws(() => parseConfig(['--token-rooms', 'x-*'], {}), configError(/Token rooms need a secret/));
    assert.throws(() => parseConfig(['--access', 'closed'], {}), configError(/--access must be open or token, not "closed"/));
  });

  test('refuses a token secret shorter than 32 bytes without echoing it', () => {
    const short = 'x'.repeat(31);
    assert.throws(
      () => parseConfig(['--access', 'token', '--token-secret', short], {}),
      (error: unknown) => error instanceof ConfigError && /at least 32 bytes/.test(error.message) && !error.message.includes(short),
    );
    // Bytes, not characters: 11 three-byte characters are 33 bytes.
    assert.equal(parseConfig(['--token-secret', '€'.repeat(11)], {}).tokenSecret, '€'.repeat(11));
  });

  test('room patterns are room-name characters and *', () => {
    assert.deepEqual(parseConfig(['--token-rooms', ' a-*, *_b ,c', '--token-secret', SECRET], {}).tokenRooms, ['a-*', '*_b', 'c']);
    for (const bad of ['a b', 'a/*', 'a.b', '?']) {
      assert.throws(() => parseConfig(['--token-rooms', bad, '--token-secret', SECRET], {}), configError(/is not a room pattern/), bad);
    }
  });

  test('a waiting room needs token rooms', () => {
    assert.throws(() => parseConfig(['--waiting-rooms', 'a-*'], {}), configError(/--waiting-rooms applies to token rooms only/));
    const config = parseConfig(['--access', 'token', '--waiting-rooms', 'a-*', '--token-secret', SECRET], {});
    assert.deepEqual(config.waitingRooms, ['a-*']);
  });

  test('allowed origins are * or exact origins', () => {
    assert.equal(parseConfig(['--allowed-origins', '*'], {}).allowedOrigins, '*');
    assert.deepEqual(parseConfig(['--allowed-origins', 'https://a.example, http://b.example:8080'], {}).allowedOrigins, new Set(['https://a.example', 'http://b.example:8080']));
    for (const bad of ['https://a.example/', 'https://a.example/path', 'a.example', 'ftp://a.example', '', 'https://a.example,*']) {
      assert.throws(() => parseConfig(['--allowed-origins', bad], {}), configError(/--allowed-origins/), bad);
    }
  });

  test('TURN needs both URLs and a secret; the TTL is a duration from 60 s to 2 days', () => {
    const turn = ['--turn-urls', 'turn:t.example:3478?transport=udp', '--turn-secret', 'sixteen-bytes-ok'];
    assert.equal(parseConfig(turn, {}).turnTtlSeconds, 3600);
    assert.equal(parseConfig([...turn, '--turn-ttl', '2h'], {}).turnTtlSeconds, 7200);
    assert.equal(parseConfig([...turn, '--turn-ttl', '600'], {}).turnTtlSeconds, 600);
    for (const bad of ['59', '3d', '1w', 'h', '-5m']) {
      assert.throws(() => parseConfig([...turn, '--turn-ttl', bad], {}), configError(/--turn-ttl must be a duration from 60s to 2d/), bad);
    }
    assert.throws(() => parseConfig(['--turn-urls', 'turn:t.example'], {}), configError(/go together/));
    assert.throws(() => parseConfig(['--turn-secret', 'sixteen-bytes-ok'], {}), configError(/go together/));
    assert.throws(() => parseConfig(['--turn-urls', 'stun:t.example', '--turn-secret', 'sixteen-bytes-ok'], {}), configError(/is not a turn: or turns: URL/));
    assert.throws(() => parseConfig(['--turn-urls', 'turn:t.example', '--turn-secret', 'short'], {}), configError(/at least 16 bytes/));
  });

  test('limits refuse zero and non-numbers', () => {
    for (const flag of ['--message-rate', '--join-rate', '--max-sockets-per-ip', '--max-sockets', '--max-pending', '--max-presence-per-ip', '--max-presence']) {
      assert.throws(() => parseConfig([flag, '0'], {}), configError(new RegExp(`${flag} must be a whole number from 1`)), flag);
    }
    assert.throws(() => parseConfig(['--max-message-size', '100'], {}), configError(/from 1024 to 1048576/));
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
    const flags = ['--port', '--host', '--ice-servers', '--max-participants', '--identity-ttl', '--alive-timeout', '--peer-key', '--proxied', '--help',
      '--access', '--token-rooms', '--waiting-rooms', '--token-secret', '--allowed-origins', '--max-message-size', '--message-rate', '--join-rate',
      '--max-sockets-per-ip', '--max-sockets', '--max-pending', '--max-presence-per-ip', '--max-presence', '--turn-urls', '--turn-secret', '--turn-ttl',
      '--secret', '--state-dir', '--log-level'];
    for (const flag of flags) {
      assert.match(text, new RegExp(`${flag}\\b`), flag);
    }
    const envs = ['PORT', 'HOST', 'PEERCALL_ICE_SERVERS', 'PEERCALL_MAX_PARTICIPANTS', 'PEERCALL_IDENTITY_TTL', 'PEERCALL_ALIVE_TIMEOUT', 'PEERCALL_PEER_KEY', 'PEERCALL_PROXIED',
      'PEERCALL_ACCESS', 'PEERCALL_TOKEN_ROOMS', 'PEERCALL_WAITING_ROOMS', 'PEERCALL_TOKEN_SECRET', 'PEERCALL_ALLOWED_ORIGINS', 'PEERCALL_MAX_MESSAGE_SIZE',
      'PEERCALL_MESSAGE_RATE', 'PEERCALL_JOIN_RATE', 'PEERCALL_MAX_SOCKETS_PER_IP', 'PEERCALL_MAX_SOCKETS', 'PEERCALL_MAX_PENDING', 'PEERCALL_MAX_PRESENCE_PER_IP',
      'PEERCALL_MAX_PRESENCE', 'PEERCALL_TURN_URLS', 'PEERCALL_TURN_SECRET', 'PEERCALL_TURN_TTL',
      'PEERCALL_SECRET', 'PEERCALL_STATE_DIR', 'PEERCALL_LOG_LEVEL'];
    for (const env of envs) {
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

  test('a short token secret exits 2', async () => {
    const result = await runCli(['--access', 'token'], { PEERCALL_TOKEN_SECRET: 'too-short' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^PEERCALL_TOKEN_SECRET must be at least 32 bytes long/);
    assert.doesNotMatch(result.stderr, /too-short/);
  });
});

describe('peercall-server token', () => {
  test('prints an HS256 join token with the given claims and lifetime', async () => {
    const result = await runCli(['token', '--room', 'support-1', '--name', 'Ann', '--role', 'host', '--ttl', '2h', '--jti', 'inv-7'], { PEERCALL_TOKEN_SECRET: SECRET });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const { payload, protectedHeader } = await jwtVerify(result.stdout.trim(), new TextEncoder().encode(SECRET));
    assert.equal(protectedHeader.alg, 'HS256');
    assert.equal(payload.room, 'support-1');
    assert.equal(payload.name, 'Ann');
    assert.equal(payload.role, 'host');
    assert.equal(payload.jti, 'inv-7');
    const lifetime = payload.exp! - Math.floor(Date.now() / 1000);
    assert.ok(lifetime > 7190 && lifetime <= 7200, String(lifetime));
  });

  test('the secret may come from --token-secret; --ttl defaults to 1 h; no name or jti unless given', async () => {
    const result = await runCli(['token', '--room=x', '--role=guest', `--token-secret=${SECRET}`]);
    assert.equal(result.code, 0, result.stderr);
    const { payload } = await jwtVerify(result.stdout.trim(), new TextEncoder().encode(SECRET));
    assert.equal(payload.name, undefined);
    assert.equal(payload.jti, undefined);
    assert.ok(payload.exp! - Math.floor(Date.now() / 1000) > 3590);
  });

  test('bad arguments exit 2 with a message', async () => {
    const env = { PEERCALL_TOKEN_SECRET: SECRET };
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['token', '--role', 'host'], env, /--room is required/],
      [['token', '--room', 'a b', '--role', 'host'], env, /--room is required/],
      [['token', '--room', 'x'], env, /--role is required: host or guest/],
      [['token', '--room', 'x', '--role', 'admin'], env, /--role is required/],
      [['token', '--room', 'x', '--role', 'host', '--ttl', 'soon'], env, /--ttl must be a duration/],
      [['token', '--room', 'x', '--role', 'host'], {}, /Set PEERCALL_TOKEN_SECRET/],
      [['token', '--room', 'x', '--role', 'host'], { PEERCALL_TOKEN_SECRET: 'short' }, /at least 32 bytes/],
      [['token', '--room', 'x', '--role', 'host', '--port', '1'], env, /Unknown option --port/],
    ];
    for (const [args, cliEnv, message] of cases) {
      const result = await runCli(args, cliEnv);
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message, args.join(' '));
    }
  });

  test('token --help prints its own usage', async () => {
    const result = await runCli(['token', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: peercall-server token --room/);
  });
});

describe('createPeercallServer', () => {
  test('refuses a hand-built config with token rooms but no secret', () => {
    const config = { ...parseConfig([], {}), tokenRooms: ['t-*'] };
    assert.throws(() => createPeercallServer(config, { widgetDir: '.', demoDir: '.' }), configError(/Token rooms need a secret/));
  });
});
