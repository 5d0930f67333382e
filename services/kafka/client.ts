import { Kafka, logLevel, Partitioners, type LogEntry, type logCreator, type Producer } from 'kafkajs';
import type { Logger } from '../platform/logger.js';

export interface KafkaConfig {
  KAFKA_BROKERS: string[];
  KAFKA_CLIENT_ID: string;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs logs through our pino logger, so one LOG_LEVEL governs everything. */
function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, ...extra } = log;
      logger[LEVELS[level] ?? 'info']({ namespace, ...extra }, message);
    };
}

export function createKafka(config: KafkaConfig, logger: Logger, connectionTimeout = 3_000): Kafka {
  return new Kafka({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: config.KAFKA_BROKERS,
    connectionTimeout,
    requestTimeout: 10_000,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger.child({ component: 'kafkajs' })),
  });
}

/**
 * Every producer of the project: idempotent with one request in flight, so the broker keeps
 * each partition in send order and drops a retried duplicate; partitions are always explicit.
 */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

/** Whether trying again could help: a broker that said "never" (e.g. record too large) will say it again. */
export function isRetriableKafkaError(err: unknown): boolean {
  // kafkajs errors carry `retriable`; its error classes are not importable from ESM.
  const retriable = typeof err === 'object' && err !== null ? (err as { retriable?: unknown }).retriable : undefined;
  return typeof retriable === 'boolean' ? retriable : true;
}
