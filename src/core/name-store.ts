/** Where the display name is remembered, per origin. */
export const NAME_KEY = 'peercall:name';

/** The name the visitor used last on this site, or '' (also when storage is blocked). */
export function loadName(): string {
  try {
    return globalThis.localStorage?.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Remembers the name for the next visit; an empty name forgets it. */
export function saveName(name: string): void {
  try {
    if (name.trim()) globalThis.localStorage?.setItem(NAME_KEY, name.trim());
    else globalThis.localStorage?.removeItem(NAME_KEY);
  } catch {
    // Storage blocked (private mode, sandboxed frame): nothing to remember.
  }
}
