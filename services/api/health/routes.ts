import { Router } from 'express';
import { Gauge, type Registry } from 'prom-client';
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
    description: `Whether this process can answer truthfully: it has reached the database and the broker once since it started, and it is not draining for shutdown. A dependency that goes down later keeps the process ready (\`degraded\`): every answer then says what happened (a 503 with \`Retry-After\` and \`mayHaveBeenRecorded\`), which a load balancer with no endpoints left could not. The probes (each within ${PROBE_TIMEOUT_MS / 1000} s) are in the body and in \`fcfs_api_dependency_up\`.`,
    replies: [
      plain(200, 'Ready: every probe is up (`ready`), or one is down since the process started (`degraded`).', ReadinessJson),
      plain(503, 'Not yet started (`starting`: a dependency was never reached) or shutdown has begun (`draining`).', ReadinessJson),
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

async function runProbes(probes: readonly ReadinessProbe[]): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(probes.map(runProbe)));
}

/**
 * Plain JSON, outside the envelope, as orchestrators and humans read these directly.
 *
 * Readiness gates a rollout (a pod that cannot reach its database with the new settings never
 * takes traffic) but not an outage: unready pods would leave the Service with no endpoints, and
 * clients would get connection refused instead of the truthful 503 each answer gives.
 */
export function healthRoutes(probes: readonly ReadinessProbe[], lifecycle: Lifecycle, registry: Registry): Router {
  const router = Router();
  let started = false;
  const observe = (results: Record<string, string>) => {
    const allUp = Object.values(results).every((v) => v === 'up');
    started ||= allUp;
    return allUp;
  };
  // a process whose dependencies answer at start is started before anyone asks
  void runProbes(probes).then(observe);
  new Gauge({
    name: 'fcfs_api_dependency_up',
    help: 'Whether the dependency answered its probe when scraped (1) or not (0); the process stays ready after it started',
    labelNames: ['dependency'],
    registers: [registry],
    async collect() {
      const results = await runProbes(probes);
      observe(results);
      for (const [name, result] of Object.entries(results)) this.set({ dependency: name }, result === 'up' ? 1 : 0);
    },
  });
  router.get('/healthz', (_req, res) => {
    const body: z.input<typeof HealthJson> = { status: 'ok' };
    res.json(body);
  });
  router.get('/readyz', async (_req, res) => {
    const results = await runProbes(probes);
    const allUp = observe(results);
    const status = lifecycle.draining ? 'draining' : !started ? 'starting' : allUp ? 'ready' : 'degraded';
    const body: z.input<typeof ReadinessJson> = { status, checks: results };
    res.status(status === 'ready' || status === 'degraded' ? 200 : 503).json(body);
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
