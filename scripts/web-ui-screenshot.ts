// `npx tsx scripts/web-ui-screenshot.ts --lead <id> --token <admin key or manager's rep token> [--out dir]`: against
// a running `npm start`, signs a Chromium in to the codec as a manager would (/codec/session), sets the Web UI's own
// codec settings ("use my browser setting", "include cross-origin credentials"), and saves the lead's workflow page
// showing its summary and details decoded. Without the codec session the same page shows ciphertext.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      lead: { type: 'string' },
      token: { type: 'string' },
      out: { type: 'string', default: path.join('docs', 'screenshots') },
      api: { type: 'string', default: 'http://127.0.0.1:3000' },
      ui: { type: 'string', default: 'http://127.0.0.1:8233' },
    },
  });
  if (!values.lead || !values.token)
    throw new Error('usage: web-ui-screenshot --lead <lead id> --token <admin key or manager token> [--out dir]');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const codecEndpoint = `${values.api}/codec`;
    const uiPort = new URL(values.ui).port;
    // The Web UI keeps these settings in localStorage, as its Codec Server dialog would write them.
    // As a string: it runs in the page, where these names exist (this file is type-checked for Node).
    await context.addInitScript({
      content: `if (location.port === ${JSON.stringify(uiPort)}) {
        localStorage.setItem('endpoint', ${JSON.stringify(JSON.stringify(codecEndpoint))});
        localStorage.setItem('includeCredentials', 'true');
        localStorage.setItem('passAccessToken', 'false');
        localStorage.setItem('overrideRemoteCodecConfiguration', 'true');
      }`,
    });
    const page = await context.newPage();
    await page.goto(`${values.api}/codec/session`);
    await page.fill('#token', values.token);
    await page.click('button[type=submit]');
    const signedIn = await page.locator('h1').textContent();
    if (signedIn !== 'Signed in to the codec') throw new Error(`codec sign-in answered: ${signedIn}`);
    await page.goto(`${values.ui}/namespaces/default/workflows/${encodeURIComponent(`lead:${values.lead}`)}`);
    await page.getByText('User Metadata').first().click();
    await page.getByText('Summary').first().waitFor();
    await page.waitForTimeout(1500);
    fs.mkdirSync(values.out, { recursive: true });
    const file = path.join(values.out, 'web-ui-decoded-summary.png');
    await page.screenshot({ path: file });
    console.log(`saved ${file}`);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
