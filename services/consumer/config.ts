import { commonConfigShape, dbConfigShape, env, kafkaConfigShape, listenConfigShape, loadConfig, topicConfigShape } from '../platform/config.js';

export const consumerConfigShape = {
  ...commonConfigShape,
  ...dbConfigShape,
  ...kafkaConfigShape,
  ...topicConfigShape,
  ...listenConfigShape,
  /** Log entries decided per database transaction at most. */
  CONSUMER_MAX_BATCH: env.int(5_000, 1, 50_000),
  CONSUMER_ALLOW_MULTIPLE_PARTITIONS: env.bool(false),
  /**
   * With several partitions (the experiment): how many are decided at once, each batch in its own
   * transaction, i.e. one decider per partition. Stock and one win per user hold either way (row
   * locks); a campaign keeps its order only if it lives on one partition (api PARTITION_KEY=campaign).
   */
  CONSUMER_PARTITIONS_CONCURRENTLY: env.int(1, 1, 64),
  /**
   * No progress for this long while the log has entries beyond the stored offset makes the
   * consumer report itself stalled (/readyz 503, metric), whatever keeps it from advancing.
   */
  CONSUMER_STALL_AFTER_MS: env.int(30_000, 1_000, 3_600_000),
  /** Kafka session timeout of the consumer's own membership; a replacement never waits for it. */
  CONSUMER_SESSION_TIMEOUT_MS: env.int(10_000, 6_000, 300_000),
  /** How often the lag (log end - stored offset) is measured. */
  CONSUMER_LAG_INTERVAL_MS: env.int(2_000, 100, 60_000),
  /**
   * How often the dead-letter outbox is drained on its own, besides after every batch that set
   * letters aside: a commit whose acknowledgement was lost leaves letters nobody kicks the relay for.
   */
  CONSUMER_DEAD_LETTER_DRAIN_INTERVAL_MS: env.int(10_000, 100, 600_000),
  METRICS_PORT: env.listenPort(9464),
  SHUTDOWN_TIMEOUT_MS: env.int(15_000, 0, 120_000),
};

export function loadConsumerConfig(source: Readonly<Record<string, string | undefined>> = process.env) {
  return loadConfig(consumerConfigShape, source);
}
