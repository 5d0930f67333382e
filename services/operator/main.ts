import { hostname } from 'node:os';
import { registerPoolMetrics } from '../db/pool-metrics.js';
import { createSequelize } from '../db/sequelize.js';
import { createKubeClients } from '../platform/k8s/clients.js';
import { createLogger } from '../platform/logger.js';
import { createRegistry } from '../platform/metrics.js';
import { startOpsServer } from '../platform/ops-server.js';
import { configOrExit, onShutdown } from '../platform/process.js';
import { loadOperatorConfig } from './config.js';
import { createOperatorMetrics } from './metrics.js';
import { startOperator } from './operator.js';

const config = configOrExit(() => loadOperatorConfig());
const logger = createLogger('operator', config.LOG_LEVEL);
const registry = createRegistry('operator');
const metrics = createOperatorMetrics(registry);
const sequelize = createSequelize(config);
registerPoolMetrics(registry, sequelize);
const clients = createKubeClients(config.OPERATOR_KUBECONFIG);
const identity = config.OPERATOR_IDENTITY ?? hostname();

const operator = startOperator(config, identity, { clients, sequelize, logger, metrics });
// A standby is ready too: it is doing its job, which is waiting for the lease.
const ops = await startOpsServer(config.HOST, config.METRICS_PORT, registry, () => ({ ready: true, problem: null }));
logger.info({ namespace: config.OPERATOR_NAMESPACE, identity, metricsPort: ops.port }, 'operator started');

onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, async () => {
  await operator.close();
  await ops.close();
  await sequelize.close();
});
