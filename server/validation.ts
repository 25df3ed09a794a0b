import {
  DEFAULT_DISPLAY_NAME,
  MAX_DISPLAY_NAME_LENGTH,
  ROOM_NAME_PATTERN,
} from '../src/core/protocol.js';

export const ROOM_NAME_RULE = 'Room names are 1–64 characters of A–Z, a–z, 0–9, _ and -.';

export function isValidRoomName(room: unknown): room is string {
  return typeof room === 'string' && ROOM_NAME_PATTERN.test(room);
}

/** A join request may leave the name out, but when it sends one it must be a string. */
export function isDisplayNameInput(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

/**
 * Makes a visitor-chosen name safe to show to everyone else in the room: no control or
 * format characters (bidi overrides could reorder the text around the name, zero-width ones
 * could impersonate someone), no runs of whitespace, and a bounded length.
 */
export function cleanDisplayName(raw: string | undefined): string {
  if (raw === undefined) return DEFAULT_DISPLAY_NAME;
  // Whitespace first, so that a tab or newline (both Cc) separates words instead of joining them.
  const spaced = raw.replace(/\s+/gu, ' ');
  // Cs catches lone surrogates, which JSON allows but no font can draw.
  const visible = spaced.replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, '');
  const collapsed = visible.replace(/ {2,}/g, ' ').trim();
  const cut = Array.from(collapsed).slice(0, MAX_DISPLAY_NAME_LENGTH).join('').trimEnd();
  return cut === '' ? DEFAULT_DISPLAY_NAME : cut;
}
