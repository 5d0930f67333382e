import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './process.js';

const run = promisify(execFile);

/**
 * A Kafka broker of the test's own (own ports, own data), for tests that stop and start the
 * broker: the shared one may belong to a developer's `make up`. It reuses the installed jars.
 */
export interface OwnBroker {
  readonly brokers: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startOwnBroker(): Promise<OwnBroker> {
  const shared = resolve(process.env.LOCAL_STACK_DIR ?? '.local');
  const dir = mkdtempSync(resolve(shared, 'test-broker-'));
  mkdirSync(resolve(dir, 'kafka'), { recursive: true });
  symlinkSync(resolve(shared, 'kafka', 'libs'), resolve(dir, 'kafka', 'libs'));
  const port = await freePort();
  const env = {
    ...process.env,
    LOCAL_STACK_DIR: dir,
    LOCAL_KAFKA_PORT: String(port),
    LOCAL_KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_HEAP_OPTS: '-Xms256m -Xmx512m',
  };
  const kafka = (command: string) => run('bash', ['scripts/kafka.sh', command], { env, timeout: 120_000 }).then(() => undefined);
  await kafka('start');
  return {
    brokers: `127.0.0.1:${port}`,
    stop: () => kafka('stop'),
    start: () => kafka('start'),
    destroy: async () => {
      await kafka('stop').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
