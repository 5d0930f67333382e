import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { encodeParticipation } from '../../services/kafka/participation-message.js';
import { launchChromium, PageProblems, screenshot, seriousViolations } from './support/browser.js';
import { startTestConsumer, type TestConsumer } from './support/consumer.js';
import { decisionsOf } from './support/decisions.js';
import { useApiFixture } from './support/fixture.js';
import { dataOf, request } from './support/http.js';
import { testKafka } from './support/kafka.js';
import { startPrefixProxy, type PrefixProxy } from './support/prefix-proxy.js';
import { waitFor } from './support/process.js';

const TOKEN = 'console-test-admin-token';
const PREFIX = '/ops-console';
const STOCK = 50;
/** Far beyond any id the test creates on its way, so the dead letter's campaign exists only when the test says so. */
const LATE_CAMPAIGN_ID = 900_001;
const admin = { authorization: `Bearer ${TOKEN}` };
const today = new Date().toISOString().slice(0, 10);

describe('operator console in Chromium', () => {
  const fx = useApiFixture('console', { ADMIN_AUTH: 'token', ADMIN_TOKEN: TOKEN, STATS_TIME_ZONE: 'UTC' });
  let consumer: TestConsumer;
  let proxy: PrefixProxy;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  let campaignId = 0;

  before(async () => {
    consumer = await startTestConsumer(fx().db.config, fx().topic);
    proxy = await startPrefixProxy(fx().api.url, PREFIX);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', locale: 'en-GB' });
    page = await context.newPage();
    problems = new PageProblems(page);
  });
  after(async () => {
    await context.close();
    await browser.close();
    await proxy.close();
    await consumer.stop();
  });

  /** A healthy page after every step, and no serious accessibility violation in the view. */
  async function checkView(name: string): Promise<void> {
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], `${name}: serious accessibility violations`);
    await screenshot(page, name);
    assert.deepEqual(problems.take(), [], `${name}: the page reported problems`);
  }

  const fact = (key: string) => page.locator(`[data-key="${key}"] dd`);
  const factIs = (key: string, value: string, timeoutMs?: number) => assertText(fact(key), value, timeoutMs, true);

  it('is served under a path prefix, and the admin token entered once opens the admin views', async () => {
    // Without a token the list is refused, and the page says what to do.
    problems.expect('GET', '/api/admin/campaigns', 401);
    const res = await page.goto(`${proxy.url}/console`);
    assert.equal(res?.status(), 200);
    assert.equal(new URL(page.url()).pathname, `${PREFIX}/console/`, 'the redirect kept the prefix');
    const csp = (await res.headerValue('content-security-policy')) ?? '';
    assert.match(csp, /default-src 'none'/);

    await page.getByRole('heading', { name: 'Campaigns', level: 1 }).waitFor();
    await page.getByText('This needs the admin token').waitFor();

    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByText('Admin token set for this tab').waitFor();
    await page.getByText('No campaigns yet.').waitFor();
    assert.equal(await page.evaluate('sessionStorage.length'), 1, 'kept in the session only');
    assert.deepEqual(problems.take(), []);
  });

  it("shows the API's validation messages next to the fields, then creates a campaign from the keyboard", async () => {
    problems.expect('POST', '/api/admin/campaigns', 400);
    await page.getByLabel('Stock').fill('0');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await assertText(page.locator('[data-error-for="name"]'), 'must not be empty');
    await assertText(page.locator('[data-error-for="totalStock"]'), 'must be at least 1');
    assert.equal(await page.getByLabel('Name').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate('document.activeElement && document.activeElement.name'), 'name', 'focus moved to the first bad field');
    await screenshot(page, 'campaigns-validation');

    await page.getByLabel('Name').fill('Console rush');
    await page.getByLabel('Stock').fill(String(STOCK));
    await page.getByLabel('Stock').press('Enter');
    const created = page.getByText(/^Created campaign (\d+)/);
    await created.waitFor();
    campaignId = Number(/(\d+)/.exec((await created.textContent()) ?? '')?.[1]);
    assert.ok(campaignId > 0);
    assert.equal(await page.locator('[data-error-for="name"]').textContent(), '', 'problems cleared');

    const row = page.locator('tr', { has: page.getByRole('link', { name: 'Console rush' }) });
    await assertText(row, 'OPEN');
    await assertText(row, `${STOCK} of ${STOCK}`);
    await checkView('campaigns');
  });

  it('follows the campaign live to sold out with the numbers the API reports', async () => {
    await page.getByRole('link', { name: 'Console rush' }).click();
    await page.getByRole('heading', { name: `Console rush (campaign ${campaignId})`, level: 1 }).waitFor();
    await factIs('remaining', `${STOCK} of ${STOCK}`);
    assert.equal(await fact('sell-out').textContent(), 'not started');

    // Ten users, five of them twice (decided DUPLICATE from the log), then 90 more through the bulk tool.
    const url = fx().api.url;
    for (let user = 1; user <= 10; user++) {
      assert.equal((await request(`${url}/api/campaigns/${campaignId}/participation`, { body: { userId: user, requestId: `c-${user}` } })).status, 202);
    }
    for (let user = 1; user <= 5; user++) {
      assert.equal((await request(`${url}/api/campaigns/${campaignId}/participation`, { body: { userId: user, requestId: `c-${user}-again` } })).status, 202);
    }
    const bulk = await request(`${url}/api/admin/test/participate-bulk`, { body: { campaignId, count: 90, startUserId: 11 }, headers: admin });
    assert.equal(dataOf(bulk).acknowledged, 90);

    await factIs('remaining', `0 of ${STOCK}`, 60_000);
    await factIs('winners', String(STOCK));
    await factIs('duplicates', '5');
    await factIs('sold-out', '50');
    await factIs('pending', '0', 10_000);
    await page.getByRole('status').getByText('Sold out.').waitFor();
    // bracketed by the reads around the first winner and the first read with no stock
    assert.match((await fact('sell-out').textContent()) ?? '', /^(under \S+ m?s|\S+ m?s to \S+ m?s|\S+ min \S+ s to .+)$/);
    assert.match((await fact('decided-rate').textContent()) ?? '', /\/s$/);

    const status = dataOf(await request(`${url}/api/campaigns/${campaignId}/status`));
    assert.deepEqual(
      { currentStock: status.currentStock, successCount: status.successCount, soldOutCount: status.soldOutCount, duplicateCount: status.duplicateCount },
      { currentStock: 0, successCount: STOCK, soldOutCount: 50, duplicateCount: 5 },
    );
    const drawn = await page.locator('figure.chart canvas').count();
    assert.ok(drawn >= 1, 'the burn-down chart is drawn');
    await checkView('live');

    await page.setViewportSize({ width: 390, height: 844 });
    // the chart follows its box on the next resize notification
    await waitFor('the live view to fit a phone screen', async () => (await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')) <= 0, 5_000);
    await checkView('live-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('looks up a winner by user and a duplicate by request id', async () => {
    const winner = (await decisionsOf(fx().db.sequelize, campaignId)).find((d) => d.status === 'SUCCESS');
    assert.ok(winner);
    await page.getByLabel('Look up by').selectOption('user');
    await page.getByLabel('Id', { exact: true }).fill(String(winner.user_id));
    await page.getByRole('button', { name: 'Look up' }).click();
    await assertText(page.locator('.lookup-result [data-key="status"] dd'), 'SUCCESS', 15_000, true);
    await assertText(page.locator('.lookup-result [data-key="request"] dd'), winner.request_id);

    await page.getByLabel('Look up by').selectOption('request');
    await page.getByLabel('Id', { exact: true }).fill('c-3-again');
    await page.getByRole('button', { name: 'Look up' }).click();
    await assertText(page.locator('.lookup-result [data-key="status"] dd'), 'DUPLICATE', 15_000, true);
    await checkView('live-lookup');
  });

  it('replays a dead letter once its campaign exists, and shows the partition count', async () => {
    const producer = testKafka().producer();
    await producer.connect();
    try {
      const message = { v: 1 as const, requestId: 'console-late', campaignId: LATE_CAMPAIGN_ID, userId: 7, acceptedAt: new Date().toISOString() };
      await producer.send({ topic: fx().topic, messages: [{ value: encodeParticipation(message) }] });
    } finally {
      await producer.disconnect();
    }
    await waitFor('the dead letter', async () => {
      const letters = (await request(`${fx().api.url}/api/admin/dlq`, { headers: admin })).body.data as { reasonCode: string }[];
      return letters.some((l) => l.reasonCode === 'UNKNOWN_CAMPAIGN');
    });
    await fx().db.sequelize.query(`ALTER TABLE campaigns AUTO_INCREMENT = ${LATE_CAMPAIGN_ID}`);
    const late = await request(`${fx().api.url}/api/admin/campaigns`, { body: { name: 'Late', totalStock: 1 }, headers: admin });
    assert.equal(dataOf(late).id, LATE_CAMPAIGN_ID);

    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByRole('heading', { name: 'Operations', level: 1 }).waitFor();
    await assertText(page.locator('[data-key="partitions"]'), 'has 1 partition');
    const replay = page.getByRole('button', { name: /^Replay dead letter \d+$/ });
    await replay.click();
    await page.getByText(/is back on the log as request console-late at position \d+/).waitFor();
    await waitFor('the replayed request decided', async () => dataOf(await request(`${fx().api.url}/api/participations/console-late`)).status === 'SUCCESS');
    await checkView('operations-dead-letters');
  });

  it('runs an aggregation to completion, then compares aggregated and raw numbers and charts a campaign', async () => {
    await page.getByLabel('Day', { exact: true }).fill(today);
    await page.getByRole('button', { name: 'Run aggregation' }).click();
    await page.getByText(new RegExp(`^Run \\d+ of ${today} ended COMPLETED\\.$`)).waitFor({ timeout: 60_000 });
    await assertText(page.locator('.execution [data-key="status"] dd'), 'COMPLETED');
    await assertText(page.getByRole('region', { name: 'Aggregation runs, newest first' }), 'COMPLETED');
    await checkView('operations');

    await page.getByRole('link', { name: 'Statistics' }).click();
    await page.getByRole('heading', { name: 'Statistics', level: 1 }).waitFor();
    await page.getByLabel('Day', { exact: true }).fill(today);
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.getByText('Both methods give the same numbers.').waitFor();
    for (const method of ['aggregated', 'raw']) {
      const section = page.locator(`[data-method="${method}"]`);
      assert.match((await section.locator('.query-time').textContent()) ?? '', /^Query time [\d.]+ ms$/);
      const row = section.locator('tr', { hasText: `Console rush (${campaignId})` });
      // 105 decided from the log: 50 winners, 50 sold out, 5 duplicates, 100 distinct users
      await assertText(row, '105');
    }

    await page.getByLabel('Campaign id').fill(String(campaignId));
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText(/^1 aggregated day from /).waitFor();
    assert.equal(await page.locator('figure.chart canvas').count(), 1);
    await checkView('statistics');
  });
});

/** Waits for `text` in the locator: a substring, or the whole text when `exact`. */
async function assertText(locator: Locator, text: string, timeoutMs = 15_000, exact = false): Promise<void> {
  const hasText = exact ? new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : text;
  try {
    await locator.filter({ hasText }).first().waitFor({ timeout: timeoutMs });
  } catch {
    assert.fail(`expected ${JSON.stringify(text)} in ${locator.toString()}, found ${JSON.stringify(await locator.first().textContent().catch(() => null))}`);
  }
}
