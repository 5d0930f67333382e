import type { z } from 'zod';
import { ValidationError } from '../../platform/errors.js';

/** Parses untrusted input; every problem is reported with the field it concerns. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      field: issue.path.length > 0 ? `${where}.${issue.path.join('.')}` : where,
      problem: issue.message,
    })),
  );
}
