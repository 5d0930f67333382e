import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const run = promisify(execFile);

export type Row = Record<string, string | number | boolean>;

export interface LineChart {
  title: string;
  rows: Row[];
  x: { field: string; title: string; log?: boolean };
  y: { field: string; title: string; log?: boolean };
  series: string;
}

/** A multi-series line chart as a Vega-Lite spec (points marked, so single values still show). */
export function lineSpec(chart: LineChart): TopLevelSpec {
  const scale = (log?: boolean) => (log ? { type: 'log' as const } : { zero: true });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chart.title,
    width: 520,
    height: 300,
    background: 'white',
    data: { values: chart.rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: chart.x.field, type: 'quantitative', title: chart.x.title, scale: scale(chart.x.log) },
      y: { field: chart.y.field, type: 'quantitative', title: chart.y.title, scale: scale(chart.y.log) },
      color: { field: chart.series, type: 'nominal', title: null },
    },
    config: { font: 'DejaVu Sans' },
  };
}

/** Vega-Lite → SVG in this process (no browser), then SVG → PNG with rsvg-convert. */
export async function renderPng(spec: TopLevelSpec, pngPath: string): Promise<void> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG(2);
  view.finalize();
  const dir = mkdtempSync(join(tmpdir(), 'chart-'));
  try {
    const svgPath = join(dir, 'chart.svg');
    writeFileSync(svgPath, svg);
    await run('rsvg-convert', ['--format', 'png', '--output', pngPath, svgPath]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function packageVersion(name: string): string {
  const json = JSON.parse(readFileSync(join(import.meta.dirname, '../node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return json.version;
}
