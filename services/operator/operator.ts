import type { Sequelize } from 'sequelize';
import { AggregationRunStore } from '../db/aggregation-run-store.js';
import { CampaignResourceStore } from '../db/campaign-resource-store.js';
import type { KubeClients } from '../platform/k8s/clients.js';
import type { Logger } from '../platform/logger.js';
import { AggregationRunController } from './aggregation-run-controller.js';
import type { OperatorConfig } from './config.js';
import { CampaignController } from './controller.js';
import { LeaderElector } from './leader-election.js';
import type { OperatorMetrics } from './metrics.js';

export interface RunningOperator {
  close(): Promise<void>;
}

interface Controller {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Leader election, and the controllers acting while this instance leads (and only then). */
export function startOperator(config: OperatorConfig, identity: string, deps: { clients: KubeClients; sequelize: Sequelize; logger: Logger; metrics: OperatorMetrics }): RunningOperator {
  let controllers: Controller[] = [];
  const stopAll = async () => {
    const stopping = controllers;
    controllers = [];
    await Promise.all(stopping.map((c) => c.stop()));
  };
  const elector = new LeaderElector({
    clients: deps.clients,
    namespace: config.OPERATOR_NAMESPACE,
    leaseName: config.OPERATOR_LEASE_NAME,
    identity,
    leaseDurationSeconds: config.OPERATOR_LEASE_DURATION_S,
    retryPeriodMs: config.OPERATOR_RENEW_PERIOD_MS,
    logger: deps.logger,
    onStartedLeading: () => {
      deps.metrics.leader.set(1);
      controllers = [
        new CampaignController({
          clients: deps.clients,
          store: new CampaignResourceStore(deps.sequelize),
          namespace: config.OPERATOR_NAMESPACE,
          logger: deps.logger,
          metrics: deps.metrics,
          statusIntervalMs: config.OPERATOR_STATUS_INTERVAL_MS,
          mirrorIntervalMs: config.OPERATOR_MIRROR_INTERVAL_MS,
          ...(config.OPERATOR_API_HPA === undefined
            ? {}
            : { autoscaler: { name: config.OPERATOR_API_HPA, floor: config.OPERATOR_API_HPA_FLOOR, resyncMs: config.OPERATOR_API_HPA_RESYNC_MS } }),
        }),
      ];
      if (config.OPERATOR_AGGREGATION_CRONJOB !== undefined) {
        controllers.push(
          new AggregationRunController({
            clients: deps.clients,
            executions: new AggregationRunStore(deps.sequelize),
            namespace: config.OPERATOR_NAMESPACE,
            cronJob: config.OPERATOR_AGGREGATION_CRONJOB,
            timeZone: config.STATS_TIME_ZONE,
            staleAfterMs: config.AGGREGATION_STALE_AFTER_MS,
            pollMs: config.OPERATOR_AGGREGATION_POLL_MS,
            logger: deps.logger,
            metrics: deps.metrics,
          }),
        );
      }
      for (const c of controllers) void c.start();
    },
    onStoppedLeading: () => {
      // The instance stays a candidate; leading again starts fresh controllers with fresh lists.
      deps.metrics.leader.set(0);
      void stopAll();
    },
  });
  elector.start();
  return {
    close: async () => {
      await stopAll();
      deps.metrics.leader.set(0);
      await elector.stop();
    },
  };
}
