import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { BatchingProducer } from '../../kafka/batching-producer.js';
import type { Logger } from '../../platform/logger.js';
import { METRIC_PREFIX } from '../../platform/metrics.js';
import type { ApiConfig } from '../config.js';
import { AcceptCounter } from '../participation/accept-counter.js';
import { CampaignCache } from '../participation/campaign-cache.js';
import { IngestService } from '../participation/ingest-service.js';
import { SoldOutAnswers } from '../participation/sold-out-answers.js';
import type { Broker } from './broker.js';
import type { Storage } from './storage.js';

export interface IngestWiring {
  readonly ingest: IngestService;
  readonly producer: BatchingProducer;
  readonly accepts: AcceptCounter;
}

/** The micro-batching producer that carries participations to the broker. */
function createProducer(config: ApiConfig, broker: Broker, registry: Registry, logger: Logger): BatchingProducer {
  const produceBatch = new Histogram({
    name: `${METRIC_PREFIX}api_produce_batch_size`,
    help: 'Participations carried by one produce request',
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
    registers: [registry],
  });
  const produceDuration = new Histogram({
    name: `${METRIC_PREFIX}api_produce_duration_seconds`,
    help: 'Time from sending a produce request to the broker acknowledging it',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const produceFailures = new Counter({
    name: `${METRIC_PREFIX}api_produce_failures_total`,
    help: 'Produce requests the broker did not acknowledge (their callers were answered 503)',
    registers: [registry],
  });
  const producer = new BatchingProducer(broker.kafka, {
    topic: config.KAFKA_TOPIC,
    maxBatch: config.PRODUCE_MAX_BATCH,
    maxBatchBytes: config.PRODUCE_MAX_BATCH_BYTES,
    brokerMaxBatchBytes: broker.maxMessageBytes,
    lanes: config.PRODUCE_CONCURRENCY,
    lingerMs: config.PRODUCE_LINGER_MS,
    sendTimeoutMs: config.PRODUCE_TIMEOUT_MS,
    cooldownMs: 250,
    onBatch: (size, seconds) => {
      produceBatch.observe(size);
      produceDuration.observe(seconds);
    },
    onFailure: (err, size) => {
      produceFailures.inc();
      logger.warn({ err: err.message, size }, 'produce failed; answering 503');
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}api_produce_waiting`,
    help: 'Participations waiting for the broker to acknowledge them',
    registers: [registry],
    collect() {
      this.set(producer.waiting);
    },
  });
  return producer;
}

/** The Kafka path's front half: campaign cache, sold-out answers, producer and accept counts. */
export function createIngest(deps: { config: ApiConfig; storage: Storage; broker: Broker; registry: Registry; logger: Logger; clock: () => Date }): IngestWiring {
  const { config, storage, broker, registry, logger, clock } = deps;
  const producer = createProducer(config, broker, registry, logger);
  const accepts = new AcceptCounter({ store: storage.accepts, intervalMs: config.ACCEPT_FLUSH_INTERVAL_MS, logger });
  const cache = new CampaignCache({
    load: (id) => storage.campaigns.findById(id),
    ttlMs: config.CAMPAIGN_CACHE_TTL_MS,
    onRefreshFailed: (id, err) => logger.warn({ err, campaignId: id }, 'could not refresh a campaign; serving what the cache has'),
  });
  const soldOut = new SoldOutAnswers({
    winnersOf: (id) => storage.participations.winnersOf(id),
    onLoadFailed: (id, err) => logger.warn({ err, campaignId: id }, 'could not load the winners of a sold-out campaign; its requests go to the log'),
  });
  const ingest = new IngestService({ campaigns: cache, producer, accepts, soldOut, partitions: broker.partitions, partitionKey: config.PARTITION_KEY, clock });
  return { ingest, producer, accepts };
}
