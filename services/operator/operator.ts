import type { Sequelize } from 'sequelize';
import { CampaignResourceStore } from '../db/campaign-resource-store.js';
import type { KubeClients } from '../platform/k8s/clients.js';
import type { Logger } from '../platform/logger.js';
import type { OperatorConfig } from './config.js';
import { CampaignController } from './controller.js';
import { LeaderElector } from './leader-election.js';
import type { OperatorMetrics } from './metrics.js';

export interface RunningOperator {
  close(): Promise<void>;
}

/** Leader election, and a controller acting while this instance leads (and only then). */
export function startOperator(config: OperatorConfig, identity: string, deps: { clients: KubeClients; sequelize: Sequelize; logger: Logger; metrics: OperatorMetrics }): RunningOperator {
  let controller: CampaignController | undefined;
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
      controller = new CampaignController({
        clients: deps.clients,
        store: new CampaignResourceStore(deps.sequelize),
        namespace: config.OPERATOR_NAMESPACE,
        logger: deps.logger,
        metrics: deps.metrics,
        statusIntervalMs: config.OPERATOR_STATUS_INTERVAL_MS,
        mirrorIntervalMs: config.OPERATOR_MIRROR_INTERVAL_MS,
      });
      void controller.start();
    },
    onStoppedLeading: () => {
      // The instance stays a candidate; leading again starts a fresh controller with a fresh list.
      deps.metrics.leader.set(0);
      void controller?.stop();
      controller = undefined;
    },
  });
  elector.start();
  return {
    close: async () => {
      await controller?.stop();
      controller = undefined;
      deps.metrics.leader.set(0);
      await elector.stop();
    },
  };
}
