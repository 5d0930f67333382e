import cluster from 'node:cluster';
import { createLogger } from '../platform/logger.js';
import { configOrExit, onShutdown } from '../platform/process.js';
import { loadApiConfig } from './config.js';
import { startApi } from './server.js';

const config = configOrExit(() => loadApiConfig());
const logger = createLogger('api', config.LOG_LEVEL);

function warnIfOpen(): void {
  if (config.ADMIN_AUTH === 'disabled') {
    logger.warn('ADMIN_AUTH=disabled: /api/admin/* is OPEN to anyone who can reach this port (create campaigns, replay, bulk load); for local experiments only');
  }
}

if (config.API_WORKERS > 1 && cluster.isPrimary) {
  // The primary only supervises: workers are whole, stateless APIs sharing the port.
  warnIfOpen();
  for (let i = 0; i < config.API_WORKERS; i++) cluster.fork();
  let stopping = false;
  cluster.on('exit', (worker, code) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code }, 'worker died; replacing it');
    cluster.fork();
  });
  onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            w?.once('exit', () => resolve());
            w?.process.kill('SIGTERM');
          }),
      ),
    );
  });
} else {
  if (cluster.isPrimary) warnIfOpen();
  const api = await startApi(config, logger);
  logger.info({ url: api.url, pid: process.pid }, 'api listening');
  onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, () => api.close());
}
