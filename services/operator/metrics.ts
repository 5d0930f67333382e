import { Counter, Gauge, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../platform/metrics.js';

export interface OperatorMetrics {
  readonly reconciles: Counter<'outcome'>;
  readonly statusWrites: Counter;
  /** Requests this controller made to the Kubernetes API server, by verb: its load on it. */
  readonly kubeRequests: Counter<'verb'>;
  readonly watchRestarts: Counter;
  readonly leader: Gauge;
  /** The minReplicas this leader last gave the API autoscaler. */
  readonly apiFloor: Gauge;
}

export function createOperatorMetrics(registry: Registry): OperatorMetrics {
  const registers = [registry];
  return {
    reconciles: new Counter({ name: `${METRIC_PREFIX}operator_reconciles_total`, help: 'Campaign reconciles by outcome (ok, error)', labelNames: ['outcome'], registers }),
    statusWrites: new Counter({ name: `${METRIC_PREFIX}operator_status_writes_total`, help: 'Campaign status patches sent (only changed statuses are sent)', registers }),
    kubeRequests: new Counter({ name: `${METRIC_PREFIX}operator_kube_requests_total`, help: 'Requests to the Kubernetes API server by verb', labelNames: ['verb'], registers }),
    watchRestarts: new Counter({ name: `${METRIC_PREFIX}operator_watch_restarts_total`, help: 'Campaign watches started again after failing', registers }),
    apiFloor: new Gauge({ name: `${METRIC_PREFIX}operator_api_min_replicas`, help: 'The minReplicas the leader last gave the API autoscaler (the chart floor, or the highest Campaign warmup in force)', registers }),
    leader: new Gauge({ name: `${METRIC_PREFIX}operator_leader`, help: '1 while this instance holds the lease and acts', registers }),
  };
}
