// The dashboard in a real browser on a phone-sized screen: a manager signs in with their token, opens every page,
// and each chart is drawn with data, nothing is wider than the screen, and a screenshot of each page is saved
// (LEADRELAY_SCREENSHOT_DIR, default test-results/dashboard; docs/screenshots holds the committed ones).
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { chromium, type Browser } from 'playwright-core';
import { dashboardPages, registerDashboard } from '../../api/dashboard/routes';
import { createRepToken } from '../../db/credentials';
import { refreshDashboard } from '../../db/dashboard';
import { createPool } from '../../db/pool';
import { seedSyntheticDirectory, seedSyntheticHistory } from '../../db/synthetic-history';
import { copyOfTemplateDatabase } from '../support/database';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(chromiumPath);
const noChromium = `no Chromium at ${chromiumPath}; on Debian: sudo apt-get install chromium (CI's .ci/run installs it), or set CHROMIUM_PATH`;
if (!haveChromium && process.env.CI) throw new Error(`CI is set and there is ${noChromium}`);
if (!haveChromium) {
  console.warn(`SKIPPED test/e2e/dashboard.test.ts: ${noChromium}`);
  test.skip(`the dashboard browser test, because there is ${noChromium}`, () => {});
}
const describeWithChromium = haveChromium ? describe : describe.skip;
const screenshots = path.resolve(process.env.LEADRELAY_SCREENSHOT_DIR ?? path.join('test-results', 'dashboard'));
const phone = { width: 390, height: 844 };

describeWithChromium('the dashboard in Chromium at 390 px', () => {
  let db: Pool;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let managerToken: string;
  const end = new Date();

  beforeAll(async () => {
    db = createPool(await copyOfTemplateDatabase(), undefined, { statementMs: 0 });
    const directory = await seedSyntheticDirectory(db);
    await seedSyntheticHistory(db, { leads: 6000, days: 90, end, seed: 7 });
    await refreshDashboard(db);
    managerToken = (await createRepToken(db, directory.headOfSales)).token;
    app = Fastify();
    await registerDashboard(app, {
      db,
      linkSecret: 'dashboard-e2e-secret-0123456789abcdefghij',
      webUiUrl: 'http://localhost:8233',
      namespace: 'default',
      now: () => end,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage', '--no-first-run'],
    });
    fs.mkdirSync(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.end();
  });

  test('a manager signs in, and every page draws every chart with data, within the screen', async () => {
    const context = await browser.newContext({ viewport: phone, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/dashboard/fairness`);
    // Not signed in: the sign-in page, which sends the manager back where they were going.
    expect(await page.locator('h1').textContent()).toBe('Sign in to the dashboard');
    await page.fill('#token', managerToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${baseUrl}/dashboard/fairness`);

    const from = new Date(end.getTime() - 89 * 86_400_000).toISOString().slice(0, 10);
    for (const { slug, title } of dashboardPages) {
      const shown = await page.goto(`${baseUrl}/dashboard/${slug}?from=${from}&to=${end.toISOString().slice(0, 10)}`);
      expect(shown?.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toBe(title);
      // A string, run in the page (this file is type-checked without the DOM's types). Vega draws each mark group as
      // a g.role-mark; a chart with data has drawn items in at least one.
      const figures = await page.evaluate<Array<{ id: string; rows: number; marks: number; right: number }>>(
        `[...document.querySelectorAll('figure')].map((f) => ({
          id: f.id,
          rows: Number(f.getAttribute('data-rows')),
          marks: f.querySelectorAll('svg g.role-mark > *').length,
          right: f.querySelector('svg') ? f.querySelector('svg').getBoundingClientRect().right : Infinity,
        }))`,
      );
      expect(figures.length).toBeGreaterThan(0);
      for (const figure of figures) {
        expect({ page: slug, chart: figure.id, hasRows: figure.rows > 0 }).toEqual({
          page: slug,
          chart: figure.id,
          hasRows: true,
        });
        expect({ chart: figure.id, drawn: figure.marks > 0 }).toEqual({ chart: figure.id, drawn: true });
        expect(figure.right).toBeLessThanOrEqual(phone.width);
      }
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(phone.width);
      await page.screenshot({ path: path.join(screenshots, `dashboard-${slug}.png`), fullPage: true });
      // The shadow beside live, in fairness too (the seeded history has a shadow for its last weeks).
      if (slug === 'policies')
        expect(await page.locator('section', { hasText: 'Shadow against live' }).textContent()).toMatch(
          /Shadow v3: \d+ decisions, .*weighted share: live (0|1)\.\d\d, shadow (0|1)\.\d\d/,
        );
    }

    // A queued lead's link opens its page.
    await page.goto(`${baseUrl}/dashboard/stalls`);
    const leadLink = page.locator('a', { hasText: 'page' }).first();
    await leadLink.click();
    expect(await page.locator('h1').textContent()).toMatch(/^Lead syn-\d+$/);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(phone.width);
    await page.screenshot({ path: path.join(screenshots, 'dashboard-lead.png'), fullPage: true });
    await context.close();
  });
});
