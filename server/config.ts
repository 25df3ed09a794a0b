import path from 'node:path';
import { HEARTBEAT_INTERVAL_MS, type RTCIceServerLike } from '../src/core/protocol.js';
import { parseDurationSeconds } from './duration.js';
import { IceServerError, isTurnUrl, isValidIceUrl, parseIceServers } from './ice-servers.js';
import { MIN_TOKEN_SECRET_BYTES } from './join-tokens.js';
import { LOG_LEVELS, type LogLevel } from './log.js';
import type { AllowedOrigins } from './origin-policy.js';
import { ROOM_PATTERN_SYNTAX, type RoomAccess } from './room-access.js';

const WIDGET_HEARTBEAT_S = HEARTBEAT_INTERVAL_MS / 1000;
const MIN_ALIVE_TIMEOUT_S = 2 * WIDGET_HEARTBEAT_S;

export interface ServerConfig {
  port: number;
  host: string;
  /** Handed to every browser for RTCPeerConnection; empty means host candidates only. */
  iceServers: RTCIceServerLike[];
  maxParticipants: number;
  identityTtlMs: number;
  /** Silence after which PeerServer drops a socket (the widget pings every 2 s). */
  aliveTimeoutMs: number;
  peerKey: string;
  /** Trust X-Forwarded-* headers because a reverse proxy sits in front. */
  proxied: boolean;
  /** Access of rooms that match no `tokenRooms` pattern. */
  defaultAccess: RoomAccess;
  /** Room patterns (`*` wildcards) that need a join token even when `defaultAccess` is open. */
  tokenRooms: string[];
  /** Token-room patterns where guests knock and wait for a host. */
  waitingRooms: string[];
  /** HS256 key that join tokens are signed with; required once any room needs a token. */
  tokenSecret: string | undefined;
  /** Pages allowed to use the server (CORS and the WebSocket Origin check); '*' for all. */
  allowedOrigins: AllowedOrigins;
  /** Largest signaling message; a bigger frame closes the socket. */
  maxMessageBytes: number;
  /** Signaling messages per second per socket (bursts of twice as many); beyond it the socket is closed. */
  messageRate: number;
  /** Join requests per client address per 10 s (bursts of as many). */
  joinRate: number;
  maxSocketsPerIp: number;
  maxSockets: number;
  /** Minted identities waiting for their socket plus guests knocking, server-wide. */
  maxPending: number;
  maxPresencePerIp: number;
  maxPresence: number;
  /** TURN servers that get short-lived credentials per join (coturn use-auth-secret). */
  turnUrls: string[];
  turnSecret: string | undefined;
  turnTtlSeconds: number;
  /**
   * Signs resume tickets (JoinResponse `resume`). Unset: the one kept in `stateDir`, created on
   * first start; without a state dir, a random one that dies with the process.
   */
  secret: string | undefined;
  /** Where the server keeps what must survive a restart: its secret and hosts' removals. */
  stateDir: string | undefined;
  /** `option` when the operator named the state dir; a default one that cannot be used is skipped with a warning. */
  stateDirSource: 'option' | 'default' | 'none';
  logLevel: LogLevel;
}

const MIN_TURN_SECRET_BYTES = 16;
export const MIN_SERVER_SECRET_BYTES = 32;

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
  aliveTimeoutMs: 3 * HEARTBEAT_INTERVAL_MS,
  peerKey: 'peercall',
  proxied: false,
  defaultAccess: 'open',
  tokenRooms: [],
  waitingRooms: [],
  tokenSecret: undefined,
  allowedOrigins: '*',
  maxMessageBytes: 64 * 1024,
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
    // Below two of the widget's heartbeat periods, one late heartbeat would hang up on a healthy browser.
    help:
      `Seconds without a heartbeat before a browser counts as gone, ${MIN_ALIVE_TIMEOUT_S}–3600 (default ${DEFAULTS.aliveTimeoutMs / 1000}; the\n` +
      `widget pings every ${WIDGET_HEARTBEAT_S} s, plain PeerJS clients every 5 s: give those 15)`,
    parse: (raw, source) => parseInteger(raw, source, MIN_ALIVE_TIMEOUT_S, 3600) * 1000,
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
    help:
      'Trust X-Forwarded-For: set when behind a reverse proxy (default off). Per-address\n' +
      'limits then count the address the proxy appended last',
    parse: parseBoolean,
  }),
  option('defaultAccess', {
    flag: '--access',
    env: 'PEERCALL_ACCESS',
    placeholder: '<open|token>',
    help:
      'Who may join rooms that match no --token-rooms pattern: open (anyone who knows the\n' +
      'room name) or token (a join token signed with --token-secret) (default open)',
    parse: parseAccess,
  }),
  option('tokenRooms', {
    flag: '--token-rooms',
    env: 'PEERCALL_TOKEN_ROOMS',
    placeholder: '<patterns>',
    help: "Rooms that need a join token even with --access open, e.g. 'support-*,private-*' (default none)",
    parse: parseRoomPatterns,
  }),
  option('waitingRooms', {
    flag: '--waiting-rooms',
    env: 'PEERCALL_WAITING_ROOMS',
    placeholder: '<patterns>',
    help:
      "Token rooms with a waiting room, e.g. 'support-*': guests knock and a host admits or\n" +
      'declines them; hosts go straight in (default none)',
    parse: parseRoomPatterns,
  }),
  option('tokenSecret', {
    flag: '--token-secret',
    env: 'PEERCALL_TOKEN_SECRET',
    placeholder: '<secret>',
    help:
      `Key for join tokens (HS256), at least ${MIN_TOKEN_SECRET_BYTES} bytes; prefer the environment variable,\n` +
      'which other users of the machine cannot read from the process list',
    parse: (raw, source) => parseSecret(raw, source, MIN_TOKEN_SECRET_BYTES),
  }),
  option('allowedOrigins', {
    flag: '--allowed-origins',
    env: 'PEERCALL_ALLOWED_ORIGINS',
    placeholder: '<list>',
    help:
      'Sites whose pages may use the server, e.g. https://shop.example,https://www.shop.example;\n' +
      'applies to the API (CORS), the signaling socket (Origin) and /video-call.js. * allows\n' +
      'every site: fine for development, list your sites in production (default *)',
    parse: parseAllowedOrigins,
  }),
  option('maxMessageBytes', {
    flag: '--max-message-size',
    env: 'PEERCALL_MAX_MESSAGE_SIZE',
    placeholder: '<bytes>',
    help: 'Largest signaling message, 1024–1048576; a larger one closes the socket (default 65536)',
    parse: (raw, source) => parseInteger(raw, source, 1024, 1024 * 1024),
  }),
  option('messageRate', {
    flag: '--message-rate',
    env: 'PEERCALL_MESSAGE_RATE',
    placeholder: '<n>',
    help: 'Signaling messages per second per socket, bursts of twice that; more closes it (default 50)',
    parse: (raw, source) => parseInteger(raw, source, 1, 10_000),
  }),
  option('joinRate', {
    flag: '--join-rate',
    env: 'PEERCALL_JOIN_RATE',
    placeholder: '<n>',
    help: 'Join requests per client address per 10 s; more answer 429 (default 20)',
    parse: (raw, source) => parseInteger(raw, source, 1, 100_000),
  }),
  option('maxSocketsPerIp', {
    flag: '--max-sockets-per-ip',
    env: 'PEERCALL_MAX_SOCKETS_PER_IP',
    placeholder: '<n>',
    help: 'Signaling sockets open at once per client address (default 20)',
    parse: (raw, source) => parseInteger(raw, source, 1, 1_000_000),
  }),
  option('maxSockets', {
    flag: '--max-sockets',
    env: 'PEERCALL_MAX_SOCKETS',
    placeholder: '<n>',
    help: 'Signaling sockets open at once on the whole server (default 10000)',
    parse: (raw, source) => parseInteger(raw, source, 1, 1_000_000),
  }),
  option('maxPending', {
    flag: '--max-pending',
    env: 'PEERCALL_MAX_PENDING',
    placeholder: '<n>',
    help: 'Joined-but-not-connected identities plus knocking guests, server-wide (default 10000)',
    parse: (raw, source) => parseInteger(raw, source, 1, 1_000_000),
  }),
  option('maxPresencePerIp', {
    flag: '--max-presence-per-ip',
    env: 'PEERCALL_MAX_PRESENCE_PER_IP',
    placeholder: '<n>',
    help: 'Presence streams open at once per client address (default 20)',
    parse: (raw, source) => parseInteger(raw, source, 1, 1_000_000),
  }),
  option('maxPresence', {
    flag: '--max-presence',
    env: 'PEERCALL_MAX_PRESENCE',
    placeholder: '<n>',
    help: 'Presence streams open at once on the whole server (default 10000)',
    parse: (raw, source) => parseInteger(raw, source, 1, 1_000_000),
  }),
  option('turnUrls', {
    flag: '--turn-urls',
    env: 'PEERCALL_TURN_URLS',
    placeholder: '<list>',
    help:
      'Your TURN server, e.g. turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349;\n' +
      'every join then gets credentials for it, made with --turn-secret (default none)',
    parse: parseTurnUrls,
  }),
  option('turnSecret', {
    flag: '--turn-secret',
    env: 'PEERCALL_TURN_SECRET',
    placeholder: '<secret>',
    help: `coturn's static-auth-secret (use-auth-secret), at least ${MIN_TURN_SECRET_BYTES} bytes`,
    parse: (raw, source) => parseSecret(raw, source, MIN_TURN_SECRET_BYTES),
  }),
  option('turnTtlSeconds', {
    flag: '--turn-ttl',
    env: 'PEERCALL_TURN_TTL',
    placeholder: '<duration>',
    help: 'How long TURN credentials stay valid: 60s–2d, e.g. 90m or 1h (default 1h)',
    parse: (raw, source) => {
      const seconds = parseDurationSeconds(raw);
      if (seconds === undefined || seconds < 60 || seconds > 2 * 86_400) {
        throw new ConfigError(`${source} must be a duration from 60s to 2d such as 1h, not "${raw}".`);
      }
      return seconds;
    },
  }),
  option('secret', {
    flag: '--secret',
    env: 'PEERCALL_SECRET',
    placeholder: '<secret>',
    help:
      `Key that signs resume tickets, at least ${MIN_SERVER_SECRET_BYTES} bytes; every server behind one address\n` +
      'needs the same. Default: generated once and kept in the state dir',
    parse: (raw, source) => parseSecret(raw, source, MIN_SERVER_SECRET_BYTES),
  }),
  {
    flag: '--state-dir',
    env: 'PEERCALL_STATE_DIR',
    placeholder: '<dir>',
    help:
      'Directory for what must survive a restart: the generated secret (file secret, mode\n' +
      '0600) and hosts\' removals (default $XDG_STATE_HOME/peercall or ~/.local/state/peercall)',
    apply(config, raw, source) {
      if (raw.trim() === '' || raw.includes('\0')) throw new ConfigError(`${source} must name a directory.`);
      config.stateDir = path.resolve(raw);
      config.stateDirSource = 'option';
    },
  },
  option('logLevel', {
    flag: '--log-level',
    env: 'PEERCALL_LOG_LEVEL',
    placeholder: '<level>',
    help: `JSON log lines on stdout from this level up: ${LOG_LEVELS.join(', ')} (default info)`,
    parse: (raw, source) => {
      if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw as LogLevel;
      throw new ConfigError(`${source} must be one of ${LOG_LEVELS.join(', ')}, not "${raw}".`);
    },
  }),
];

/** $XDG_STATE_HOME/peercall, else ~/.local/state/peercall; none without a home directory. */
export function defaultStateDir(env: NodeJS.ProcessEnv): string | undefined {
  const xdg = env.XDG_STATE_HOME;
  if (xdg !== undefined && path.isAbsolute(xdg)) return path.join(xdg, 'peercall');
  const home = env.HOME;
  if (home !== undefined && path.isAbsolute(home)) return path.join(home, '.local', 'state', 'peercall');
  return undefined;
}

const HELP_FLAGS = new Set(['--help', '-h']);

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((arg) => HELP_FLAGS.has(arg));
}

/** Environment first, then flags on top. Throws ConfigError on anything it cannot use. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServerConfig {
  const config: ServerConfig = { ...DEFAULTS, iceServers: [] };
  const stateDir = defaultStateDir(env);
  if (stateDir !== undefined) Object.assign(config, { stateDir, stateDirSource: 'default' });
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
  checkCombinations(config);
  return config;
}

/**
 * Options that only make sense together. parseConfig() applies it; createPeercallServer() does
 * too, for apps that build or amend the config object themselves.
 */
export function checkCombinations(config: ServerConfig): void {
  const usesTokens = config.defaultAccess === 'token' || config.tokenRooms.length > 0;
  if (usesTokens && config.tokenSecret === undefined) {
    throw new ConfigError('Token rooms need a secret to check join tokens: set PEERCALL_TOKEN_SECRET or --token-secret.');
  }
  if (config.waitingRooms.length > 0 && !usesTokens) {
    throw new ConfigError('--waiting-rooms applies to token rooms only: add --token-rooms or --access token.');
  }
  if ((config.turnUrls.length > 0) !== (config.turnSecret !== undefined)) {
    throw new ConfigError('--turn-urls and --turn-secret go together: set both or neither.');
  }
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
    '       peercall-server token --room <room> --role <host|guest> [--name <name>] [--ttl 1h] [--jti <id>]',
    '',
    'Serves the <video-call> widget (/video-call.js), the demo page (/), the room API',
    '(/api), the PeerJS signaling server (/peerjs) and counters for monitoring (/metrics).',
    'Each option can also be set with the environment variable beside it; flags win.',
    '`peercall-server token` prints a join token signed with --token-secret (or',
    'PEERCALL_TOKEN_SECRET), for testing or for site backends without a JWT library.',
    '',
    ...lines,
    '',
    'Rooms are open unless --access token or a --token-rooms pattern says otherwise. In a token',
    'room, joining needs a JWT (HS256, --token-secret) with the claims room, role (host or guest),',
    'exp, and optionally name (shown instead of the one the visitor typed) and jti (what a host',
    "removal blocks; without it, the token itself). Hosts may lock the room, admit or decline",
    'knocking guests, remove participants and ask them to mute. Open rooms have no hosts.',
    '',
    'A browser whose signaling connection drops (a network blip, a server restart) rejoins with',
    "the resume ticket of its join and keeps its peer id, so calls in progress go on. Tickets are",
    "signed with --secret, valid 6 h, and die with a host's removal. Without --secret the server",
    'generates one on first start and keeps it in the state dir, so a restart (even after kill -9)',
    'keeps them working; a server with neither has a secret that dies with the process.',
    '',
    'On SIGTERM or SIGINT the server stops taking joins (503), tells every browser to reconnect,',
    'closes the sockets and exits within 5 s. GET /healthz answers 200, or 503 while shutting down.',
    'Logs are JSON lines on stdout (pino); tokens, tickets and TURN credentials never appear in them.',
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

function parseAccess(raw: string, source: string): RoomAccess {
  if (raw === 'open' || raw === 'token') return raw;
  throw new ConfigError(`${source} must be open or token, not "${raw}".`);
}

function parseRoomPatterns(raw: string, source: string): string[] {
  const patterns = splitList(raw);
  for (const pattern of patterns) {
    if (!ROOM_PATTERN_SYNTAX.test(pattern)) {
      throw new ConfigError(`${source}: "${pattern}" is not a room pattern: 1–64 of A–Z, a–z, 0–9, _, - and * (any run).`);
    }
  }
  return patterns;
}

/** Secrets are never echoed back: error messages end up in terminals and CI logs. */
function parseSecret(raw: string, source: string, minBytes: number): string {
  if (Buffer.byteLength(raw, 'utf8') < minBytes) {
    throw new ConfigError(`${source} must be at least ${minBytes} bytes long; generate one with: openssl rand -hex 32`);
  }
  return raw;
}

function parseAllowedOrigins(raw: string, source: string): AllowedOrigins {
  if (raw.trim() === '*') return '*';
  const origins = splitList(raw);
  if (origins.length === 0) throw new ConfigError(`${source} must be * or a list of origins such as https://shop.example.`);
  for (const origin of origins) {
    if (!isOrigin(origin)) {
      throw new ConfigError(`${source}: "${origin}" is not an origin; write scheme, host and port only, e.g. https://shop.example.`);
    }
  }
  return new Set(origins);
}

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text;
  } catch {
    return false;
  }
}

function parseTurnUrls(raw: string, source: string): string[] {
  const urls = splitList(raw);
  for (const url of urls) {
    if (!isValidIceUrl(url) || !isTurnUrl(url)) {
      throw new ConfigError(`${source}: "${url}" is not a turn: or turns: URL such as turn:turn.example.com:3478?transport=udp.`);
    }
  }
  return urls;
}

/** Comma-separated, blanks around items ignored; an empty string is an empty list. */
function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseBoolean(raw: string, source: string): boolean {
  const normalized = raw.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
  if (['false', '0', 'no', 'off'].includes(normalized)) return false;
  throw new ConfigError(`${source} must be true or false, not "${raw}".`);
}
