import { z } from 'zod';

/** Thrown once at start when the environment is unusable; the message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses `env` against a schema whose keys are environment variable names. Empty strings count as
 * unset so that `FOO=` in a manifest falls back to the default instead of failing obscurely.
 */
export function loadConfig<S extends z.ZodRawShape>(shape: S, env: Env = process.env): z.infer<z.ZodObject<S>> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    input[key] = value === '' ? undefined : value;
  }
  const result = z.object(shape).safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const variable = issue.path.join('.');
        const got = env[variable];
        return `${variable}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
      }),
    );
  }
  return result.data;
}

export const env = {
  port: (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback),
  /** A port to listen on; 0 picks a free one. */
  listenPort: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(fallback),
  number: (fallback: number, min: number, max: number) => z.coerce.number().min(min).max(max).default(fallback),
  /** An address to bind: an IP literal or a host name. */
  host: (fallback: string) =>
    z
      .string()
      .regex(/^[A-Za-z0-9.:-]{1,253}$/, 'expected an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0')
      .default(fallback),
  string: (fallback: string) => z.string().min(1).default(fallback),
  optionalString: () => z.string().min(1).optional(),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * A Kubernetes object name: lower-case letters, digits and '-' ('.' too with `dots`, for DNS
   * subdomain names), starting and ending with a letter or digit, at most `max` long.
   */
  kubernetesName: (message: string, max = 63, dots = false) =>
    z.string().regex(new RegExp(`^[a-z0-9](${dots ? '[-.a-z0-9]' : '[-a-z0-9]'}{0,${max - 2}}[a-z0-9])?$`), message),
  list: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0))
      .pipe(z.array(z.string()).min(1, 'expected a comma-separated list')),
};

export const dbConfigShape = {
  DB_HOST: env.string('127.0.0.1'),
  DB_PORT: env.port(3306),
  DB_USER: env.string('campaign'),
  DB_PASSWORD: z.string().default(''),
  DB_NAME: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'expected a database name of letters, digits and _').default('campaign'),
  DB_POOL_MAX: env.int(20, 1, 1000),
};

export const kafkaConfigShape = {
  KAFKA_BROKERS: env.list('127.0.0.1:9092'),
  KAFKA_CLIENT_ID: env.string('fcfs-campaign'),
  KAFKA_TOPIC: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'expected a Kafka topic name').default('campaign-participation'),
};

const topicName = z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'expected a Kafka topic name');

export const topicConfigShape = {
  CONSUMER_GROUP: env.optionalString(),
  /** Dead-letter topic; defaults to `<KAFKA_TOPIC>-dlq`. */
  KAFKA_DLQ_TOPIC: topicName.optional(),
  /** Partitions when the topic is created; more than 1 only for the partition experiment. */
  KAFKA_TOPIC_PARTITIONS: env.int(1, 1, 1000),
};

/**
 * The consumer's group; defaults to `<KAFKA_TOPIC>-decider` so that deciders of different topics
 * never share a group (a shared group would hand one topic's partition to another's consumer).
 */
export function consumerGroupOf(config: { KAFKA_TOPIC: string; CONSUMER_GROUP?: string | undefined }): string {
  return config.CONSUMER_GROUP ?? `${config.KAFKA_TOPIC}-decider`;
}

export function dlqTopicOf(config: { KAFKA_TOPIC: string; KAFKA_DLQ_TOPIC?: string | undefined }): string {
  return config.KAFKA_DLQ_TOPIC ?? `${config.KAFKA_TOPIC}-dlq`;
}

export const commonConfigShape = {
  LOG_LEVEL: env.logLevel(),
};

/**
 * Where a process listens. Loopback by default so that nothing is reachable from the network by
 * accident; container images set 0.0.0.0.
 */
export const listenConfigShape = {
  HOST: env.host('127.0.0.1'),
};
