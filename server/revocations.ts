/**
 * Join tokens whose holder a host removed. Each entry is kept until the token, and every resume
 * ticket issued for it, would have expired by itself; entries only come from hosts' removals, so
 * the set stays as small as the number of removals. `persist`, when given, is called with every
 * live entry after each change (the server saves them in its state dir, so that a restart does not
 * let a removed participant back in).
 */
export class RevokedTokens {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    initial: Iterable<[string, number]> = [],
    private readonly persist?: (entries: [string, number][]) => void,
  ) {
    for (const [key, expiresAt] of initial) this.until.set(key, expiresAt);
  }

  revoke(revocationKey: string, expiresAt: number): void {
    this.until.set(revocationKey, Math.max(expiresAt, this.until.get(revocationKey) ?? 0));
    this.sweep();
    this.persist?.([...this.until]);
  }

  isRevoked(revocationKey: string): boolean {
    const expiresAt = this.until.get(revocationKey);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  sweep(): void {
    const now = this.now();
    for (const [key, expiresAt] of this.until) {
      if (expiresAt <= now) this.until.delete(key);
    }
  }
}
