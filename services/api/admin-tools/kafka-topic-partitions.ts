import type { KubeClients } from '../../platform/k8s/clients.js';
import { UnavailableError } from '../../platform/errors.js';

/** The Strimzi KafkaTopic that manages the participation topic. */
export interface KafkaTopicRef {
  readonly name: string;
  readonly namespace: string;
}

interface KafkaTopicObject {
  spec?: { partitions?: unknown };
}

/**
 * Partitions of a topic Strimzi manages, from its KafkaTopic: the declared count is what the
 * topic operator keeps the broker at, and what an operator would change to run the experiment.
 */
export async function kafkaTopicPartitions(clients: KubeClients, ref: KafkaTopicRef): Promise<number> {
  let topic: KafkaTopicObject;
  try {
    topic = (await clients.custom.getNamespacedCustomObject({ group: 'kafka.strimzi.io', version: 'v1', namespace: ref.namespace, plural: 'kafkatopics', name: ref.name })) as KafkaTopicObject;
  } catch (err) {
    throw new UnavailableError('KUBERNETES_UNAVAILABLE', `the KafkaTopic ${ref.namespace}/${ref.name} could not be read: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const partitions = topic.spec?.partitions;
  if (typeof partitions !== 'number' || !Number.isInteger(partitions) || partitions < 1) {
    throw new UnavailableError('KUBERNETES_UNAVAILABLE', `the KafkaTopic ${ref.namespace}/${ref.name} declares no partition count`);
  }
  return partitions;
}
