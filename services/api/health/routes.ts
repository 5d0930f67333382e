import { Router } from 'express';
import type { Registry } from 'prom-client';

export interface ReadinessProbe {
  readonly name: string;
  check(): Promise<void>;
}

export interface Lifecycle {
  /** True once shutdown began: the load balancer should stop sending traffic. */
  readonly draining: boolean;
}

const PROBE_TIMEOUT_MS = 2_000;

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
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = Object.fromEntries(await Promise.all(probes.map(runProbe)));
    const ready = !lifecycle.draining && Object.values(results).every((v) => v === 'up');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : lifecycle.draining ? 'draining' : 'unavailable', checks: results });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
