import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { dbEnv, OPEN_UNLIMITED } from './support/api.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { brokers, deleteTopics, uniqueTopic } from './support/kafka.js';
import { freePort } from './support/process.js';

const run = promisify(execFile);

/** `make up`'s process manager: a restart right after a crash really restarts. */
describe('scripts/services.sh', () => {
  let db: TestDatabase;
  let stateDir: string;
  let env: NodeJS.ProcessEnv;
  const topic = uniqueTopic('services');

  before(async () => {
    db = await createTestDatabase();
    stateDir = mkdtempSync(join(tmpdir(), 'fcfs-services-'));
    env = {
      ...process.env,
      ...dbEnv(db.config),
      LOCAL_STACK_DIR: stateDir,
      PORT: String(await freePort()),
      METRICS_PORT: String(await freePort()),
      KAFKA_BROKERS: brokers().join(','),
      KAFKA_TOPIC: topic,
      ...OPEN_UNLIMITED,
    };
  });
  after(async () => {
    await services('stop', 'api', 'consumer').catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
    await db.drop();
    await deleteTopics([topic]);
  });

  const services = async (...args: string[]) => (await run('bash', ['scripts/services.sh', ...args], { env, timeout: 120_000 })).stderr;
  const pidOf = (name: string) => Number(readFileSync(join(stateDir, 'run', `${name}.pid`), 'utf8').trim());

  for (const name of ['api', 'consumer']) {
    it(`${name}: start right after a SIGKILL starts a new process and waits for its own readiness`, async () => {
      await services('start', name);
      const first = pidOf(name);
      process.kill(first, 'SIGKILL');
      const said = await services('start', name);
      assert.doesNotMatch(said, /already running/, said);
      const second = pidOf(name);
      assert.notEqual(second, first);
      process.kill(second, 0); // throws if the new process is not there
      if (name === 'api') assert.equal((await fetch(`http://127.0.0.1:${String(env.PORT)}/readyz`)).status, 200);
      else assert.equal((await fetch(`http://127.0.0.1:${String(env.METRICS_PORT)}/readyz`)).status, 200);
      assert.match(await services('status', name), new RegExp(`${name} running \\(pid ${second}\\)`));
    });
  }
});
