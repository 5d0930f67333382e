import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { spawnEntrypoint } from './support/process.js';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The shape of `EXPERIMENTS_QUICK=1 make experiments`' output; its figures are not judged here. */
describe('experiments report (quick mode)', { timeout: 900_000 }, () => {
  it('writes the report with a numeric table per experiment and every chart it links as a PNG', async () => {
    const out = mkdtempSync(join(tmpdir(), 'experiments-'));
    try {
      const run = spawnEntrypoint('experiments/main.ts', { EXPERIMENTS_QUICK: '1', EXPERIMENTS_OUT: out, LOG_LEVEL: 'warn' });
      const code = await run.exited();
      assert.equal(code, 0, run.output().slice(-4000));
      assert.match(run.output(), /\[experiments [\d:]+\] 1\. kafka path/, 'progress on stderr');

      const report = readFileSync(join(out, 'experiments.md'), 'utf8');
      assert.match(report, /Machine: \d+ × .+, \d+ GiB/);
      assert.match(report, /k6 v1\.\d+\.\d+/);
      const sections = report.split(/^## /m).slice(1);
      assert.equal(sections.length, 3, 'three experiments');
      for (const section of sections) {
        const title = section.split('\n')[0];
        const rows = section.split('\n').filter((l) => /^\| [^-]/.test(l)).slice(1);
        assert.ok(rows.length >= 2, `${title}: a table with rows`);
        for (const row of rows) assert.match(row, /\| [\d,.]+ \|/, `${title}: numbers in ${row}`);
        assert.match(section, /Original system[^*]*\*\*[^*]*\d/, `${title}: the original's figure beside it`);
      }

      const charts = [...report.matchAll(/!\[[^\]]+\]\(([^)]+\.png)\)/g)].map((m) => m[1] ?? '');
      assert.ok(charts.length >= 4, 'a chart per experiment');
      for (const chart of charts) {
        const file = join(out, chart);
        assert.ok(existsSync(file), `${chart} written`);
        assert.ok(readFileSync(file).subarray(0, 8).equals(PNG_MAGIC), `${chart} is a PNG`);
        assert.ok(statSync(file).size > 5_000, `${chart} has content`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
