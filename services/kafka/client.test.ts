import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { isRetriableKafkaError } from './client.js';

// kafkajs's own error classes, protocol error table and retrier, so the errors below are built
// (and wrapped) exactly as kafkajs builds them; none of these is exported for ESM.
const require = createRequire(import.meta.url);
type ErrorClass = new (message: string, options?: Record<string, unknown>) => Error & { retriable: boolean };
const errors = require('kafkajs/src/errors.js') as Record<'KafkaJSConnectionError' | 'KafkaJSRequestTimeoutError' | 'KafkaJSNonRetriableError', ErrorClass>;
const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as { createErrorFromCode: (code: number) => Error & { retriable: boolean } };
const createRetry = require('kafkajs/src/retry/index.js') as (options: Record<string, number>) => (fn: () => Promise<never>) => Promise<never>;

const MESSAGE_TOO_LARGE = 10;
const NOT_LEADER_FOR_PARTITION = 6;

/** What kafkajs throws after retrying `fail` once. */
async function afterRetries(fail: () => Error): Promise<Error & { retriable: boolean }> {
  try {
    await createRetry({ retries: 1, initialRetryTime: 1, maxRetryTime: 1 })(() => Promise.reject(fail()));
  } catch (err) {
    return err as Error & { retriable: boolean };
  }
  throw new Error('the retrier did not fail');
}

const refused = () => new errors.KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1', { broker: '127.0.0.1:1', code: 'ECONNREFUSED' });

describe('isRetriableKafkaError', () => {
  it('an outage stays retriable after kafkajs ran out of retries and marked it final', async () => {
    const exhausted = await afterRetries(refused);
    assert.equal(exhausted.name, 'KafkaJSNumberOfRetriesExceeded');
    assert.equal(exhausted.retriable, false);
    assert.equal(isRetriableKafkaError(exhausted), true);
  });

  it('an outage met while reconnecting inside another retry is retriable too', async () => {
    const exhausted = await afterRetries(refused);
    const outer = await afterRetries(() => exhausted);
    assert.equal(outer.name, 'KafkaJSNonRetriableError');
    assert.equal(isRetriableKafkaError(outer), true);
  });

  it('a request that timed out, and a retriable broker answer that kept coming, are retriable', async () => {
    assert.equal(isRetriableKafkaError(new errors.KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out')), true);
    assert.equal(isRetriableKafkaError(await afterRetries(() => createErrorFromCode(NOT_LEADER_FOR_PARTITION))), true);
  });

  it('a live broker refusing the request is final, bare or wrapped', async () => {
    const tooLarge = createErrorFromCode(MESSAGE_TOO_LARGE);
    assert.equal(tooLarge.retriable, false);
    assert.equal(isRetriableKafkaError(tooLarge), false);
    const wrapped = await afterRetries(() => tooLarge);
    assert.equal(wrapped.name, 'KafkaJSNonRetriableError');
    assert.equal(isRetriableKafkaError(wrapped), false);
  });

  it('a refusal of the producer’s session (sequence, epoch) is retriable: a new producer is taken', async () => {
    const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
    const UNKNOWN_PRODUCER_ID = 59;
    for (const code of [OUT_OF_ORDER_SEQUENCE_NUMBER, UNKNOWN_PRODUCER_ID]) {
      const answer = createErrorFromCode(code);
      assert.equal(answer.retriable, false, 'kafkajs marks it final');
      assert.equal(isRetriableKafkaError(answer), true);
      assert.equal(isRetriableKafkaError(await afterRetries(() => answer)), true);
    }
  });

  it('a client-side refusal is not the broker’s: it could succeed once the client is fixed', () => {
    assert.equal(isRetriableKafkaError(new errors.KafkaJSNonRetriableError('The producer is disconnecting')), true);
  });

  it('anything without a verdict is retriable', () => {
    assert.equal(isRetriableKafkaError(new Error('socket hang up')), true);
    assert.equal(isRetriableKafkaError('boom'), true);
    assert.equal(isRetriableKafkaError(null), true);
  });
});
