import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// Each of these folders is built into its own process; what two of them share belongs in core/,
// db/, kafka/, platform/ or a feature module such as daily-stats/, never in one of them.
const DEPLOYABLES = ['api', 'consumer', 'aggregator', 'operator'];
const SERVICES = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Relative module specifiers of static and dynamic imports and re-exports. */
function importsOf(source: string): string[] {
  const found = [...source.matchAll(/\b(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)].map((m) => m[1]);
  return found.filter((s): s is string => s !== undefined);
}

/** The top-level folder under services/ that a path lies in. */
const folderOf = (path: string) => relative(SERVICES, path).split(sep)[0];

describe('deployable folders', () => {
  it('finds the imports it checks', () => {
    assert.deepEqual(importsOf("import { a } from './a.js';\nexport { b } from \"../b.js\";\nconst c = await import('./c.js');"), ['./a.js', '../b.js', './c.js']);
  });

  for (const deployable of DEPLOYABLES) {
    it(`${deployable}/ imports no other deployable`, () => {
      const files = sourceFiles(join(SERVICES, deployable));
      assert.ok(files.length > 0, `no sources found in services/${deployable}`);
      const crossings = files.flatMap((file) =>
        importsOf(readFileSync(file, 'utf8'))
          .map((specifier) => folderOf(resolve(dirname(file), specifier)))
          .filter((folder) => folder !== undefined && folder !== deployable && DEPLOYABLES.includes(folder))
          .map((folder) => `${relative(SERVICES, file)} imports ${folder}/`),
      );
      assert.deepEqual(crossings, []);
    });
  }
});
