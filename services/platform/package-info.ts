import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The project's package.json, found by walking up from this file: the same code runs from
 * services/ (repo root two levels up) and compiled from dist/services/ (three levels up).
 */
export function packageVersion(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return z.object({ version: z.string() }).parse(JSON.parse(readFileSync(candidate, 'utf8'))).version;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
