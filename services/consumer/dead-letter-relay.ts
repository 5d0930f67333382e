import type { DeadLetter } from '../db/dead-letter-store.js';
import type { StoredDeadLetter } from '../kafka/dead-letter-publisher.js';
import type { Logger } from '../platform/logger.js';

export interface DeadLetterOutbox {
  unpublished(limit: number): Promise<DeadLetter[]>;
  countUnpublished(): Promise<number>;
  markPublished(ids: readonly number[], at: Date, error?: string | null): Promise<void>;
}

export interface DeadLetterSink {
  publish(letters: readonly StoredDeadLetter[]): Promise<void>;
}

export interface DeadLetterRelayDeps {
  outbox: DeadLetterOutbox;
  sink: DeadLetterSink;
  /** Whether a failed copy could succeed later (a broker outage) or never will (refused). */
  isRetriable: (err: unknown) => boolean;
  logger: Logger;
  clock: () => Date;
  /**
   * How often the outbox is drained without a kick: a batch whose COMMIT acknowledgement was lost
   * is committed with its letters, yet its retry is fenced and kicks nothing.
   */
  drainIntervalMs: number;
  onBacklog?: (unpublished: number) => void;
  onRefused?: () => void;
}

const CHUNK = 100;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

/**
 * Copies committed dead letters to the dead-letter topic after their batch committed, so a broker
 * that is slow or refuses a copy never holds a transaction open or stops decisions. A crash
 * between commit and copy leaves the letter in the outbox for the next run; a copy published
 * twice carries the same original position, which identifies it.
 */
export class DeadLetterRelay {
  private running: Promise<void> | undefined;
  private again = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;

  constructor(private readonly deps: DeadLetterRelayDeps) {}

  /** Copies what a previous process left, then drains on its own every drainIntervalMs. */
  start(): void {
    this.kick();
    // While copies fail, the backoff's retry timer is the one that tries again.
    this.drainTimer = setInterval(() => {
      if (!this.running && this.failures === 0) this.kick();
    }, this.deps.drainIntervalMs);
  }

  /** Copies whatever is waiting; cheap to call after every batch. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.retryTimer);
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const letters = await this.deps.outbox.unpublished(CHUNK);
        if (letters.length === 0) break;
        await this.copy(letters);
      }
      this.failures = 0;
      this.deps.onBacklog?.(0);
    } catch (err) {
      this.failures += 1;
      const wait = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (this.failures - 1));
      this.deps.logger.warn({ err, retryInMs: wait }, 'dead letters not copied to their topic yet; decisions go on');
      await this.deps.outbox.countUnpublished().then(this.deps.onBacklog, () => undefined);
      if (!this.closed) this.retryTimer = setTimeout(() => this.kick(), wait);
    }
  }

  private async copy(letters: readonly DeadLetter[]): Promise<void> {
    const publishedAt = this.deps.clock();
    try {
      await this.deps.sink.publish(letters);
      await this.deps.outbox.markPublished(letters.map((l) => l.id), publishedAt);
      return;
    } catch (err) {
      if (this.deps.isRetriable(err)) throw err;
    }
    // Refused for good: find which ones, so that the others still get their copy.
    for (const letter of letters) {
      try {
        await this.deps.sink.publish([letter]);
        await this.deps.outbox.markPublished([letter.id], this.deps.clock());
      } catch (err) {
        if (this.deps.isRetriable(err)) throw err;
        this.deps.logger.error({ err, id: letter.id, offset: letter.offset }, 'the broker refuses this dead letter; it stays in the dead_letters table only');
        this.deps.onRefused?.();
        await this.deps.outbox.markPublished([letter.id], this.deps.clock(), err instanceof Error ? err.message : String(err));
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.drainTimer);
    clearTimeout(this.retryTimer);
    await this.running;
  }
}
