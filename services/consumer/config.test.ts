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

  it('writes the history by LOAD DATA when the server allows it, unless told to INSERT', () => {
    assert.equal(loadConsumerConfig({}).CONSUMER_HISTORY_WRITE, 'auto');
    assert.equal(loadConsumerConfig({ CONSUMER_HISTORY_WRITE: 'insert' }).CONSUMER_HISTORY_WRITE, 'insert');
    for (const bad of ['load', 'INSERT', 'off']) {
      assert.throws(() => loadConsumerConfig({ CONSUMER_HISTORY_WRITE: bad }), (err: unknown) => err instanceof ConfigError && /CONSUMER_HISTORY_WRITE: expected auto or insert/.test(err.message));
    }
  });
});
