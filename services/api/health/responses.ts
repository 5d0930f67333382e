import { z } from 'zod';

export const HealthJson = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const ReadinessJson = z
  .object({
    status: z.enum(['ready', 'degraded', 'starting', 'draining']),
    checks: z.record(z.string(), z.string()).meta({ description: 'Per probe (database, broker): `up` or `down: <reason>`.' }),
  })
  .meta({ id: 'Readiness' });
