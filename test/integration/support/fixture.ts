import { after, before } from 'node:test';
import type { RunningApi } from '../../../services/api/server.js';
import { startTestApi } from './api.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { deleteTopics, uniqueTopic } from './kafka.js';

export interface ApiFixture {
  readonly db: TestDatabase;
  readonly api: RunningApi;
  readonly topic: string;
}

/**
 * Registers hooks on the enclosing suite: a database, a topic and a running API of the suite's
 * own, all removed afterwards. Call the returned function inside tests.
 */
export function useApiFixture(prefix: string, env: Record<string, string> = {}): () => ApiFixture {
  const topic = uniqueTopic(prefix);
  let fixture: ApiFixture | undefined;
  before(async () => {
    const db = await createTestDatabase();
    fixture = { db, topic, api: await startTestApi(db.config, topic, env) };
  });
  after(async () => {
    if (!fixture) return;
    await fixture.api.close();
    await fixture.db.drop();
    await deleteTopics([topic]);
  });
  return () => {
    if (!fixture) throw new Error('the fixture is only available inside tests');
    return fixture;
  };
}
