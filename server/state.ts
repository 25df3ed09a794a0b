import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, MIN_SERVER_SECRET_BYTES, type ServerConfig } from './config.js';

const SECRET_FILE = 'secret';
const REVOCATIONS_FILE = 'revocations.json';
/** Far more than hosts remove in the lifetime of their tokens; the file stays small. */
const MAX_SAVED_REVOCATIONS = 100_000;

export type SecretSource = 'option' | 'state-dir' | 'generated' | 'ephemeral';

/** What the server keeps across restarts, and where. */
export interface ServerState {
  secret: string;
  secretSource: SecretSource;
  /** The state dir in use; undefined when there is none (nothing survives a restart). */
  dir: string | undefined;
  /** Problems worth a warning in the log (the server still starts). */
  warnings: string[];
}

/**
 * Finds the server's secret: --secret, else the one in the state dir (created there on first
 * start, 0600, in a 0700 directory), else a random one for this process only. A state dir the
 * operator named must be usable (ConfigError otherwise); the default one is skipped with a warning.
 */
export function loadServerState(config: ServerConfig): ServerState {
  const warnings: string[] = [];
  let dir = config.stateDir;
  if (dir !== undefined) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (config.secret === undefined) {
        const { secret, created } = readOrCreateSecret(dir, warnings);
        return { secret, secretSource: created ? 'generated' : 'state-dir', dir, warnings };
      }
    } catch (error) {
      const reason = error instanceof ConfigError ? error.message : `${(error as NodeJS.ErrnoException).code ?? 'error'}: ${(error as Error).message}`;
      if (config.stateDirSource === 'option') {
        throw new ConfigError(`Cannot use the state dir ${dir}: ${reason}. Pick a writable directory with --state-dir.`);
      }
      warnings.push(`cannot use the default state dir ${dir} (${reason}); set --state-dir or --secret so that resume survives a restart`);
      dir = undefined;
    }
  }
  if (config.secret !== undefined) return { secret: config.secret, secretSource: 'option', dir, warnings };
  return { secret: randomBytes(32).toString('hex'), secretSource: 'ephemeral', dir, warnings };
}

function readOrCreateSecret(dir: string, warnings: string[]): { secret: string; created: boolean } {
  const file = path.join(dir, SECRET_FILE);
  const fresh = randomBytes(32).toString('hex');
  // Written in full to a temp file, then linked into place: link() fails if the secret exists, so
  // of two servers starting together on one state dir exactly one creates it, and neither can read
  // a half-written file.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, `${fresh}\n`, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(temp, file);
    return { secret: fresh, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  const mode = statSync(file).mode;
  if ((mode & 0o077) !== 0) {
    warnings.push(`${file} is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`);
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (Buffer.byteLength(secret, 'utf8') < MIN_SERVER_SECRET_BYTES) {
    throw new ConfigError(`${file} holds no usable secret (under ${MIN_SERVER_SECRET_BYTES} bytes); delete it to have a new one made`);
  }
  return { secret, created: false };
}

/** Hosts' removals as saved in the state dir: revocation key → until when (ms since the epoch). */
export function loadRevocations(dir: string | undefined, now = Date.now()): [string, number][] {
  if (dir === undefined) return [];
  let text: string;
  try {
    text = readFileSync(path.join(dir, REVOCATIONS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as { entries?: unknown };
    if (!Array.isArray(parsed.entries)) return [];
    return parsed.entries.filter(
      (entry): entry is [string, number] =>
        Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number' && entry[1] > now,
    );
  } catch {
    // A torn or hand-edited file: removals it held are lost, which a warning would not undo.
    return [];
  }
}

/** Replaces the saved removals atomically (a temp file renamed over the old one). */
export function saveRevocations(dir: string, entries: [string, number][]): void {
  const file = path.join(dir, REVOCATIONS_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ v: 1, entries: entries.slice(-MAX_SAVED_REVOCATIONS) }), { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}
