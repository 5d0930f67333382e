import { z } from 'zod';
import { statsConfigShape } from '../daily-stats/config.js';
import { commonConfigShape, ConfigError, dbConfigShape, env, listenConfigShape, loadConfig } from '../platform/config.js';

const dnsLabel = env.kubernetesName('expected a Kubernetes name (lower-case letters, digits, -)');

export const operatorConfigShape = {
  ...commonConfigShape,
  ...dbConfigShape,
  ...listenConfigShape,
  /** The namespace whose Campaign objects this controller manages (the release namespace). */
  OPERATOR_NAMESPACE: dnsLabel,
  /** The Lease that elects the one acting instance. */
  OPERATOR_LEASE_NAME: dnsLabel.default('fcfs-campaign-operator'),
  /** This instance's name in the Lease; the pod name in a cluster. */
  OPERATOR_IDENTITY: z.string().min(1).max(253).optional(),
  OPERATOR_LEASE_DURATION_S: env.int(15, 2, 300),
  OPERATOR_RENEW_PERIOD_MS: env.int(2_000, 100, 60_000),
  /** Campaign status is rewritten from the counters at most this often, and only when it changed. */
  OPERATOR_STATUS_INTERVAL_MS: env.int(500, 100, 60_000),
  /** How often campaigns created through the HTTP API are given an object. */
  OPERATOR_MIRROR_INTERVAL_MS: env.int(2_000, 100, 600_000),
  /**
   * The aggregation CronJob whose template AggregationRun objects are run from; unset: this
   * instance leaves AggregationRuns alone (the chart sets it while the aggregator is enabled).
   */
  OPERATOR_AGGREGATION_CRONJOB: env.kubernetesName('expected a CronJob name (lower-case letters, digits, -; at most 52)', 52).optional(),
  /** Unfinished AggregationRuns look at their Job this often. */
  OPERATOR_AGGREGATION_POLL_MS: env.int(2_000, 100, 60_000),
  /** What "a day" is, for the day an AggregationRun made with kubectl asks for. */
  STATS_TIME_ZONE: statsConfigShape.STATS_TIME_ZONE,
  AGGREGATION_STALE_AFTER_MS: statsConfigShape.AGGREGATION_STALE_AFTER_MS,
  /** The API's HorizontalPodAutoscaler, whose minReplicas Campaign warmups raise; unset: warmups are reported, not applied. */
  OPERATOR_API_HPA: env.kubernetesName('expected a HorizontalPodAutoscaler name', 253, true).optional(),
  /** The HPA's own floor (the chart's api.autoscaling.minReplicas), given back when no warmup is in force. */
  OPERATOR_API_HPA_FLOOR: env.int(1, 1, 1000),
  /** The HPA is read again at least this often, so that a floor changed by someone else is corrected. */
  OPERATOR_API_HPA_RESYNC_MS: env.int(10_000, 500, 600_000),
  /** A kubeconfig file; unset: KUBECONFIG, else the pod's service account. */
  OPERATOR_KUBECONFIG: env.optionalString(),
  METRICS_PORT: env.listenPort(9465),
  SHUTDOWN_TIMEOUT_MS: env.int(15_000, 0, 120_000),
};

export type OperatorConfig = ReturnType<typeof loadOperatorConfig>;

export function loadOperatorConfig(source: Readonly<Record<string, string | undefined>> = process.env) {
  const config = loadConfig(operatorConfigShape, source);
  if (config.OPERATOR_RENEW_PERIOD_MS * 2 > config.OPERATOR_LEASE_DURATION_S * 1000) {
    throw new ConfigError(['OPERATOR_RENEW_PERIOD_MS: must be at most half of OPERATOR_LEASE_DURATION_S, so that a holder renews before its lease can expire']);
  }
  return config;
}
