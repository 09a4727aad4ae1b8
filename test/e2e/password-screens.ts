/**
 * Screenshots of the password and sign-in-lock screens, zh-CN and English, for visual review:
 *   node scripts/build.mjs && npx tsx test/e2e/password-screens.ts  → .tmp/screens/password-*.png
 */
import { mkdirSync } from 'node:fs';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn } from './browser.js';

const OUT = '.tmp/screens';
assertBrowserReady();
mkdirSync(OUT, { recursive: true });
const server = await startTestServer();
const browser = await launchBrowser();
const { users, store } = server.running.services;
try {
  for (const [lang, locale] of [
    ['zh-CN', 'zh-CN'],
    ['en', 'en-US'],
  ] as const) {
    const email = `zhang.wei.${lang.toLowerCase()}@test.example`;
    await users.create(
      { id: null, label: 'screens' },
      {
        email,
        name: lang === 'en' ? 'Wei Zhang' : '张伟',
        role: 'incident_commander',
        password: 'forgotten-long-password',
      },
    );
    for (let i = 0; i < 6; i++) {
      await fetch(`${server.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'a-wrong-guess-123' }),
      });
    }
    await store.db
      .updateTable('sign_in_pairs')
      .set({ failures: 15, next_at: Date.now() + 15 * 60_000 })
      .where('email', '=', email)
      .execute();

    const ctx = await newContext(browser, { locale });
    const page = await ctx.newPage();
    await page.goto(server.url);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill('forgotten-long-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('problem-alert').waitFor();
    await page.screenshot({ path: `${OUT}/password-throttled-${lang}.png` });

    const admin = await (await newContext(browser, { locale })).newPage();
    await signIn(admin, server.url, server.adminEmail, server.adminPassword);
    await admin.getByTestId('mfa-nudge').waitFor();
    await admin.screenshot({ path: `${OUT}/password-nudge-${lang}.png` });
    await admin.goto(`${server.url}/users`);
    const row = admin.locator(`[data-testid="user-row"][data-email="${email}"]`);
    await row.getByTestId('user-row-lock').click();
    await admin.getByTestId('sign-in-lock-row').first().waitFor();
    await admin.waitForTimeout(300); // the modal's opening transition
    await admin.screenshot({ path: `${OUT}/password-lock-${lang}.png` });
    await admin.locator('.mantine-Modal-close').click();
    await admin.getByTestId('sign-in-lock').waitFor({ state: 'detached' });
    await row.getByTestId('user-row-reset-password').click();
    await admin.getByTestId('reset-submit').click();
    await admin.getByTestId('reset-password-value').waitFor();
    const otp = ((await admin.getByTestId('reset-password-value').textContent()) ?? '').trim();
    await admin.waitForTimeout(300);
    await admin.screenshot({ path: `${OUT}/password-reset-${lang}.png` });
    await admin.getByTestId('reset-close').click();
    await admin.waitForTimeout(300);
    await admin.screenshot({ path: `${OUT}/password-users-${lang}.png` });
    await admin.goto(`${server.url}/security`);
    await admin.getByTestId('password-card').waitFor();
    await admin.screenshot({ path: `${OUT}/password-security-${lang}.png`, fullPage: true });

    await page.getByTestId('login-password').fill(otp);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('password-required').waitFor();
    await page.getByTestId('password-current').fill(otp);
    await page.getByTestId('password-new').fill('password1234');
    await page.getByTestId('password-confirm').fill('password1234');
    await page.getByTestId('password-submit').click();
    await page.locator('.mantine-PasswordInput-error').first().waitFor();
    await page.screenshot({ path: `${OUT}/password-forced-${lang}.png` });
    await ctx.close();
  }
  console.log(`screenshots written to ${OUT}/password-*.png`);
} finally {
  await browser.close();
  await server.stop();
}
