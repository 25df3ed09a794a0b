/** A token bucket: `capacity` tokens at most, refilled continuously at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is available (0 if one is). */
  msUntilNext(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  /** True once the bucket has refilled completely, i.e. it remembers nothing worth keeping. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.capacity;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.perSecond);
    this.updatedAt = now;
  }
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface KeyedRateLimiterOptions {
  capacity: number;
  perSecond: number;
  /** Keys tracked at most; beyond it idle keys are forgotten, then the oldest. */
  maxKeys?: number;
  now?: () => number;
}

/**
 * One token bucket per key (a client address). Memory is bounded: an address whose bucket has
 * refilled is forgotten, and when a flood of distinct addresses still overflows `maxKeys`, the
 * longest-tracked are dropped; that can only let a few requests through early, never block anyone.
 */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly capacity: number;
  private readonly perSecond: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor({ capacity, perSecond, maxKeys = 100_000, now = Date.now }: KeyedRateLimiterOptions) {
    this.capacity = capacity;
    this.perSecond = perSecond;
    this.maxKeys = maxKeys;
    this.now = now;
  }

  take(key: string): RateDecision {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.forgetIdle(now);
      bucket = new TokenBucket(this.capacity, this.perSecond, now);
      this.buckets.set(key, bucket);
    }
    if (bucket.take(now)) return { allowed: true };
    return { allowed: false, retryAfterMs: bucket.msUntilNext(now) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private forgetIdle(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.isFull(now)) this.buckets.delete(key);
    }
    // Down to 90 %, so that a flood pays for this scan once per many new keys, not on every one.
    // Maps iterate in insertion order, so this drops the longest-tracked addresses.
    const target = Math.floor(this.maxKeys * 0.9);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(key);
    }
  }
}
