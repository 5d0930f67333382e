// Formatting of the experiment and bench reports: pure, so the numbers they print are the numbers
// measured, and every percentile in them is the same nearest-rank one.

export function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';
}

/** A Markdown table; numbers right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[] = []): string {
  const align = header.map((_, i) => (numeric[i] ? '---:' : '---'));
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), line(align), ...rows.map(line)].join('\n');
}

export function percentiles(samples: readonly number[], ps: readonly number[]): number[] {
  const sorted = [...samples].sort((a, b) => a - b);
  return ps.map((p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN);
}

export const yesNo = (ok: boolean): string => (ok ? 'yes' : '**no**');
