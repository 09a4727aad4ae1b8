/**
 * Both directory sign-in paths in a real browser, in English and in Chinese: the OIDC button through a
 * real OpenID Provider on loopback (test/helpers/oidc-op.ts) and back, and the LDAP form against a real
 * slapd (test/helpers/slapd.ts). Needs slapd: skipped without it locally, a failure under CI.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startOp, type TestOp } from '../helpers/oidc-op.js';
import { startTestServer } from '../helpers/server.js';
import { ADMIN_DN, ADMIN_PASSWORD, slapdAvailable, startSlapd, type Slapd } from '../helpers/slapd.js';
import { assertBrowserReady, launchBrowser, newContext, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe.skipIf(skipBrowserSuite() || !slapdAvailable)('directory sign-in (browser)', () => {
  let server: Server;
  let op: TestOp;
  let slapd: Slapd;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    assertBrowserReady();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    op = await startOp([
      { clientId: 'tocsin', clientSecret: 'e2e-op-secret', redirectUris: [`${url}/auth/oidc/sso/callback`] },
    ]);
    op.accounts.set('alice', { name: 'Alice Chen', email: 'alice@firm.test', groups: ['soc-leads'] });
    slapd = await startSlapd([{ uid: 'bob', name: 'Bob Li', email: 'bob@firm.test', password: 'bob-directory-pw' }], {
      'tocsin-responders': ['bob'],
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-e2e-idp-'));
    const file = path.join(dir, 'identity.yaml');
    fs.writeFileSync(
      file,
      `providers:
  - id: sso
    kind: oidc
    label: Firm SSO
    issuer: ${op.issuer}
    allowHttp: true
    clientId: tocsin
    clientSecretEnv: TOCSIN_E2E_OP_SECRET
    scopes: [openid, profile, email, groups]
    scim: true
    roles: [{ group: soc-leads, role: incident_commander }]
  - id: corp
    kind: ldap
    label: Corporate directory
    url: ${slapd.url}
    bindDn: "${ADMIN_DN}"
    bindPasswordEnv: TOCSIN_E2E_BIND_PW
    userBase: "ou=people,dc=firm,dc=test"
    userFilter: "(uid={username})"
    groups: { base: "ou=groups,dc=firm,dc=test" }
    roles: [{ group: tocsin-responders, role: responder }]
`,
    );
    server = await startTestServer({
      env: {
        TOCSIN_PORT: String(port),
        TOCSIN_PUBLIC_URL: url,
        TOCSIN_IDENTITY_FILE: file,
        TOCSIN_E2E_OP_SECRET: 'e2e-op-secret',
        TOCSIN_E2E_BIND_PW: ADMIN_PASSWORD,
      },
    });
    // Carol is provisioned by the provider's SCIM client (docs/scim.md): the Users page marks her account.
    const session = await fetch(`${url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: server.adminEmail, password: server.adminPassword }),
    });
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const created = await fetch(`${url}/api/v1/tokens`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'scim:sso', scopes: ['scim'] }),
    });
    const { token } = (await created.json()) as { token: string };
    const carol = await fetch(`${url}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ userName: 'carol@firm.test', displayName: 'Carol Zhou' }),
    });
    expect(carol.status).toBe(201);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await op?.stop();
    await slapd?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The test OP's interaction pages answer JSON: the browser submits a form to go on, as a login page would. */
  async function answerOp(page: Page, login: string) {
    for (let i = 0; i < 3; i++) {
      await page.waitForURL((u) => u.href.startsWith(`${op.issuer}/interaction/`) || u.href.startsWith(server.url));
      if (!page.url().startsWith(op.issuer)) return;
      await page.waitForLoadState('load');
      const { prompt } = await page.evaluate(
        async () => (await (await fetch(location.href)).json()) as { prompt: string },
      );
      const landed = page.waitForNavigation();
      await page.evaluate(
        ({ action, fields }) => {
          const form = document.createElement('form');
          form.method = 'POST';
          form.action = action;
          for (const [k, v] of Object.entries(fields)) {
            const input = document.createElement('input');
            input.name = k;
            input.value = v;
            form.appendChild(input);
          }
          document.body.appendChild(form);
          form.submit();
        },
        { action: `${page.url()}/${prompt}`, fields: prompt === 'login' ? { login, mfa: 'true' } : {} },
      );
      await landed;
    }
  }

  const signOut = async (page: Page) => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
  };

  for (const [locale, words] of [
    [
      'en-US',
      {
        sso: 'Sign in with Firm SSO',
        ldap: 'User name at Corporate directory',
        how: 'Single sign-on · Firm SSO',
        dir: 'Directory · Corporate directory',
        scim: 'Created and kept up to date by the identity provider (SCIM)',
      },
    ],
    [
      'zh-CN',
      {
        sso: '使用 Firm SSO 登录',
        ldap: 'Corporate directory 用户名',
        how: '单点登录 · Firm SSO',
        dir: '目录账号 · Corporate directory',
        scim: '由身份提供方通过 SCIM 创建并同步',
      },
    ],
  ] as const) {
    it(`signs in through the OIDC provider and through the LDAP form (${locale})`, { timeout: 60_000 }, async () => {
      const page = await (await newContext(browser, { locale })).newPage();
      const errors = watchErrors(page);
      await page.goto(server.url);
      const button = page.getByTestId('oidc-sso');
      await button.waitFor();
      expect(await button.textContent()).toBe(words.sso);
      await button.click();
      await answerOp(page, 'alice');
      await page.getByTestId('app-header').waitFor();
      await page.getByTestId('incident-list').waitFor();
      await signOut(page);

      await page.getByLabel(words.ldap).fill('bob');
      await page.getByTestId('ldap-password').fill('bob-directory-pw');
      await page.getByTestId('ldap-submit').click();
      await page.getByTestId('app-header').waitFor();
      await signOut(page);

      // The administrator sees who signs in how.
      await page.getByTestId('login-email').fill(server.adminEmail);
      await page.getByTestId('login-password').fill(server.adminPassword);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('nav-users').click();
      const alice = page.locator('[data-testid="sign-in-method-row"][data-email="alice@firm.test"]');
      await alice.waitFor();
      expect(await alice.textContent()).toContain(words.how);
      const bob = page.locator('[data-testid="sign-in-method-row"][data-email="bob@firm.test"]');
      expect(await bob.textContent()).toContain(words.dir);
      expect(await bob.getByTestId('scim-provisioned').count()).toBe(0);
      const carol = page.locator('[data-testid="sign-in-method-row"][data-email="carol@firm.test"]');
      expect(await carol.textContent()).toContain(words.how);
      expect(await carol.getByTestId('scim-provisioned').getAttribute('title')).toBe(words.scim);
      await signOut(page);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
