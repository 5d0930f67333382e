import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../platform/config.js';
import { loadConsumerConfig } from './config.js';

describe('consumer configuration', () => {
  it('drains the dead-letter outbox every 10 s unless told otherwise', () => {
    assert.equal(loadConsumerConfig({}).CONSUMER_DEAD_LETTER_DRAIN_INTERVAL_MS, 10_000);
    assert.equal(loadConsumerConfig({ CONSUMER_DEAD_LETTER_DRAIN_INTERVAL_MS: '500' }).CONSUMER_DEAD_LETTER_DRAIN_INTERVAL_MS, 500);
  });

  it('refuses a drain interval that would hammer the database or never come', () => {
    for (const bad of ['0', '99', '600001', 'soon']) {
      assert.throws(() => loadConsumerConfig({ CONSUMER_DEAD_LETTER_DRAIN_INTERVAL_MS: bad }), (err: unknown) => err instanceof ConfigError && /CONSUMER_DEAD_LETTER_DRAIN_INTERVAL_MS/.test(err.message));
    }
  });
});
