import { pino, type DestinationStream } from 'pino';

/** Names under which requests and errors carry credentials. */
const SECRET_NAMES = 'token|credential|password|secret|ticket|authorization|cookie|resume';
const SECRET_KEY = new RegExp(`^(?:${SECRET_NAMES})$|(?:${SECRET_NAMES})s?$`, 'i');

/** Rules whose replacement keeps a JSON line valid: they never touch quotes or backslashes. */
const JSON_SAFE_REDACTIONS: [RegExp, string][] = [
  // The signaling socket URL carries the peer id and PeerJS token: keep none of its query.
  [/(\/peerjs[^\s?"'`\\]*)\?[^\s"'`\\]*/g, '$1?[redacted]'],
  // A waiting guest's ticket is the last segment of their poll URL.
  [/(\/waiting\/)[^\s/?"'`\\]+/g, '$1[redacted]'],
  // Query and form parameters elsewhere: ?token=…, &credential=…
  [new RegExp(`([?&;](?:${SECRET_NAMES})=)[^&\\s"'\`\\\\]*`, 'gi'), '$1[redacted]'],
  // Whatever is left: anything shaped like a JWT or a resume ticket, and 64-hex-digit PeerJS tokens.
  [/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, '[redacted-jwt]'],
  [/\beyJ[\w-]{16,}\.[\w-]{20,}/g, '[redacted-ticket]'],
  [/\b[0-9a-f]{64}\b/gi, '[redacted]'],
];

const REDACTIONS: [RegExp, string][] = [
  ...JSON_SAFE_REDACTIONS.slice(0, 3),
  // JSON and inspect() output: "token": "…", token: '…'
  [new RegExp(`((?:["']?)(?:${SECRET_NAMES})(?:["']?)\\s*:\\s*)(["'\`])(?:(?!\\2)[^\\\\]|\\\\.)*\\2`, 'gi'), "$1'[redacted]'"],
  // Header lines: Authorization: Bearer …
  [new RegExp(`\\b(${SECRET_NAMES})(\\s*[:=]\\s*)(?!['"\`\\[])[^\\s,;]+(?:\\s+[^\\s,;]+)?`, 'gi'), '$1$2[redacted]'],
  ...JSON_SAFE_REDACTIONS.slice(3),
];

/** Removes tokens, PeerJS tokens, tickets and TURN credentials from text bound for a log. */
export function redact(text: string): string {
  return REDACTIONS.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);
}

function redactJsonLine(line: string): string {
  return JSON_SAFE_REDACTIONS.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), line);
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

/**
 * The server's log: one JSON object per line (pino), with `level` as a name, an ISO `time`, and
 * `msg`. Every field is cleaned before it is written: values under a credential's name (token,
 * credential, ticket, resume…) are replaced, strings and error messages and stacks go through
 * redact(), and the finished line passes a last JSON-safe redaction. Logs are read by more people
 * than should hold a credential.
 */
export interface Logger {
  trace(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  fatal(msg: string, fields?: LogFields): void;
  isLevelEnabled(level: LogLevel): boolean;
  readonly level: LogLevel;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go: a stream (tests) or a file descriptor; default stdout, written synchronously. */
  destination?: DestinationStream | number;
}

export function createLogger({ level, destination = 1 }: LoggerOptions): Logger {
  const stream = typeof destination === 'number' ? pino.destination({ dest: destination, sync: true }) : destination;
  const base = pino(
    {
      level,
      name: 'peercall',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Errors arrive already made plain and redacted (sanitize()); pino's own serializer would retype them.
      serializers: { err: (value: unknown) => value },
      hooks: { streamWrite: redactJsonLine },
    },
    stream,
  );
  const write = (method: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: LogFields) => {
    if (!base.isLevelEnabled(method)) return;
    if (fields === undefined) base[method](redact(msg));
    else base[method](sanitize(fields, 0) as LogFields, redact(msg));
  };
  return {
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    fatal: write('fatal'),
    isLevelEnabled: (wanted) => wanted !== 'silent' && base.isLevelEnabled(wanted),
    get level() {
      return base.level as LogLevel;
    },
  };
}

/** A logger that writes nothing, for code paths that have none configured. */
export const silentLogger: Logger = createLogger({ level: 'silent' });

const MAX_DEPTH = 4;
const MAX_KEYS = 50;

/** A plain, redacted copy of a log field: errors become `{ type, message, stack, code, … }`. */
export function sanitize(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value !== 'object' || value === null) return typeof value === 'function' ? '[function]' : value;
  if (depth >= MAX_DEPTH) return '[object]';
  if (Array.isArray(value)) return value.slice(0, MAX_KEYS).map((item) => sanitize(item, depth + 1));
  const out: Record<string, unknown> = {};
  if (value instanceof Error) {
    out.type = value.name;
    out.message = redact(value.message);
    if (value.stack !== undefined) out.stack = redact(value.stack);
    if (value.cause !== undefined) out.cause = sanitize(value.cause, depth + 1);
  }
  let keys = 0;
  for (const [key, item] of Object.entries(value)) {
    if (keys++ >= MAX_KEYS) break;
    if (key in out) continue;
    out[key] = SECRET_KEY.test(key) && item !== undefined && item !== null ? '[redacted]' : sanitize(item, depth + 1);
  }
  return out;
}

/** The `err` field of a log line for a caught value. */
export function errorField(error: unknown): LogFields {
  return { err: error instanceof Error ? error : { message: String(error) } };
}
