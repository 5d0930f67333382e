import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { BATCH_OVERHEAD_BYTES, batchLength, BatchingProducer, RECORD_OVERHEAD_BYTES, type OutgoingMessage } from './batching-producer.js';

const queued = (count: number, valueBytes: number, key = '1') =>
  Array.from({ length: count }, () => ({ message: { key, value: Buffer.alloc(valueBytes), partition: 0 } }));

describe('batchLength', () => {
  it('counts each record with its overhead and the batch header, so the batch never exceeds the byte limit', () => {
    const perRecord = 100 + 1 + RECORD_OVERHEAD_BYTES;
    const maxBytes = BATCH_OVERHEAD_BYTES + 10 * perRecord;
    assert.equal(batchLength(queued(50, 100), 1_000, maxBytes), 10);
    assert.equal(batchLength(queued(50, 100), 1_000, maxBytes - 1), 9);
  });

  it('fills 1 MiB with small records without passing it, overheads included', () => {
    const n = batchLength(queued(20_000, 120), 100_000, 1_048_576);
    assert.ok(BATCH_OVERHEAD_BYTES + n * (120 + 1 + RECORD_OVERHEAD_BYTES) <= 1_048_576);
    assert.ok(BATCH_OVERHEAD_BYTES + (n + 1) * (120 + 1 + RECORD_OVERHEAD_BYTES) > 1_048_576);
  });

  it('stops at the count limit and at the end of the queue', () => {
    assert.equal(batchLength(queued(50, 10), 7, 1_000_000), 7);
    assert.equal(batchLength(queued(3, 10), 7, 1_000_000), 3);
    assert.equal(batchLength([], 7, 1_000_000), 0);
  });

  it('sends an oversized message alone rather than holding up the queue', () => {
    assert.equal(batchLength(queued(3, 5_000), 100, 1_000), 1);
  });
});

/** A kafkajs client whose every produce request waits until the test acknowledges it. */
function scriptedKafka() {
  const requests: { size: number; ack: () => void }[] = [];
  let offset = 0;
  const producer = {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    send: ({ messages }: { messages: unknown[] }) =>
      new Promise((resolve) => {
        requests.push({
          size: messages.length,
          ack: () => {
            resolve([{ topicName: 't', partition: 0, errorCode: 0, baseOffset: String(offset) }]);
            offset += messages.length;
          },
        });
      }),
  };
  const ack = (i: number) => {
    const request = requests[i];
    assert.ok(request, `request ${i} was sent`);
    request.ack();
  };
  return { kafka: { producer: () => producer } as unknown as Kafka, requests, ack };
}

const message = (i: number): OutgoingMessage => ({ key: '1', value: Buffer.from(`{"userId":${i}}`), partition: 0 });

/** Polls `check` until it holds (the producer's timers and promises run meanwhile); fails naming `what`. */
async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
  assert.ok(check(), what);
}

describe('BatchingProducer lingering', () => {
  const options = { topic: 't', maxBatch: 10_000, maxBatchBytes: 1_000_000, lanes: 1, sendTimeoutMs: 60_000, cooldownMs: 1_000 };

  it('sends at once when idle, and under load as soon as everyone waiting when the last request ended is back, long before the linger is over', async () => {
    const { kafka, requests, ack } = scriptedKafka();
    const producer = new BatchingProducer(kafka, { ...options, lingerMs: 60_000 });
    const first = producer.send(message(0));
    await until('the idle lane sends the lone message', () => requests.length === 1);
    const queued = [1, 2, 3].map((i) => producer.send(message(i)));
    ack(0);
    await first;
    // four callers were waiting when the request ended: the three queued and the one it answered
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(requests.length, 1, 'three of four are queued: the lane waits for the one it answered');
    queued.push(producer.send(message(4)));
    await until('the one answered is back: the wait ends', () => requests.length === 2);
    assert.equal(requests[1]?.size, 4);
    ack(1);
    assert.deepEqual((await Promise.all(queued)).map((a) => a.offset), [1, 2, 3, 4]);
    await producer.close();
  });

  for (const [lingerMs, when] of [
    [5, 'once the linger is over'],
    [0, 'at once (lingerMs 0)'],
  ] as const) {
    it(`sends what came ${when} when fewer come back than were waiting`, async () => {
      const { kafka, requests, ack } = scriptedKafka();
      const producer = new BatchingProducer(kafka, { ...options, lingerMs });
      const first = producer.send(message(0));
      await until('the idle lane sends', () => requests.length === 1);
      const second = producer.send(message(1));
      ack(0);
      await first;
      await until('the lane sends the one queued', () => requests.length === 2);
      assert.equal(requests[1]?.size, 1);
      ack(1);
      assert.equal((await second).offset, 1);
      await producer.close();
    });
  }
});
