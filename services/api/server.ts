import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CampaignStore } from '../db/campaign-store.js';
import { defineModels } from '../db/models.js';
import { ParticipationStore } from '../db/participation-store.js';
import { createSequelize } from '../db/sequelize.js';
import type { Logger } from '../platform/logger.js';
import { createRegistry } from '../platform/metrics.js';
import { createApp } from './app.js';
import { CampaignService } from './campaigns/service.js';
import type { ApiConfig } from './config.js';
import { ParticipationService } from './participation/service.js';

export interface RunningApi {
  readonly server: Server;
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish, then closes the pools. */
  close(): Promise<void>;
}

export async function startApi(config: ApiConfig, logger: Logger): Promise<RunningApi> {
  const sequelize = createSequelize(config);
  const models = defineModels(sequelize);
  const campaigns = new CampaignService(new CampaignStore(models));
  const participations = new ParticipationService(campaigns, new ParticipationStore(sequelize));
  const lifecycle = { draining: false };

  const app = createApp({
    logger,
    registry: createRegistry('api'),
    campaigns,
    participations,
    status: { pending: () => Promise.resolve(0) },
    probes: [{ name: 'database', check: async () => { await sequelize.query('SELECT 1'); } }],
    lifecycle,
    adminToken: config.ADMIN_TOKEN,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });

  const server = createServer(app);
  // Longer than typical load balancer idle timeouts, so the balancer closes first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      lifecycle.draining = true;
      const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
      try {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      } finally {
        clearInterval(idleSweep);
      }
      await sequelize.close();
    })();
    return closing;
  };
  return { server, url: `http://127.0.0.1:${port}`, close };
}
