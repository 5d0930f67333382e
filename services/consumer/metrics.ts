import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DEAD_LETTER_REASONS } from '../core/dead-letter.js';
import { VERDICTS } from '../core/verdict.js';
import { METRIC_PREFIX } from '../platform/metrics.js';

/** Why a batch attempt failed, as counted by fcfs_consumer_batch_failures_total. */
export const FAILURE_CAUSES = ['database_unavailable', 'lock_conflict', 'fenced', 'other'] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];

/** `isStalled` is read at every scrape, so the gauge is true between batches too. */
export function createConsumerMetrics(registry: Registry, isStalled: () => boolean = () => false) {
  const registers = [registry];
  const metrics = {
    decisions: new Counter({ name: `${METRIC_PREFIX}consumer_decisions_total`, help: 'Requests decided from the log, by verdict', labelNames: ['verdict'], registers }),
    skipped: new Counter({ name: `${METRIC_PREFIX}consumer_retried_requests_total`, help: 'Log entries skipped because their requestId was already decided', registers }),
    deadLetters: new Counter({ name: `${METRIC_PREFIX}consumer_dead_letters_total`, help: 'Log entries set aside as dead letters, by reason', labelNames: ['reason'], registers }),
    deadLettersUnpublished: new Gauge({ name: `${METRIC_PREFIX}consumer_dead_letters_unpublished`, help: 'Dead letters committed but not yet copied to the dead-letter topic', registers }),
    deadLetterCopiesRefused: new Counter({ name: `${METRIC_PREFIX}consumer_dead_letter_copies_refused_total`, help: 'Dead letters the broker refused to take on the dead-letter topic (kept in the database only)', registers }),
    stalled: new Gauge({
      name: `${METRIC_PREFIX}consumer_stalled`,
      help: '1 while the consumer has made no progress for longer than CONSUMER_STALL_AFTER_MS with log entries beyond its offset, or refuses a log its stored offset does not belong to (recreated or truncated)',
      registers,
      collect() {
        this.set(isStalled() ? 1 : 0);
      },
    }),
    batchSize: new Histogram({
      name: `${METRIC_PREFIX}consumer_batch_size`,
      help: 'Log entries per database transaction',
      buckets: [1, 10, 50, 100, 500, 1000, 2000, 5000, 10000],
      registers,
    }),
    batchDuration: new Histogram({
      name: `${METRIC_PREFIX}consumer_batch_duration_seconds`,
      help: 'Time to decide and commit one batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    failures: new Counter({
      name: `${METRIC_PREFIX}consumer_batch_failures_total`,
      help: 'Batch attempts that failed and were retried, by cause (database_unavailable, lock_conflict, fenced, other)',
      labelNames: ['cause'],
      registers,
    }),
    decisionDelay: new Histogram({
      name: `${METRIC_PREFIX}consumer_decision_delay_seconds`,
      help: 'Time from acceptance (the 202) to the committed decision',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    lag: new Gauge({ name: `${METRIC_PREFIX}consumer_lag`, help: 'Log entries accepted but not yet decided (log end - stored offset), measured every few seconds', labelNames: ['partition'], registers }),
    nextOffset: new Gauge({ name: `${METRIC_PREFIX}consumer_next_offset`, help: 'The stored offset the consumer reads next', labelNames: ['partition'], registers }),
  };
  // Every known label value exists from the start, so a rate over it is 0 rather than no data.
  for (const verdict of VERDICTS) metrics.decisions.inc({ verdict }, 0);
  for (const reason of Object.keys(DEAD_LETTER_REASONS)) metrics.deadLetters.inc({ reason }, 0);
  for (const cause of FAILURE_CAUSES) metrics.failures.inc({ cause }, 0);
  return metrics;
}

export type ConsumerMetrics = ReturnType<typeof createConsumerMetrics>;
