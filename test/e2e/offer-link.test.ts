// End to end in a real browser: a rep opens the Accept link of the offer email the SMTP server received, confirms
// on the page, and the lead is theirs in the API and in the workflow's search attributes.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { hotLead } from '../support/directory';
import { leadHandle, offerOpenTo, waitForLead } from '../support/harness';
import { startPagesStack, type PagesStack } from './pages-stack';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(chromiumPath);
/** Why the browser test cannot run on this machine, and how to make it run. */
const noChromium = `no Chromium at ${chromiumPath}; on Debian: sudo apt-get install chromium (CI's .ci/run installs it), or set CHROMIUM_PATH`;
if (!haveChromium && process.env.CI) throw new Error(`CI is set and there is ${noChromium}`);
if (!haveChromium) {
  // Said three times so it cannot go unseen: in the file's console output, as the skipped test's name in jest's
  // listing, and in the summary's last lines (test/support/summary-reporter.js lists skipped tests).
  console.warn(`SKIPPED test/e2e/offer-link.test.ts: ${noChromium}`);
  test.skip(`the browser test, because there is ${noChromium}`, () => {});
}
const describeWithChromium = haveChromium ? describe : describe.skip;

describeWithChromium('the offer email’s Accept link in Chromium', () => {
  let s: PagesStack;
  let browser: Browser;
  beforeAll(async () => {
    s = await startPagesStack();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await s?.teardown();
  });

  test('a rep accepts a lead from the email on a phone-sized screen', async () => {
    const worker = await s.h.createWorker();
    await worker.runUntil(async () => {
      const submission = hotLead({ company: 'Umbrella Health' });
      const leadId = await s.submitLead(submission);
      await waitForLead(s.h, leadId, offerOpenTo(1, 'ana'), 'offer 1 to ana');
      const acceptUrl = await acceptLinkFromInbox(s, leadId);

      const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const shown = await page.goto(acceptUrl);
      expect(shown?.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toBe('Accept this lead?');
      expect(await page.locator('.card h2').textContent()).toBe('Priya Shah — Umbrella Health');
      // Readable on a phone: nothing wider than the screen, the button on it.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      const button = page.getByRole('button', { name: 'Accept lead' });
      expect(await button.isVisible()).toBe(true);
      // Opening the link answered nothing.
      const before = await s.readLead(leadId);
      expect(before.body).toMatchObject({ status: 'offered', owner: null });

      const [confirmed] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === acceptUrl),
        button.click(),
      ]);
      await page.waitForLoadState();
      expect(confirmed.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toBe('The lead is yours');
      expect(await page.locator('a[href^="mailto:"]').textContent()).toMatch(/^priya\.\w+@acme-corp\.example$/);

      const handle = leadHandle(s.h, leadId);
      expect(await handle.result()).toMatchObject({ status: 'assigned', owner: 'ana' });
      const lead = await s.readLead(leadId);
      expect(lead.status).toBe(200);
      expect(lead.body).toMatchObject({ status: 'assigned', owner: 'ana' });
      const sa = (await handle.describe()).typedSearchAttributes;
      expect(sa.get({ name: 'AssignedRep', type: 'KEYWORD' } as never)).toBe('ana');
      expect(sa.get({ name: 'LeadStatus', type: 'KEYWORD' } as never)).toBe('assigned');

      // The same link again, as a second click from the email would: used, and nothing more happens.
      const reopened = await page.goto(acceptUrl);
      expect(reopened?.status()).toBe(409);
      expect(await page.locator('h1').textContent()).toBe('This link was already used');
      await page.close();
    });
  });
});

/** The Accept link of the offer email the worker sent to ana, as the SMTP server received it, on the listening API. */
async function acceptLinkFromInbox(s: PagesStack, leadId: string): Promise<string> {
  const mail = await s.h.mail.waitFor(
    (m) => m.to.includes('ana@leadrelay.test') && m.text.includes(`Lead ${leadId}, offer 1.`),
  );
  const link = /^Accept:\s+(https?:\/\/\S+\/links\/\S+)$/m.exec(mail.text)?.[1];
  if (!link) throw new Error(`the offer email has no Accept link:\n${mail.text}`);
  // The worker writes links for the API URL reps use (http://api.test in the harness); here that API listens on a port.
  return new URL(new URL(link).pathname, s.baseUrl).toString();
}
