import { createKubeClients, type KubeClients } from '../../platform/k8s/clients.js';
import { UnavailableError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { kafkaTopicPartitions } from '../admin-tools/kafka-topic-partitions.js';
import type { PartitionSource } from '../admin-tools/routes.js';
import { KubernetesAggregationLauncher } from '../aggregation-runs/kubernetes-launcher.js';
import type { ApiConfig } from '../config.js';
import type { Storage } from './storage.js';

export interface KubernetesWiring {
  /** Partitions from the Strimzi KafkaTopic when it manages the topic, else from the broker. */
  readonly partitions: PartitionSource;
  /** Set when aggregation is handed to the operator as AggregationRun objects. */
  readonly launcher: KubernetesAggregationLauncher | undefined;
}

/** What the API does through the Kubernetes API in a cluster; nothing (and no client) outside one. */
export function createKubernetes(deps: {
  config: ApiConfig;
  storage: Storage;
  brokerPartitions: () => number | undefined;
  logger: Logger;
  clock: () => Date;
}): KubernetesWiring {
  const { config, storage, logger, clock } = deps;
  const needed = config.AGGREGATION_RUNNER === 'aggregation-run' || config.KAFKA_TOPIC_RESOURCE !== undefined;
  const kube: KubeClients | undefined = needed ? createKubeClients() : undefined;
  const topicResource =
    config.KAFKA_TOPIC_RESOURCE !== undefined && config.KAFKA_TOPIC_RESOURCE_NAMESPACE !== undefined
      ? { name: config.KAFKA_TOPIC_RESOURCE, namespace: config.KAFKA_TOPIC_RESOURCE_NAMESPACE }
      : undefined;
  const brokerCount = () => {
    const count = deps.brokerPartitions();
    if (count === undefined) throw new UnavailableError('BROKER_UNAVAILABLE', 'the partition count is not known yet: the broker has not been reached');
    return count;
  };
  const partitions: PartitionSource = async () =>
    kube && topicResource ? { count: await kafkaTopicPartitions(kube, topicResource), source: 'KafkaTopic' } : { count: brokerCount(), source: 'broker' };
  const launcher =
    kube && config.AGGREGATION_RUNNER === 'aggregation-run' && config.AGGREGATION_RUN_PREFIX !== undefined && config.POD_NAMESPACE !== undefined
      ? new KubernetesAggregationLauncher({
          clients: kube,
          executions: storage.executions,
          namespace: config.POD_NAMESPACE,
          namePrefix: config.AGGREGATION_RUN_PREFIX,
          timeZone: config.STATS_TIME_ZONE,
          staleAfterMs: config.AGGREGATION_STALE_AFTER_MS,
          clock,
          logger,
        })
      : undefined;
  return { partitions, launcher };
}
