/**
 * Which partition a participation goes to. With one partition (the default deployment) every
 * request shares one order. In the partition experiment, `user` spreads one campaign over all
 * partitions (its order then holds per partition only); `campaign` keeps each campaign on one
 * partition, so different campaigns are decided in parallel while each keeps its arrival order.
 */
export type PartitionKey = 'user' | 'campaign';

export function partitionOf(key: PartitionKey, partitions: number, message: { campaignId: number; userId: number }): number {
  return (key === 'campaign' ? message.campaignId : message.userId) % partitions;
}
