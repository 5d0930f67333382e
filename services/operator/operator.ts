import type { Sequelize } from 'sequelize';
import { CampaignResourceStore } from '../db/campaign-resource-store.js';
import type { KubeClients } from '../platform/k8s/clients.js';
import type { Logger } from '../platform/logger.js';
import type { OperatorConfig } from './config.js';
import { CampaignController } from './controller.js';
import { LeaderElector } from './leader-election.js';
import type { OperatorMetrics } from './metrics.js';

export interface RunningOperator {
  readonly elector: LeaderElector;
  /** Whether the controller is acting (leader and not stopped). */
  readonly acting: () => boolean;
  /** Resolves once leadership was lost: the process must then end, its view may be stale. */
  readonly lost: Promise<void>;
  close(): Promise<void>;
}

/** Leader election, and the controller acting while this instance leads. */
export function startOperator(config: OperatorConfig, identity: string, deps: { clients: KubeClients; sequelize: Sequelize; logger: Logger; metrics: OperatorMetrics }): RunningOperator {
  let controller: CampaignController | undefined;
  let resolveLost: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => (resolveLost = resolve));
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
      deps.metrics.leader.set(0);
      const stopping = controller?.stop();
      controller = undefined;
      void (stopping ?? Promise.resolve()).then(resolveLost);
    },
  });
  elector.start();
  return {
    elector,
    acting: () => controller !== undefined,
    lost,
    close: async () => {
      await controller?.stop();
      controller = undefined;
      deps.metrics.leader.set(0);
      await elector.stop();
    },
  };
}
