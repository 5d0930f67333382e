import { createLogger } from '../platform/logger.js';
import { configOrExit, onShutdown } from '../platform/process.js';
import { loadApiConfig } from './config.js';
import { startApi } from './server.js';

const config = configOrExit(() => loadApiConfig());
const logger = createLogger('api', config.LOG_LEVEL);
if (config.ADMIN_TOKEN === undefined) logger.warn('ADMIN_TOKEN is not set: admin endpoints are open');

const api = await startApi(config, logger);
logger.info({ url: api.url }, 'api listening');
onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, () => api.close());
