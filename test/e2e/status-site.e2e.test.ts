/**
 * The public status site in Chromium: home and an announcement in Chinese and English (desktop and
 * phone), the language switch, no script and no page error, and the embeddable banner on another
 * origin's page. Screenshots go to /tmp/site-*.png.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteHarness, type SiteHarness } from '../helpers/public-site.js';
import { launchBrowser, newContext, skipBrowserSuite, watchErrors } from './browser.js';

describe.skipIf(skipBrowserSuite())('public status site (browser)', () => {
  let h: SiteHarness;
  let base = '';
  let browser: Browser;
  const firm = http.createServer((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><html><body><h1>Firm home</h1><script src="${base}/status/banner.js?lang=en" async></script></body></html>`,
      ),
  );
  let firmUrl = '';

  beforeAll(async () => {
    h = await siteHarness();
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => firm.listen(0, '127.0.0.1', r));
    // Another origin (port) than the status site: the banner's fetch is cross-origin.
    firmUrl = `http://localhost:${(firm.address() as AddressInfo).port}/`;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    firm.close();
  });

  it('shows the home page and an announcement in Chinese, then English by the switch', async () => {
    const ctx = await newContext(browser, { locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    const blocked: string[] = [];
    page.on('console', (m) => m.type() === 'error' && blocked.push(m.text()));
    await page.goto(`${base}/status`);
    await expect.poll(() => page.locator('.overall').textContent()).toBe('部分服务性能下降');
    expect(await page.locator('.comp').count()).toBe(5);
    expect(await page.locator('.bars').first().locator('rect').count()).toBe(90);
    // The style sheet applied (the CSP allows only 'self' styles): the header is navy.
    expect(await page.locator('header.top').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(
      'rgb(11, 37, 69)',
    );
    await page.screenshot({ path: '/tmp/site-home-zh.png', fullPage: true });
    await page.getByRole('link', { name: '部分客户登录移动证券 App 缓慢' }).first().click();
    await page.waitForURL(/\/status\/incidents\/2026-0007/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('部分客户登录移动证券 App 缓慢');
    expect(await page.getByText('网传“客户资金被盗”').count()).toBe(1);
    await page.screenshot({ path: '/tmp/site-announcement-zh.png', fullPage: true });
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    await expect
      .poll(() => page.locator('h1').textContent())
      .toBe('Slow sign-in to the mobile trading app for some customers');
    await page.screenshot({ path: '/tmp/site-announcement-en.png', fullPage: true });
    await page.goto(`${base}/status/incidents/2026-0005?lang=en`);
    await expect.poll(() => page.getByRole('heading', { name: 'Investigation results' }).count()).toBe(1);
    await page.screenshot({ path: '/tmp/site-resolved-en.png', fullPage: true });
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    await ctx.close();
  });

  it('reads well on a phone, in English by Accept-Language', async () => {
    const ctx = await newContext(browser, { locale: 'en-US', viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await page.goto(`${base}/status`);
    await expect.poll(() => page.locator('.overall').textContent()).toBe('Degraded performance');
    // Nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: '/tmp/site-home-en-phone.png', fullPage: true });
    await page.goto(`${base}/status/incidents/2026-0007?lang=zh-CN`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: '/tmp/site-announcement-zh-phone.png', fullPage: true });
    await ctx.close();
  });

  it('the banner script shows the state on another site', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto(firmUrl);
    const banner = page.locator('[data-tocsin-banner]');
    await banner.waitFor();
    expect(await banner.getAttribute('data-tocsin-banner')).toBe('minor');
    expect(await banner.textContent()).toContain('Degraded performance');
    expect(await banner.locator('a').getAttribute('href')).toBe(`${base}/status?lang=en`);
    await page.screenshot({ path: '/tmp/site-banner.png' });
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
