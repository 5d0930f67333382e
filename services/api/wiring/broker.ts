import type { Admin, Kafka } from 'kafkajs';
import { createKafka } from '../../kafka/client.js';
import { maxMessageBytes, prepareTopics } from '../../kafka/topics.js';
import { dlqTopicOf } from '../../platform/config.js';
import type { Logger } from '../../platform/logger.js';
import type { ApiConfig } from '../config.js';

const TOPIC_RETRY_MS = 2_000;
/** Kafka's default message.max.bytes (1 MiB + 12 bytes of log overhead). */
const KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

export interface Broker {
  readonly kafka: Kafka;
  /** One admin connection, opened on first use and reused (kafkajs reconnects it after outages). */
  readonly admin: () => Promise<Admin>;
  /** Partitions of the participation topic, as last prepared; undefined until then. */
  readonly partitions: () => number | undefined;
  /** The largest record batch the broker takes for the participation topic, once prepared. */
  readonly maxMessageBytes: () => number | undefined;
  /** Throws while the broker is unreachable or the topics are not prepared yet. */
  readonly check: () => Promise<void>;
  /** No more attempts to prepare the topics (the API is stopping). */
  readonly stopPreparing: () => void;
  readonly close: () => Promise<void>;
}

/**
 * The Kafka side of the API. It comes up even while the broker is down (the sync path and the
 * reads do not need it): the topics are prepared in the background until they are.
 */
export async function connectBroker(config: ApiConfig, logger: Logger): Promise<Broker> {
  const kafka = createKafka(config, logger);
  let admin: Promise<Admin> | undefined;
  const getAdmin = () =>
    (admin ??= (async () => {
      const a = kafka.admin();
      try {
        await a.connect();
        return a;
      } catch (err) {
        admin = undefined;
        throw err;
      }
    })());

  let partitions: number | undefined;
  let batchLimit: number | undefined;
  let stopped = false;
  let topicTimer: NodeJS.Timeout | undefined;
  const prepare = async () => {
    try {
      const a = await getAdmin();
      const count = await prepareTopics(a, { topic: config.KAFKA_TOPIC, dlqTopic: dlqTopicOf(config), partitions: config.KAFKA_TOPIC_PARTITIONS });
      batchLimit = await maxMessageBytes(a, config.KAFKA_TOPIC).catch((err: unknown) => {
        // e.g. an ACL that allows producing but not DescribeConfigs: the broker's default limit is safe
        logger.warn({ err }, `could not read max.message.bytes of ${config.KAFKA_TOPIC}; assuming the broker default ${KAFKA_DEFAULT_MAX_MESSAGE_BYTES}`);
        return KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
      });
      partitions = count;
    } catch (err) {
      logger.warn({ err }, 'broker not reachable yet; ingest answers 503 until it is');
      // a close() that came while this attempt was under way must not be followed by another one
      if (!stopped) topicTimer = setTimeout(() => void prepare(), TOPIC_RETRY_MS);
    }
  };
  await prepare();

  return {
    kafka,
    admin: getAdmin,
    partitions: () => partitions,
    maxMessageBytes: () => batchLimit,
    check: async () => {
      await (await getAdmin()).describeCluster();
      if (partitions === undefined) throw new Error(`topic ${config.KAFKA_TOPIC} not prepared yet`);
    },
    stopPreparing: () => {
      stopped = true;
      clearTimeout(topicTimer);
    },
    close: async () => {
      await (await admin?.catch(() => undefined))?.disconnect();
    },
  };
}
