/**
 * Token buckets keyed by client, in one Map: no timer per key. A bucket is refilled lazily when
 * its key is seen again. The Map is kept in least-recently-used order (a hit moves its key to the
 * end), so beyond `maxKeys` the oldest entries are dropped: a dropped client starts again with a
 * full bucket, which errs towards letting a request through, never towards refusing one.
 */
export interface BucketOptions {
  /** Tokens added per second. */
  readonly ratePerSec: number;
  /** Bucket size: requests allowed at once after a quiet period. */
  readonly burst: number;
  readonly maxKeys: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export type Take = { allowed: true } | { allowed: false; retryAfterMs: number };

const ALLOWED: Take = { allowed: true };

export class TokenBuckets<K> {
  private readonly buckets = new Map<K, Bucket>();
  private readonly perMs: number;

  constructor(private readonly options: BucketOptions) {
    this.perMs = options.ratePerSec / 1000;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token for `key` at time `nowMs` (monotonic milliseconds). */
  take(key: K, nowMs: number): Take {
    const bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.buckets.set(key, { tokens: this.options.burst - 1, at: nowMs });
      if (this.buckets.size > this.options.maxKeys) this.evictOldest();
      return ALLOWED;
    }
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    const tokens = Math.min(this.options.burst, bucket.tokens + Math.max(0, nowMs - bucket.at) * this.perMs);
    bucket.at = nowMs;
    if (tokens >= 1) {
      bucket.tokens = tokens - 1;
      return ALLOWED;
    }
    bucket.tokens = tokens;
    return { allowed: false, retryAfterMs: Math.ceil((1 - tokens) / this.perMs) };
  }

  private evictOldest(): void {
    const oldest = this.buckets.keys().next();
    if (oldest.done !== true) this.buckets.delete(oldest.value);
  }
}
