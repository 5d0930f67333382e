import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page, type Response } from 'playwright-core';

/** Debian's chromium (scripts/install-chromium.sh); the real binary, not the shell wrapper around it. */
function chromiumPath(): string {
  for (const candidate of ['/usr/lib/chromium/chromium', '/usr/bin/chromium']) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('chromium is not installed: run scripts/install-chromium.sh');
}

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export const OUTPUT_DIR = join('test-output', 'console');

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

interface ExpectedFailure {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/**
 * Everything that says the page is broken: uncaught errors, console errors, requests that never
 * got an answer, and HTTP errors the test did not ask for. The browser also logs every 4xx/5xx
 * as a console error; those are judged by their response instead.
 */
export class PageProblems {
  private readonly problems: string[] = [];
  private readonly expected: ExpectedFailure[] = [];

  constructor(page: Page) {
    page.on('pageerror', (err) => this.problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource: the server responded with a status of')) {
        this.problems.push(`console error: ${msg.text()}`);
      }
    });
    page.on('requestfailed', (req) => this.problems.push(`request failed: ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`));
    page.on('response', (res) => this.onResponse(res));
  }

  /** The next response matching this is the test's intent (e.g. a validation error), not a fault. */
  expect(method: string, path: string, status: number): void {
    this.expected.push({ method, path, status });
  }

  private onResponse(res: Response): void {
    if (res.status() < 400) return;
    const url = new URL(res.url());
    const i = this.expected.findIndex((e) => e.method === res.request().method() && url.pathname.endsWith(e.path) && e.status === res.status());
    if (i >= 0) this.expected.splice(i, 1);
    else this.problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
  }

  /** Problems so far, and any expected failure that never happened. */
  take(): string[] {
    const found = [...this.problems, ...this.expected.map((e) => `expected ${e.status} for ${e.method} ${e.path} did not happen`)];
    this.problems.length = 0;
    this.expected.length = 0;
    return found;
  }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core against the page as it is now (WCAG 2.1 A/AA and best practices). Injected through the
 * debugging protocol, which the page's Content-Security-Policy rightly does not allow for scripts.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const script = `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target)) })))`;
  return page.evaluate<AxeViolation[]>(script);
}

export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  return (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
