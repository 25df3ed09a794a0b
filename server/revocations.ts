/**
 * Join tokens whose holder a host removed. Each entry is kept until the token expires by itself,
 * after which the token is refused anyway; entries only come from hosts' removals, so the set
 * stays as small as the number of removals.
 */
export class RevokedTokens {
  private readonly until = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  revoke(revocationKey: string, expiresAt: number): void {
    this.until.set(revocationKey, Math.max(expiresAt, this.until.get(revocationKey) ?? 0));
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
