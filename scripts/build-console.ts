/**
 * Builds the operator console into dist/console: one script, one stylesheet, the page. Run by
 * `make build` (the image) and before the tests; the api serves the folder read-only at /console.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = join(root, 'services', 'console', 'src');
const out = join(root, 'dist', 'console');

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const result = await build({
  entryPoints: { app: join(source, 'main.ts') },
  outdir: out,
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'iife',
  target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});
await copyFile(join(source, 'index.html'), join(out, 'index.html'));
const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => !file.endsWith('.map'))
  .map(([file, meta]) => `${file.slice(file.lastIndexOf('/') + 1)} ${(meta.bytes / 1024).toFixed(1)} KiB`);
console.log(`console built into dist/console: ${sizes.join(', ')}`);
