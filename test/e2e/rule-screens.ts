/**
 * Screens of the Rules page for the visual review, in English and Chinese:
 *   node scripts/build.mjs && npx tsx test/e2e/rule-screens.ts  → .tmp/screens/rules-*.png
 * A real server on the bundled rules plus a local folder with one rule that does not compile; the
 * bundled rules' positive test events are ingested so hit counts show; one rule is disabled.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startTestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/store.js';
import { launchBrowser, newContext, signIn } from './browser.js';

const OUT = '.tmp/screens';
const BROKEN = `title: Local rule with a typo
id: 0b6c1e52-4c55-4b8e-9d41-2f0c7a1d9e11
description: 本地规则（有错误） — a local rule whose modifier is misspelt
logsource:
  product: tocsin
  service: trading_login
detection:
  selection:
    reason|contians: bad_password
  condition: selection
level: medium
`;
const BROKEN_UPLOAD = `title: Correlation of a rule that is not there
id: 7f1d6f4e-0a1b-4a55-8c8e-5b1d8c2e9f00
correlation:
  type: event_count
  rules: [no_such_rule]
  group-by: [user]
  timespan: 10m
  condition: {gte: 5}
level: high
`;

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const local = tempDir('tocsin-local-rules-');
  fs.writeFileSync(path.join(local, 'local.yml'), BROKEN);
  const server = await startTestServer({
    env: { TOCSIN_RULES_DIRS: [path.resolve('rules/tocsin'), local].join(path.delimiter) },
  });
  const s = server.running.services;
  try {
    const tests = path.resolve('rules/tocsin/tests');
    for (const stem of fs.readdirSync(tests)) {
      const file = path.join(tests, stem, 'positive.ndjson');
      if (!fs.existsSync(file)) continue;
      await s.ingest.ingestBody('api', fs.readFileSync(file), { contentType: 'application/x-ndjson' });
    }
    await s.detection.idle();
    await s.rules.flushHits();
    const admin = (await s.users.list(undefined, 50)).items.find((u) => u.role === 'admin')!;
    await s.rules.setEnabled(
      { user: admin, via: 'cli', scopes: null, restrictedTo: null },
      '7195b38a-7637-49f1-9353-4487e4a57284',
      false,
    );
    await s.rules.settled();
    const browser = await launchBrowser();
    for (const [locale, suffix] of [
      ['en-US', 'en'],
      ['zh-CN', 'zh'],
    ] as const) {
      const page = await (await newContext(browser, { locale, viewport: { width: 1440, height: 900 } })).newPage();
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.goto(`${server.url}/rules`);
      await page.getByTestId('rule-row').first().waitFor();
      await page.waitForTimeout(400);
      await page.screenshot({ path: `${OUT}/rules-${suffix}.png` });
      await page.screenshot({ path: `${OUT}/rules-${suffix}-full.png`, fullPage: true });
      await page.getByTestId('rule-upload-open').click();
      await page.getByTestId('rule-upload-filename').fill('stuffing-local.yml');
      await page.getByTestId('rule-upload-yaml').fill(BROKEN_UPLOAD);
      await page.getByTestId('rule-upload-submit').click();
      await page.getByTestId('rule-upload-error').first().waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${OUT}/rules-upload-${suffix}.png` });
      await page.keyboard.press('Escape');
      await page.goto(`${server.url}/rules/${encodeURIComponent('95fa4895-874a-46cd-a448-2f770e76d64d')}`);
      await page.getByTestId('rule-yaml').waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${OUT}/rule-${suffix}.png` });
      await page.screenshot({ path: `${OUT}/rule-${suffix}-full.png`, fullPage: true });
    }
    await browser.close();
  } finally {
    await server.stop();
  }
  console.log(`screenshots written to ${OUT}/`);
}

void main();
