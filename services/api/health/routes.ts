import { Router } from 'express';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { operation, plain } from '../http/openapi-declare.js';
import { HealthJson, ReadinessJson } from './responses.js';

export interface ReadinessProbe {
  readonly name: string;
  check(): Promise<void>;
}

export interface Lifecycle {
  /** True once shutdown began: the load balancer should stop sending traffic. */
  readonly draining: boolean;
}

const PROBE_TIMEOUT_MS = 2_000;

export const healthOperations = [
  operation({
    method: 'get',
    path: '/healthz',
    operationId: 'getHealth',
    tags: ['operations'],
    summary: 'Liveness',
    description: 'Answers as long as the process serves HTTP; checks no dependency.',
    replies: [plain(200, 'Alive.', HealthJson)],
  }),
  operation({
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    tags: ['operations'],
    summary: 'Readiness',
    description: `Probes the database and the broker (each within ${PROBE_TIMEOUT_MS / 1000} s). Ready only when every probe is up and the process is not draining for shutdown.`,
    replies: [
      plain(200, 'Every probe is up.', ReadinessJson),
      plain(503, 'A probe is down (`unavailable`) or shutdown has begun (`draining`).', ReadinessJson),
    ],
  }),
  operation({
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    tags: ['operations'],
    summary: 'Prometheus metrics',
    replies: [plain(200, 'Metrics in the Prometheus text exposition format.', z.string(), 'text/plain')],
  }),
];

async function runProbe(probe: ReadinessProbe): Promise<[string, string]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return [probe.name, 'up'];
  } catch (err) {
    return [probe.name, `down: ${err instanceof Error ? err.message : String(err)}`];
  } finally {
    clearTimeout(timer);
  }
}

/** Plain JSON, outside the envelope, as orchestrators and humans read these directly. */
export function healthRoutes(probes: readonly ReadinessProbe[], lifecycle: Lifecycle, registry: Registry): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const body: z.input<typeof HealthJson> = { status: 'ok' };
    res.json(body);
  });
  router.get('/readyz', async (_req, res) => {
    const results = Object.fromEntries(await Promise.all(probes.map(runProbe)));
    const ready = !lifecycle.draining && Object.values(results).every((v) => v === 'up');
    const body: z.input<typeof ReadinessJson> = { status: ready ? 'ready' : lifecycle.draining ? 'draining' : 'unavailable', checks: results };
    res.status(ready ? 200 : 503).json(body);
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
