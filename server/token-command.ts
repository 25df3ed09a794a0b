import { ConfigError } from './config.js';
import { parseDurationSeconds } from './duration.js';
import { MIN_TOKEN_SECRET_BYTES, createJoinToken } from './join-tokens.js';
import { isValidRoomName } from './validation.js';

const FLAGS = ['--room', '--role', '--name', '--ttl', '--jti', '--token-secret'] as const;
type Flag = (typeof FLAGS)[number];

export const TOKEN_USAGE = [
  'Usage: peercall-server token --room <room> --role <host|guest> [--name <name>] [--ttl <duration>] [--jti <id>]',
  '',
  'Prints a join token for one room, signed with --token-secret or PEERCALL_TOKEN_SECRET',
  '(the same secret the server runs with).',
  '',
  '  --room <room>        The room it admits to',
  '  --role <host|guest>  Hosts may lock the room, admit knocking guests, remove and mute',
  '  --name <name>        Shown to the others instead of the name the visitor types',
  '  --ttl <duration>     How long it can be used to join: 90s, 15m, 1h, 2d (default 1h)',
  '  --jti <id>           Names the invitation: removing its holder blocks every token with this id',
  '',
].join('\n');

/** `peercall-server token …`: the signed token, or a ConfigError worded for the person typing. */
export async function runTokenCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const values = readFlags(argv);
  const room = values.get('--room');
  if (room === undefined || !isValidRoomName(room)) {
    throw new ConfigError('--room is required: 1–64 characters of A–Z, a–z, 0–9, _ and -.');
  }
  const role = values.get('--role');
  if (role !== 'host' && role !== 'guest') throw new ConfigError('--role is required: host or guest.');
  const ttlSeconds = parseDurationSeconds(values.get('--ttl') ?? '1h');
  if (ttlSeconds === undefined || ttlSeconds === 0) throw new ConfigError('--ttl must be a duration such as 90s, 15m, 1h or 2d.');
  const secret = values.get('--token-secret') ?? (env.PEERCALL_TOKEN_SECRET || undefined);
  if (secret === undefined) throw new ConfigError('Set PEERCALL_TOKEN_SECRET or --token-secret to the server\'s token secret.');
  if (Buffer.byteLength(secret, 'utf8') < MIN_TOKEN_SECRET_BYTES) {
    throw new ConfigError(`The token secret must be at least ${MIN_TOKEN_SECRET_BYTES} bytes long.`);
  }
  return createJoinToken({
    secret,
    room,
    role,
    ttlSeconds,
    ...(values.has('--name') && { name: values.get('--name') }),
    ...(values.has('--jti') && { jti: values.get('--jti') }),
  });
}

function readFlags(argv: readonly string[]): Map<Flag, string> {
  const values = new Map<Flag, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const equals = arg.indexOf('=');
    const flag = (equals === -1 ? arg : arg.slice(0, equals)) as Flag;
    if (!FLAGS.includes(flag)) throw new ConfigError(`Unknown option ${flag} for peercall-server token.`);
    let value = equals === -1 ? undefined : arg.slice(equals + 1);
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new ConfigError(`${flag} needs a value.`);
      i += 1;
    }
    values.set(flag, value);
  }
  return values;
}
