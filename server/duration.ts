const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Reads a duration such as `90`, `90s`, `15m`, `1h` or `2d` into whole seconds; a bare number
 * is seconds. Undefined for anything else.
 */
export function parseDurationSeconds(raw: string): number | undefined {
  const match = /^(\d{1,9})([smhd]?)$/.exec(raw.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's']!;
}
