/**
 * Token buckets keyed by client: no timer per key, a bucket is refilled lazily when its key is
 * seen again. Memory is bounded with two generations of Maps of at most maxKeys/2 entries each:
 * when the current one is full it becomes the previous one and the old previous one is dropped
 * whole; a key found in the previous generation moves to the current one. So a client seen in
 * the last maxKeys/2 new keys is always kept, and a dropped client starts again with a full
 * bucket, which errs towards letting a request through, never towards refusing one. (Evicting
 * one entry at a time from the front of a Map is slow in V8: deleted slots are skipped over
 * until the table is rebuilt.)
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
  private current = new Map<K, Bucket>();
  private previous = new Map<K, Bucket>();
  private readonly perMs: number;
  private readonly generationSize: number;

  constructor(private readonly options: BucketOptions) {
    this.perMs = options.ratePerSec / 1000;
    this.generationSize = Math.max(1, Math.floor(options.maxKeys / 2));
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }

  /** Takes one token for `key` at time `nowMs` (monotonic milliseconds). */
  take(key: K, nowMs: number): Take {
    let bucket = this.current.get(key);
    if (bucket === undefined) {
      bucket = this.previous.get(key);
      if (bucket === undefined) {
        this.remember(key, { tokens: this.options.burst - 1, at: nowMs });
        return ALLOWED;
      }
      this.previous.delete(key);
      this.remember(key, bucket);
    }
    const tokens = Math.min(this.options.burst, bucket.tokens + Math.max(0, nowMs - bucket.at) * this.perMs);
    bucket.at = nowMs;
    if (tokens >= 1) {
      bucket.tokens = tokens - 1;
      return ALLOWED;
    }
    bucket.tokens = tokens;
    return { allowed: false, retryAfterMs: Math.ceil((1 - tokens) / this.perMs) };
  }

  private remember(key: K, bucket: Bucket): void {
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, bucket);
  }
}
