import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { DbConfig } from '../../../services/db/sequelize.js';
import { dbConfigShape, loadConfig } from '../../../services/platform/config.js';
import { freePort } from './process.js';

const run = promisify(execFile);

/**
 * A MariaDB server of the test's own (own data directory and port, from scripts/mariadb.sh), for
 * tests that kill it again and again: the shared one may belong to a developer's `make up`.
 */
export interface OwnDatabaseServer {
  /** The server; pass it to createTestDatabase. */
  readonly server: DbConfig;
  /** mariadbd, for faults the script does not make (SIGKILL, SIGSTOP). */
  pid(): Promise<number>;
  /** Starts it (after crash recovery, if it was killed) and waits until it answers. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startOwnDatabaseServer(): Promise<OwnDatabaseServer> {
  const dir = mkdtempSync(resolve(process.env.LOCAL_STACK_DIR ?? '.local', 'test-mariadb-'));
  const port = await freePort();
  const env = {
    ...process.env,
    LOCAL_STACK_DIR: dir,
    LOCAL_DB_PORT: String(port),
    // a test's few tables, not the benchmark's buffer pool
    LOCAL_DB_BUFFER_POOL_SIZE: '128M',
    LOCAL_DB_LOG_FILE_SIZE: '64M',
  };
  const script = (command: string) => run('bash', ['scripts/mariadb.sh', command], { env, timeout: 120_000 });
  await script('start');
  return {
    server: loadConfig(dbConfigShape, { DB_HOST: '127.0.0.1', DB_PORT: String(port), DB_USER: 'campaign', DB_PASSWORD: 'campaign' }),
    pid: async () => Number((await script('pid')).stdout.trim()),
    start: () => script('start').then(() => undefined),
    destroy: async () => {
      await script('stop').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
