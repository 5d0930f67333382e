import { statsConfigShape } from '../daily-stats/config.js';
import { commonConfigShape, ConfigError, dbConfigShape, env, kafkaConfigShape, listenConfigShape, loadConfig, topicConfigShape } from '../platform/config.js';
import { z } from 'zod';

/** participate-bulk's largest count unless BULK_MAX_COUNT says otherwise. */
export const DEFAULT_BULK_MAX_COUNT = 100_000;

export const apiConfigShape = {
  ...commonConfigShape,
  ...dbConfigShape,
  ...kafkaConfigShape,
  ...topicConfigShape,
  ...statsConfigShape,
  ...listenConfigShape,
  /** How long the broker may take to acknowledge before the client gets 503. */
  PRODUCE_TIMEOUT_MS: env.int(2_000, 100, 60_000),
  PRODUCE_MAX_BATCH: env.int(10_000, 1, 100_000),
  /** Bytes of one produce request's record batch, overheads counted; never more than the topic's max.message.bytes. */
  PRODUCE_MAX_BATCH_BYTES: env.int(900_000, 1_000, 100_000_000),
  /**
   * Produce requests in flight at once per process, each from an idempotent producer of its own.
   * 1 keeps the log in this process's order of acceptance; more lets concurrent batches land in
   * either order (as requests from two API replicas always can).
   */
  PRODUCE_CONCURRENCY: env.int(1, 1, 64),
  /** Under load, how long at most a batch waits for more participations before it is produced (see batching-producer.ts). */
  PRODUCE_LINGER_MS: env.int(2, 0, 1_000),
  /** How stale the ingest path's view of a campaign (exists, window, sold out) may be. */
  CAMPAIGN_CACHE_TTL_MS: env.int(200, 0, 60_000),
  ACCEPT_FLUSH_INTERVAL_MS: env.int(500, 10, 60_000),
  /** With several partitions (the experiment): place a participation by `user` or by `campaign`. */
  PARTITION_KEY: z.enum(['user', 'campaign'], { message: 'expected user or campaign' }).default('user'),
  PORT: env.listenPort(8080),
  /** Processes sharing the port (node:cluster). 1 in Kubernetes, where replicas scale out; more on a single box. */
  API_WORKERS: env.int(1, 1, 64),
  /**
   * Serves POST /api/campaigns/{id}/participation straight from node:http, without express (which
   * still takes the route's uncommon forms); `false` leaves all of it to express, e.g. for an A/B run.
   */
  LEAN_INGEST_ROUTE: env.bool(true),
  /** Mounts POST /api/bench/noop (parse JSON, answer 202): the baseline of `make bench`. */
  BENCH_NOOP_ROUTE: env.bool(false),
  /** `token` (default) requires ADMIN_TOKEN; `disabled` leaves /api/admin/* open, for local experiments only. */
  ADMIN_AUTH: z.enum(['token', 'disabled'], { message: 'expected token or disabled' }).default('token'),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  BODY_LIMIT_BYTES: env.int(16_384, 64, 1_048_576),
  SHUTDOWN_TIMEOUT_MS: env.int(10_000, 0, 120_000),
  /**
   * Time a client has to send its headers, and its whole request, counted from when the connection
   * or request starts; a slower one is cut off (408). Generous, since an overloaded server that
   * reads late counts against the client too.
   */
  HEADERS_TIMEOUT_MS: env.int(60_000, 100, 600_000),
  REQUEST_TIMEOUT_MS: env.int(120_000, 100, 600_000),
  /** Largest `count` of POST /api/admin/test/participate-bulk. */
  BULK_MAX_COUNT: env.int(DEFAULT_BULK_MAX_COUNT, 1, 10_000_000),
  /** Server-side limit of the heavy analytical queries (order analysis, raw statistics). */
  HEAVY_QUERY_TIMEOUT_MS: env.int(30_000, 1, 3_600_000),
  /** Per-client token buckets on the participation paths. */
  RATE_LIMIT_ENABLED: env.bool(true),
  RATE_LIMIT_USER_PER_SEC: env.number(5, 0.001, 1_000_000),
  RATE_LIMIT_USER_BURST: env.int(10, 1, 1_000_000),
  RATE_LIMIT_ADDRESS_PER_SEC: env.number(1_000, 0.001, 1_000_000),
  RATE_LIMIT_ADDRESS_BURST: env.int(2_000, 1, 1_000_000),
  /** Buckets kept per kind (user, address) at most; long-unseen clients are forgotten first. */
  RATE_LIMIT_MAX_KEYS: env.int(100_000, 100, 10_000_000),
  /** Proxies in front of the API whose X-Forwarded-For is believed (0: the peer address is the client). */
  TRUST_PROXY: env.int(0, 0, 10),
  /**
   * Where POST /api/admin/batch/aggregate runs the aggregation: `in-process` (default), or
   * `aggregation-run` (in a cluster): an AggregationRun object in POD_NAMESPACE, named
   * AGGREGATION_RUN_PREFIX-m<time>, which the operator runs as a Job made from the CronJob.
   */
  AGGREGATION_RUNNER: z.enum(['in-process', 'aggregation-run'], { message: 'expected in-process or aggregation-run' }).default('in-process'),
  AGGREGATION_RUN_PREFIX: env.kubernetesName('expected a Kubernetes name (lower-case letters, digits, -; at most 52)', 52).optional(),
  POD_NAMESPACE: env.kubernetesName('expected a namespace name').optional(),
  /** When Strimzi manages the topic: its KafkaTopic (name, in KAFKA_TOPIC_RESOURCE_NAMESPACE), read by the partition-count endpoint. */
  KAFKA_TOPIC_RESOURCE: env.kubernetesName('expected a Kubernetes object name', 253, true).optional(),
  KAFKA_TOPIC_RESOURCE_NAMESPACE: env.kubernetesName('expected a namespace name').optional(),
};

export type ApiConfig = ReturnType<typeof loadApiConfig>;

export function loadApiConfig(source: Readonly<Record<string, string | undefined>> = process.env) {
  const config = loadConfig(apiConfigShape, source);
  if (config.ADMIN_AUTH === 'token' && config.ADMIN_TOKEN === undefined) {
    throw new ConfigError(['ADMIN_TOKEN: required (a secret of at least 16 characters); set ADMIN_AUTH=disabled to run the admin endpoints open for local experiments']);
  }
  if (config.AGGREGATION_RUNNER === 'aggregation-run') {
    const missing = (['AGGREGATION_RUN_PREFIX', 'POD_NAMESPACE'] as const).filter((k) => config[k] === undefined);
    if (missing.length > 0) throw new ConfigError(missing.map((k) => `${k}: required with AGGREGATION_RUNNER=aggregation-run`));
  }
  if (config.KAFKA_TOPIC_RESOURCE !== undefined && config.KAFKA_TOPIC_RESOURCE_NAMESPACE === undefined) {
    throw new ConfigError(['KAFKA_TOPIC_RESOURCE_NAMESPACE: required with KAFKA_TOPIC_RESOURCE']);
  }
  return config;
}
