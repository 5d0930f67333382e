import { Router } from 'express';
import { z } from 'zod';
import { DEFAULT_BULK_MAX_COUNT } from '../config.js';
import { sendOk } from '../http/envelope.js';
import { badBody, campaignNotFound, databaseDown, fail, ok, operation } from '../http/openapi-declare.js';
import { parse } from '../http/validate.js';
import type { IngestService } from '../participation/ingest-service.js';
import { BulkParticipationResultJson, PartitionCountJson } from './responses.js';

const bulkBody = (maxCount: number) =>
  z
    .object(
      {
        campaignId: z.number({ error: 'must be a number' }).int().positive().max(Number.MAX_SAFE_INTEGER),
        count: z
          .number({ error: 'must be a number' })
          .int('must be an integer')
          .min(1, 'must be at least 1')
          .max(maxCount, `must be at most ${maxCount} (BULK_MAX_COUNT of this server)`),
        startUserId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).default(1),
      },
      { error: 'must be a JSON object' },
    )
    .refine((b) => b.startUserId + b.count - 1 <= Number.MAX_SAFE_INTEGER, { message: 'startUserId + count - 1 must be a safe integer', path: ['startUserId'] })
    .meta({ id: 'BulkParticipationRequest' });

export const adminToolOperations = [
  operation({
    method: 'post',
    path: '/api/admin/test/participate-bulk',
    operationId: 'participateBulk',
    tags: ['admin'],
    summary: 'Synthetic load straight into the log',
    description:
      'For experiments: publishes `count` requests (at most BULK_MAX_COUNT, default 100,000; the document shows the default) for users startUserId, startUserId+1, … with fresh request ids, skipping the campaign window and sold-out checks. Publishes in chunks and stops after the first chunk the broker does not fully acknowledge; entries not confirmed may still be in the log.',
    body: bulkBody(DEFAULT_BULK_MAX_COUNT),
    replies: [
      ok(200, 'What was published.', BulkParticipationResultJson),
      badBody('A field is missing, of the wrong type or out of range (VALIDATION_FAILED)'),
      campaignNotFound,
      databaseDown,
    ],
  }),
  operation({
    method: 'get',
    path: '/api/admin/kafka/partition-count',
    operationId: 'getPartitionCount',
    tags: ['admin'],
    summary: 'Partitions of the participation topic',
    replies: [
      ok(200, 'The topic and its partition count.', PartitionCountJson),
      fail('KAFKA_TOPIC_RESOURCE is set and the Kubernetes API did not answer with the KafkaTopic.', ['KUBERNETES_UNAVAILABLE']),
    ],
  }),
];

/** Where the partition count comes from: the broker at start, or a KafkaTopic read on each call. */
export type PartitionSource = () => Promise<{ count: number; source: 'broker' | 'KafkaTopic' }>;

export function adminToolRoutes(ingest: IngestService, topic: string, partitions: PartitionSource, bulkMaxCount: number): Router {
  const router = Router();
  const schema = bulkBody(bulkMaxCount);
  router.post('/test/participate-bulk', async (req, res) => {
    const body = parse(schema, req.body, 'body');
    const result = await ingest.publishBulk(body.campaignId, body.count, body.startUserId);
    const complete = result.acknowledged === result.requested;
    const published: z.input<typeof BulkParticipationResultJson> = {
      ...result,
      campaignId: body.campaignId,
      ratePerSec: Math.round((result.acknowledged * 1000) / Math.max(1, result.publishMs)),
    };
    sendOk(res, 200, complete ? 'published' : 'stopped: the broker did not acknowledge everything; entries not confirmed may still be in the log', published);
  });
  router.get('/kafka/partition-count', async (_req, res) => {
    const { count, source } = await partitions();
    sendOk(res, 200, 'partition count', { topic, partitionCount: count, source });
  });
  return router;
}
