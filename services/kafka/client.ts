import { Kafka, logLevel, Partitioners, type LogEntry, type logCreator, type Producer } from 'kafkajs';
import type { Logger } from '../platform/logger.js';
import { fixKafkajsRequestQueue } from './request-queue-fix.js';

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
  if (!fixKafkajsRequestQueue()) logger.warn('kafkajs is not the version its request-queue fix was written for: every broker connection may wake its process every millisecond');
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

/**
 * Broker answers about the producer's session, not about the record: its sequence numbers or epoch
 * no longer match what the broker holds (a request that timed out but landed, then a different
 * batch sent from the same sequence; producer state the broker lost). A new producer, with a new
 * id, is taken: so these are final only for the producer that met them.
 */
const PRODUCER_SESSION_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'UNKNOWN_PRODUCER_ID',
]);

/**
 * Whether trying again could help. Only a live broker refusing the request is final (a record too
 * large, an invalid topic, not authorised): asked again, it says the same. Anything else is
 * retriable, an outage above all, however kafkajs marks it: when its own retries run out, or a
 * reconnect fails inside a retry, it throws KafkaJSNumberOfRetriesExceeded or
 * KafkaJSNonRetriableError, both `retriable: false`, around the connection error that caused it.
 * A refusal of the producer's session is retriable too, by a new producer (callers that retry make
 * one: see PRODUCER_SESSION_ERRORS).
 */
export function isRetriableKafkaError(err: unknown): boolean {
  const root = rootCause(err);
  return !(isBrokerAnswer(root) && root.retriable === false && !PRODUCER_SESSION_ERRORS.has(root.type));
}

/** The innermost `cause` (kafkajs wraps the broker's answer or the connection error in it). */
function rootCause(err: unknown): unknown {
  let current = err;
  for (let depth = 0; depth < 10; depth++) {
    const cause = typeof current === 'object' && current !== null ? (current as { cause?: unknown }).cause : undefined;
    if (cause === undefined || cause === null || cause === current) break;
    current = cause;
  }
  return current;
}

/**
 * An error code the broker sent back (KafkaJSProtocolError and its subclasses carry the protocol's
 * numeric code and its name); its classes are not importable from ESM, so it is told by shape.
 */
function isBrokerAnswer(err: unknown): err is { code: number; type: string; retriable?: unknown } {
  if (typeof err !== 'object' || err === null) return false;
  const { code, type } = err as { code?: unknown; type?: unknown };
  return typeof code === 'number' && typeof type === 'string';
}
