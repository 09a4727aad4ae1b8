/** Alert screens for the visual review (called by screenshots.ts): the queue, an alert, the war room's card, suppressions. */
import type { Page } from 'playwright-core';
import type { Services } from '../../src/server/compose.js';
import type { Principal } from '../../src/server/modules/auth/index.js';
import type { DetectionEvent, RuleMatch } from '../../src/server/modules/detection/index.js';

const OUT = '.tmp/screens';
let n = 0;
const ev = (fields: Record<string, unknown>, logsource: DetectionEvent['logsource'], ago = 0): DetectionEvent => ({
  id: `shot-${++n}`,
  time: Date.now() - ago,
  source: 'api',
  logsource,
  fields,
});
const gateway = { product: 'trading_gateway', service: 'login' };

/** Raises a plausible morning of alerts; returns the ids worth a screenshot. */
export async function seedAlerts(s: Services): Promise<{ stuffingId: string; stuffingKey: string }> {
  const admin = (await s.users.list(undefined, 50)).items.find((u) => u.role === 'admin')!;
  const p: Principal = { user: admin, via: 'cli', scopes: null, restrictedTo: null };
  await s.suppressions.create(p, {
    ruleId: 'tocsin-port-scan',
    entity: { kind: 'ip', value: '198.51.100.0/24' },
    reason: 'Quarterly vulnerability scan by the vendor (CHG-2291)',
    expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  });
  await s.suppressions.create(p, {
    ruleId: 'cc0fbfd9-61e3-4d94-be2b-a99280104ca0',
    entity: { kind: 'account', value: 'qa-loadtest-01' },
    reason: 'QA load-test account 压测账号',
  });
  await s.suppressions.createWindow(p, {
    services: ['market-data'],
    ruleIds: [],
    entities: [],
    startsAt: new Date(Date.now() - 3600_000).toISOString(),
    endsAt: new Date(Date.now() + 2 * 3600_000).toISOString(),
    reason: 'Level-2 feed handler upgrade 行情网关升级',
  });
  const stuffing = (ago: number): RuleMatch => ({
    ruleId: '95fa4895-874a-46cd-a448-2f770e76d64d',
    ruleTitle: 'Credential stuffing on trading login',
    level: 'high',
    tags: ['attack.credential_access', 'attack.t1110.004'],
    kind: 'correlation',
    group: { IpAddress: '203.0.113.45' },
    time: Date.now() - ago,
    events: Array.from({ length: 6 }, (_, i) =>
      ev(
        {
          EventType: 'login_failed',
          account: `3100${1200 + i}`,
          IpAddress: '203.0.113.45',
          'service.name': 'online-trading',
          user_agent: 'python-requests/2.31',
          reason: 'bad password',
        },
        gateway,
        ago + i * 1000,
      ),
    ),
  });
  const [first] = await s.alerts.raise([stuffing(9 * 60_000)]);
  await s.alerts.raise([stuffing(4 * 60_000)]);
  await s.alerts.raise([stuffing(60_000)]);
  const [ransom, , lowOne] = await s.alerts.raise([
    {
      ruleId: 'a0852692-8ce2-4bda-b0b2-f285a22acd92',
      ruleTitle: 'Mass file renames (ransomware)',
      level: 'critical',
      tags: ['attack.impact', 'attack.t1486'],
      kind: 'correlation',
      group: { Computer: 'FS-02' },
      time: Date.now() - 120_000,
      events: [
        ev(
          {
            Computer: 'FS-02',
            User: 'CORP\\svc-backup',
            TargetFilename: 'D:\\share\\清算\\2026-11-27.xlsx.locked',
            Image: 'C:\\Windows\\Temp\\x.exe',
          },
          { product: 'windows', category: 'file_rename' },
          120_000,
        ),
      ],
    },
    {
      ruleId: '388c88f6-5abd-4e52-ac48-4b49dfa76617',
      ruleTitle: 'Bulk export from CRM',
      level: 'medium',
      tags: ['attack.collection', 'attack.t1213'],
      kind: 'detection',
      time: Date.now() - 300_000,
      events: [
        ev(
          { 'user.name': 'zhang.wei', 'host.name': 'crm-app-01', rows_exported: 48_210, 'source.ip': '10.12.4.31' },
          { product: 'crm' },
          300_000,
        ),
      ],
    },
    {
      ruleId: 'cc0fbfd9-61e3-4d94-be2b-a99280104ca0',
      ruleTitle: 'Failed login to the admin console',
      level: 'low',
      tags: ['attack.credential_access'],
      kind: 'detection',
      time: Date.now() - 600_000,
      events: [
        ev(
          { TargetUserName: 'ops-admin', IpAddress: '10.8.0.14', Computer: 'JUMP-01' },
          { product: 'windows', service: 'security' },
          600_000,
        ),
      ],
    },
    {
      ruleId: 'tocsin-port-scan',
      ruleTitle: 'Port scan against the DMZ',
      ruleTitleZh: 'DMZ 端口扫描',
      level: 'medium',
      tags: ['attack.discovery', 'attack.t1046'],
      kind: 'correlation',
      group: { src_ip: '198.51.100.23' },
      time: Date.now() - 400_000,
      events: [
        ev(
          { 'id.orig_h': '198.51.100.23', 'id.resp_h': '192.0.2.10', 'id.resp_p': 22 },
          { product: 'zeek', service: 'conn' },
          400_000,
        ),
      ],
    },
    {
      ruleId: 'tocsin-feed-silence',
      ruleTitle: 'Market data feed silence',
      ruleTitleZh: '行情源静默',
      level: 'high',
      tags: ['tocsin.availability'],
      kind: 'anomaly',
      group: { feed: 'SSE-L2', 'service.name': 'market-data' },
      time: Date.now() - 200_000,
      events: [],
    },
  ]);
  await s.alerts.acknowledge(p, ransom!.alertId);
  void lowOne;
  return { stuffingId: first!.alertId, stuffingKey: first!.incidentKey! };
}

export async function alertScreens(
  page: Page,
  baseUrl: string,
  suffix: string,
  seeded: { stuffingId: string; stuffingKey: string },
  all: boolean,
): Promise<void> {
  await page.goto(`${baseUrl}/alerts`);
  await page.getByTestId('alert-row').first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/alerts-${suffix}.png` });
  await page.screenshot({ path: `${OUT}/alerts-${suffix}-full.png`, fullPage: true });
  await page.goto(`${baseUrl}/alerts/${seeded.stuffingId}`);
  await page.getByTestId('alert-event').first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/alert-${suffix}.png` });
  await page.screenshot({ path: `${OUT}/alert-${suffix}-full.png`, fullPage: true });
  await page.getByTestId('alert-event-toggle').first().click();
  await page.screenshot({ path: `${OUT}/alert-${suffix}-event-open.png`, fullPage: true });
  await page.goto(`${baseUrl}/incidents/${seeded.stuffingKey}`);
  await page.getByTestId('incident-alert').first().waitFor();
  await page.getByTestId('timeline-entry').first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/warroom-alerts-${suffix}-full.png`, fullPage: true });
  if (!all) return;
  await page.goto(`${baseUrl}/alerts?status=suppressed`);
  await page.getByTestId('alert-row').first().waitFor();
  await page.screenshot({ path: `${OUT}/alerts-suppressed-${suffix}.png` });
  await page.goto(`${baseUrl}/suppressions`);
  await page.getByTestId('suppression-row').first().waitFor();
  await page.getByTestId('window-row').first().waitFor();
  await page.screenshot({ path: `${OUT}/suppressions-${suffix}.png`, fullPage: true });
  await page.getByTestId('suppression-rule').click();
  await page.getByTestId('suppression-rule').fill(suffix.startsWith('zh') ? '登录' : 'login');
  await page.getByTestId('rule-picker-option').filter({ visible: true }).first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/suppression-picker-${suffix}.png` });
  await page.keyboard.press('Escape');
  await page.goto(`${baseUrl}/alerts`);
  await page.getByTestId('alert-fp').first().click();
  await page.getByTestId('fp-reason').fill('Synthetic monitoring account');
  await page.getByTestId('fp-suppress').check();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${OUT}/alert-fp-${suffix}.png` });
  await page.keyboard.press('Escape');
}
