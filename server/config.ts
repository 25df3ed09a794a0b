import type { RTCIceServerLike } from '../src/core/protocol.js';
import { IceServerError, parseIceServers } from './ice-servers.js';

export interface ServerConfig {
  port: number;
  host: string;
  /** Handed to every browser for RTCPeerConnection; empty means host candidates only. */
  iceServers: RTCIceServerLike[];
  maxParticipants: number;
  identityTtlMs: number;
  /** Silence after which PeerServer drops a socket (the PeerJS client pings every 5 s). */
  aliveTimeoutMs: number;
  peerKey: string;
  /** Trust X-Forwarded-* headers because a reverse proxy sits in front. */
  proxied: boolean;
}

/** A problem with the command line or environment, worded for the person who typed it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

interface OptionSpec {
  flag: string;
  env: string;
  /** Absent for switches, which take no separate value. */
  placeholder?: string;
  help: string;
  apply(config: ServerConfig, raw: string, source: string): void;
}

function option<K extends keyof ServerConfig>(
  key: K,
  spec: Omit<OptionSpec, 'apply'> & { parse(raw: string, source: string): ServerConfig[K] },
): OptionSpec {
  const { parse, ...rest } = spec;
  return {
    ...rest,
    apply(config, raw, source) {
      config[key] = parse(raw, source);
    },
  };
}

const DEFAULTS: ServerConfig = {
  port: 9000,
  host: '127.0.0.1',
  iceServers: [],
  maxParticipants: 6,
  identityTtlMs: 30_000,
  aliveTimeoutMs: 15_000,
  peerKey: 'peercall',
  proxied: false,
};

const OPTIONS: OptionSpec[] = [
  option('port', {
    flag: '--port',
    env: 'PORT',
    placeholder: '<n>',
    help: 'Port to listen on; 0 picks a free one (default 9000)',
    parse: (raw, source) => parseInteger(raw, source, 0, 65535),
  }),
  option('host', {
    flag: '--host',
    env: 'HOST',
    placeholder: '<addr>',
    help: 'Address to listen on; 0.0.0.0 for every interface (default 127.0.0.1)',
    parse: parseHost,
  }),
  option('iceServers', {
    flag: '--ice-servers',
    env: 'PEERCALL_ICE_SERVERS',
    placeholder: '<list>',
    help:
      'STUN/TURN servers for the browsers: a JSON array of RTCIceServer objects, e.g.\n' +
      '[{"urls":"turn:turn.example.com:3478","username":"u","credential":"c"}],\n' +
      'or comma-separated stun: URLs (default none)',
    parse: (raw, source) => {
      try {
        return parseIceServers(raw);
      } catch (error) {
        if (error instanceof IceServerError) throw new ConfigError(`${source}: ${error.message}`);
        throw error;
      }
    },
  }),
  option('maxParticipants', {
    flag: '--max-participants',
    env: 'PEERCALL_MAX_PARTICIPANTS',
    placeholder: '<n>',
    help: 'People per room, 2–50; every browser sends to every other (default 6)',
    parse: (raw, source) => parseInteger(raw, source, 2, 50),
  }),
  option('identityTtlMs', {
    flag: '--identity-ttl',
    env: 'PEERCALL_IDENTITY_TTL',
    placeholder: '<s>',
    help: 'Seconds a joined browser has to open its signaling socket, 1–3600 (default 30)',
    parse: (raw, source) => parseInteger(raw, source, 1, 3600) * 1000,
  }),
  option('aliveTimeoutMs', {
    flag: '--alive-timeout',
    env: 'PEERCALL_ALIVE_TIMEOUT',
    placeholder: '<s>',
    // Below 10 s a single late 5 s heartbeat would hang up on a healthy browser.
    help: 'Seconds without a heartbeat before a browser counts as gone, 10–3600 (default 15)',
    parse: (raw, source) => parseInteger(raw, source, 10, 3600) * 1000,
  }),
  option('peerKey', {
    flag: '--peer-key',
    env: 'PEERCALL_PEER_KEY',
    placeholder: '<key>',
    help: 'PeerJS API key the browsers must present (default peercall)',
    parse: parsePeerKey,
  }),
  option('proxied', {
    flag: '--proxied',
    env: 'PEERCALL_PROXIED',
    help: 'Trust X-Forwarded-For: set when behind a reverse proxy (default off)',
    parse: parseBoolean,
  }),
];

const HELP_FLAGS = new Set(['--help', '-h']);

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((arg) => HELP_FLAGS.has(arg));
}

/** Environment first, then flags on top. Throws ConfigError on anything it cannot use. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServerConfig {
  const config: ServerConfig = { ...DEFAULTS, iceServers: [] };
  for (const spec of OPTIONS) {
    const raw = env[spec.env];
    // An empty variable is how shells and compose files spell "not set".
    if (raw !== undefined && raw !== '') spec.apply(config, raw, spec.env);
  }
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (HELP_FLAGS.has(arg)) continue;
    if (!arg.startsWith('--')) throw new ConfigError(`Unexpected argument "${arg}".`);
    const equals = arg.indexOf('=');
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    const inline = equals === -1 ? undefined : arg.slice(equals + 1);
    const spec = OPTIONS.find((candidate) => candidate.flag === flag);
    if (!spec) throw new ConfigError(`Unknown option ${flag}.`);
    if (!spec.placeholder) {
      spec.apply(config, inline ?? 'true', flag);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new ConfigError(`${flag} needs a value: ${flag} ${spec.placeholder}.`);
      }
      value = next;
      i += 1;
    }
    spec.apply(config, value, flag);
  }
  return config;
}

export function usage(): string {
  const rows = OPTIONS.map((spec) => [
    spec.placeholder ? `${spec.flag} ${spec.placeholder}` : spec.flag,
    spec.env,
    spec.help,
  ]);
  rows.push(['-h, --help', '', 'Show this help']);
  const flagWidth = Math.max(...rows.map(([flag]) => flag!.length)) + 2;
  const envWidth = Math.max(...rows.map(([, env]) => env!.length)) + 2;
  const indent = ' '.repeat(2 + flagWidth + envWidth);
  const lines = rows.map(([flag, env, help]) => {
    const [first, ...more] = help!.split('\n');
    const head = `  ${flag!.padEnd(flagWidth)}${env!.padEnd(envWidth)}${first}`;
    return [head, ...more.map((line) => indent + line)].join('\n');
  });
  return [
    'Usage: peercall-server [options]',
    '',
    'Serves the <video-call> widget (/video-call.js), the demo page (/), the room API',
    '(/api) and the PeerJS signaling server (/peerjs).',
    'Each option can also be set with the environment variable beside it; flags win.',
    '',
    ...lines,
    '',
  ].join('\n');
}

function parseInteger(raw: string, source: string, min: number, max: number): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new ConfigError(`${source} must be a whole number from ${min} to ${max}, not "${raw}".`);
  }
  return value;
}

function parseHost(raw: string, source: string): string {
  if (!/^[^\s/]{1,255}$/.test(raw)) {
    throw new ConfigError(`${source} must be a host name or IP address, not "${raw}".`);
  }
  return raw;
}

function parsePeerKey(raw: string, source: string): string {
  // The key travels in the PeerJS socket URL and in its REST paths.
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw)) {
    throw new ConfigError(`${source} must be 1–64 characters of A–Z, a–z, 0–9, _ and -.`);
  }
  return raw;
}

function parseBoolean(raw: string, source: string): boolean {
  const normalized = raw.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
  if (['false', '0', 'no', 'off'].includes(normalized)) return false;
  throw new ConfigError(`${source} must be true or false, not "${raw}".`);
}
