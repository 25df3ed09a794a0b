import type { RawData } from 'ws';
import { PARTICIPANT_STATUS_KEYS, type ParticipantStatus } from '../src/core/protocol.js';

/** A StatusMessage is four booleans: anything much longer is not one. */
const MAX_STATUS_BYTES = 256;
/**
 * StatusMessages per second a socket may send, in bursts of twice as many. Every accepted one
 * costs a roster push to the whole room; the widget sends at most one per 250 ms.
 */
export const STATUS_RATE = 4;

/**
 * The status a StatusMessage frame carries, or undefined unless it is small, JSON, and has all
 * four fields as booleans. Any other field is left behind, so that what the server stores and
 * repeats to the room is exactly a ParticipantStatus.
 */
export function readStatus(data: RawData): ParticipantStatus | undefined {
  const text = String(data);
  if (text.length > MAX_STATUS_BYTES) return undefined;
  let payload: unknown;
  try {
    payload = (JSON.parse(text) as { payload?: unknown }).payload;
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const fields = payload as Record<string, unknown>;
  const status = {} as ParticipantStatus;
  for (const key of PARTICIPANT_STATUS_KEYS) {
    const value = fields[key];
    if (typeof value !== 'boolean') return undefined;
    status[key] = value;
  }
  return status;
}

export function sameStatus(a: ParticipantStatus | undefined, b: ParticipantStatus): boolean {
  return a !== undefined && PARTICIPANT_STATUS_KEYS.every((key) => a[key] === b[key]);
}
