import { commonConfigShape, dbConfigShape, env, loadConfig } from '../platform/config.js';

export const apiConfigShape = {
  ...commonConfigShape,
  ...dbConfigShape,
  PORT: env.port(8080),
  ADMIN_TOKEN: env.optionalString(),
  BODY_LIMIT_BYTES: env.int(16_384, 64, 1_048_576),
  SHUTDOWN_TIMEOUT_MS: env.int(10_000, 0, 120_000),
};

export type ApiConfig = ReturnType<typeof loadApiConfig>;

export function loadApiConfig(source: Readonly<Record<string, string | undefined>> = process.env) {
  return loadConfig(apiConfigShape, source);
}
