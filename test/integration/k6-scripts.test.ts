import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadThenVerify as runLoadThenVerify, metric, runK6, type K6Run, type K6Script } from '../../experiments/k6.js';
import { startSystem, type RunningSystem } from '../../experiments/system.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

/** The k6 scripts of loadtest/, run for seconds against the real api and consumer. */
describe('k6 load scripts against the local stack', { timeout: 600_000 }, () => {
  let db: TestDatabase;
  let system: RunningSystem;

  before(async () => {
    db = await createTestDatabase();
    system = await startSystem(db);
  });
  after(async () => {
    await system.stop();
    await db.drop();
  });

  const target = () => ({ BASE_URL: system.url, ADMIN_TOKEN: system.adminToken });
  const explain = (run: K6Run) => `exit ${run.exitCode}\n${run.output.slice(-2000)}`;

  /** A load script, then verify over every request it sent; both must pass all their checks. */
  async function loadThenVerify(script: K6Script, env: Record<string, string | number>): Promise<{ load: K6Run; verify: K6Run }> {
    const { load, verify } = await runLoadThenVerify(script, { ...target(), ...env });
    assert.equal(load.exitCode, 0, explain(load));
    assert.equal(metric(load.summary, 'checks', 'fails'), 0);
    const issued = metric(load.summary, 'iterations');
    assert.ok(issued > 0, 'the script sent requests');
    const { campaignId, runId } = load.summary.setup_data ?? {};
    assert.ok(campaignId !== undefined && runId !== undefined);
    assert.equal(verify.exitCode, 0, explain(verify));
    assert.ok(metric(verify.summary, 'checks', 'passes') >= 5);
    assert.equal(metric(verify.summary, 'verify_pending'), 0);
    return { load, verify };
  }

  for (const path of ['kafka', 'sync'] as const) {
    it(`open model on the ${path} path: every acknowledged request decided, winners == stock, nobody twice`, async () => {
      // a pool of 150 users for 200+ requests: repeats, so DUPLICATE answers are exercised
      const { load, verify } = await loadThenVerify('participate-open', { PARTICIPATION_PATH: path, RATE: 100, DURATION: '2s', STOCK: 40, USER_POOL: 150 });
      assert.equal(metric(verify.summary, 'verify_winners'), 40);
      assert.ok(metric(load.summary, 'participation_answered', 'p(99)') > 0);
    });

    it(`closed model on the ${path} path`, async () => {
      const { verify } = await loadThenVerify('participate-closed', { PARTICIPATION_PATH: path, VUS: 8, DURATION: '2s', STOCK: 25, USER_POOL: 100 });
      assert.equal(metric(verify.summary, 'verify_winners'), 25);
    });
  }

  it('the rush: arrivals at their peak within a second, exactly stock winners', async () => {
    const { load, verify } = await loadThenVerify('rush', { PEAK_RATE: 400, DURATION: '2s', STOCK: 100, MAX_VUS: 300 });
    assert.ok(metric(load.summary, 'iterations') > 100, 'more requests than stock');
    assert.equal(metric(verify.summary, 'verify_winners'), 100);
  });

  it('verify fails when an acknowledged request cannot be found', async () => {
    const runId = `t${process.pid}-missing`;
    const load = await runK6('participate-open', { ...target(), RUN_ID: runId, RATE: 20, DURATION: '1s', STOCK: 5 });
    assert.equal(load.exitCode, 0, explain(load));
    const issued = metric(load.summary, 'iterations');
    const verify = await runK6('verify', { ...target(), RUN_ID: runId, CAMPAIGN_ID: load.summary.setup_data?.campaignId ?? 0, ISSUED: issued, ACKNOWLEDGED: issued + 1 });
    assert.equal(verify.exitCode, 99, 'a failed check fails the run');
    assert.equal(metric(verify.summary, 'checks', 'fails'), 1);
  });

  it('bulk: participate-bulk publishes through the api and the consumer drains it', async () => {
    const bulk = await runK6('bulk', { ...target(), BULK_COUNT: 2000, STOCK: 10 });
    assert.equal(bulk.exitCode, 0, explain(bulk));
    assert.equal(metric(bulk.summary, 'checks', 'fails'), 0);
    assert.ok(metric(bulk.summary, 'bulk_drain_ms', 'max') > 0);
  });
});
