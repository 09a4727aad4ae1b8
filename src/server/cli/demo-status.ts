/**
 * The demo firm's public status site (issue 11): its customer-facing services in two groups, two past
 * incidents told the way a listed brokerage tells them — a holding statement, updates, the resolution and
 * the investigation results, each published through the status publisher as an approved statement would
 * be — and one completed maintenance. The clock is moved to each publication's time, so the history
 * reads at plausible past times.
 */
import type { Services } from '../compose.js';
import type { StatusPublishRequest } from '../modules/status/index.js';
import { newId } from '../platform/ids.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const GROUPS = [
  { key: 'trading', name: { zh: '交易服务', en: 'Trading' }, position: 1 },
  { key: 'accounts', name: { zh: '账户与资金', en: 'Accounts and funds' }, position: 2 },
];

const COMPONENTS: { key: string; group: string; position: number; description: { zh: string; en: string } }[] = [
  {
    key: 'online-trading',
    group: 'trading',
    position: 1,
    description: { zh: '网页版交易终端与委托通道', en: 'Web trading terminal and order routing' },
  },
  {
    key: 'mobile-app',
    group: 'trading',
    position: 2,
    description: { zh: 'iOS 与安卓交易 App', en: 'iOS and Android trading app' },
  },
  {
    key: 'market-data',
    group: 'trading',
    position: 3,
    description: { zh: '沪深京 Level-1/Level-2 行情', en: 'Level-1/Level-2 quotes' },
  },
  {
    key: 'bank-transfer',
    group: 'accounts',
    position: 1,
    description: { zh: '第三方存管银证转账', en: 'Transfers between bank and brokerage accounts' },
  },
  {
    key: 'account-opening',
    group: 'accounts',
    position: 2,
    description: { zh: '线上开户与身份核验', en: 'Online account opening' },
  },
];

type Step = { after: number; req: Omit<StatusPublishRequest, 'incidentId' | 'statementId'> };

/** The market-data vendor outage (the demo's first incident): minutes after detection. */
const QUOTES: Step[] = [
  {
    after: 6 * MIN,
    req: {
      kind: 'holding_statement',
      title: { zh: '部分行情数据延迟', en: 'Delayed market data for some quotes' },
      body: {
        zh: '今日 09:42 起，部分客户在手机 App 中看到的 Level-2 行情未能及时刷新。交易委托不受影响。我们正在处理，将于 30 分钟内更新。',
        en: 'Since 09:42 today some customers have seen Level-2 quotes in the mobile app stop refreshing. Orders are not affected. We are working on it and will update within 30 minutes.',
      },
      fields: {
        status: 'investigating',
        impact: 'minor',
        services: ['market-data', 'mobile-app'],
        customerGroups: [{ zh: '使用 Level-2 行情的客户', en: 'Customers using Level-2 quotes' }],
        nextUpdateAt: null,
      },
    },
  },
  {
    after: 12 * MIN,
    req: {
      kind: 'status_update',
      title: { zh: '已定位原因', en: 'Cause identified' },
      body: {
        zh: '原因已定位：主行情供应商数据源中断。正在切换至备用行情源。',
        en: "Cause identified: the primary vendor's feed stopped. We are switching to the backup feed.",
      },
      fields: {
        status: 'identified',
        cause: { zh: '主行情供应商 Level-2 数据源中断。', en: "The primary vendor's Level-2 feed stopped." },
      },
    },
  },
  {
    after: 25 * MIN,
    req: {
      kind: 'status_update',
      title: { zh: '已恢复', en: 'Resolved' },
      body: {
        zh: '已于 10:00 切换至备用行情源，行情恢复正常刷新。',
        en: 'Quotes have refreshed normally since 10:00, on the backup feed.',
      },
      fields: {
        status: 'resolved',
        measures: {
          zh: '切换至备用行情源；加强数据源中断告警。',
          en: 'Switched to the backup feed; alerting on feed gaps.',
        },
        customerAction: {
          zh: '如行情仍未刷新，请下拉刷新或重新打开 App。',
          en: 'If quotes still do not refresh, pull to refresh or reopen the app.',
        },
      },
    },
  },
  {
    after: 3 * DAY,
    req: {
      kind: 'investigation_result',
      title: { zh: '调查结果', en: 'Investigation results' },
      body: {
        zh: '供应商确认其数据中心网络设备故障导致数据源中断 18 分钟。我们已将备用行情源切换改为自动执行（目标 1 分钟内），并每季度演练。',
        en: 'The vendor confirmed a network device failure in its data centre stopped the feed for 18 minutes. Failover to the backup feed is now automatic (target: within 1 minute) and drilled every quarter.',
      },
      fields: {},
    },
  },
];

/** The credential-stuffing attack (the demo's second incident). */
const STUFFING: Step[] = [
  {
    after: 20 * MIN,
    req: {
      kind: 'holding_statement',
      title: { zh: '网上交易登录异常', en: 'Unusual sign-in activity on online trading' },
      body: {
        zh: '我们发现大量使用外部泄露密码尝试登录网上交易的行为，已启动应急处置。客户资金安全，我们将在 2 小时内更新。',
        en: 'We detected a large number of sign-in attempts on online trading using passwords leaked elsewhere and have started our response. Customer funds are safe; we will update within 2 hours.',
      },
      fields: {
        status: 'investigating',
        impact: 'major',
        services: ['online-trading', 'bank-transfer'],
        customerGroups: [{ zh: '网上交易客户', en: 'Online trading customers' }],
        customerAction: {
          zh: '请勿在其他网站使用与本公司相同的密码，并开启登录短信验证。',
          en: 'Do not reuse your password from other sites, and turn on sign-in SMS verification.',
        },
      },
    },
  },
  {
    after: 2 * HOUR,
    req: {
      kind: 'status_update',
      title: { zh: '处置进展', en: 'Progress' },
      body: {
        zh: '已封禁攻击来源地址，受影响账户已冻结转出并由专人联系。',
        en: 'The attacking addresses are blocked; affected accounts have transfers out frozen and are being contacted one by one.',
      },
      fields: {
        status: 'identified',
        cause: {
          zh: '外部泄露的账号密码被批量用于登录尝试（撞库）。',
          en: 'Credentials leaked elsewhere used in bulk (credential stuffing).',
        },
        measures: {
          zh: '封禁来源地址；冻结受影响账户转出；强制重置密码。',
          en: 'Blocked sources; froze transfers out; forced password resets.',
        },
      },
    },
  },
  {
    after: 8 * HOUR,
    req: {
      kind: 'status_update',
      title: { zh: '持续监测', en: 'Monitoring' },
      body: { zh: '攻击已停止，我们正在持续监测。', en: 'The attack has stopped; we are monitoring.' },
      fields: { status: 'monitoring' },
    },
  },
  {
    after: 26 * HOUR,
    req: {
      kind: 'status_update',
      title: { zh: '已解决', en: 'Resolved' },
      body: {
        zh: '事件已解决。所有受影响客户均已完成密码重置，未发现资金损失。',
        en: 'Resolved. Every affected customer has reset their password; no funds were lost.',
      },
      fields: { status: 'resolved' },
    },
  },
  {
    after: 5 * DAY,
    req: {
      kind: 'investigation_result',
      title: { zh: '调查结果', en: 'Investigation results' },
      body: {
        zh: '调查确认：攻击使用的账号密码来自第三方网站泄露，本公司系统未被入侵。共 37 个账户被成功登录，均已冻结并重置，无资金损失。我们已上线登录风险评估与异地登录短信验证，并已向监管报告。',
        en: 'The investigation confirmed the credentials came from a breach of third-party sites; our systems were not breached. 37 accounts were signed into, all frozen and reset, with no loss of funds. Sign-in risk scoring and SMS verification for new locations are now live, and the regulator has been informed.',
      },
      fields: {},
    },
  },
];

/**
 * Loads the status site; `incidents` are the demo's incidents in DEMO_INCIDENTS order with their
 * detection times. Returns the announcements' slugs.
 */
export async function loadDemoStatus(
  s: Services,
  clock: { set(ms: number): void },
  publisher: { id: string; label: string },
  incidents: { id: string; detectedAt: number }[],
): Promise<{ url: string; components: number; announcements: string[] }> {
  const cli = { id: null, label: 'cli:demo' };
  for (const g of GROUPS) await s.status.admin.createGroup(cli, g);
  for (const c of COMPONENTS) await s.status.admin.update(cli, c.key, { public: true, ...c });

  const slugs: string[] = [];
  const now = Date.now();
  for (const [i, steps] of [QUOTES, STUFFING].entries()) {
    const incident = incidents[i]!;
    for (const step of steps) {
      clock.set(Math.min(incident.detectedAt + step.after, now));
      const { slug } = await s.store.transaction((tx) =>
        s.status.publisher.publish(tx, publisher, { ...step.req, incidentId: incident.id, statementId: newId() }),
      );
      if (!slugs.includes(slug)) slugs.push(slug);
    }
  }

  // A completed overnight maintenance five days ago, 02:00-04:00 in Shanghai, announced two days ahead.
  const day = new Date(now - 5 * DAY + 8 * HOUR).toISOString().slice(0, 10);
  clock.set(now - 7 * DAY);
  await s.status.maintenances.create(cli, {
    title: { zh: '银证转账系统升级', en: 'Bank transfer system upgrade' },
    body: {
      zh: '升级期间银证转账与 App 内转账功能暂停，交易不受影响。',
      en: 'Transfers between bank and brokerage accounts, also in the app, pause during the upgrade. Trading is not affected.',
    },
    services: ['bank-transfer', 'mobile-app'],
    startsAt: `${day}T02:00:00+08:00`,
    endsAt: `${day}T04:00:00+08:00`,
  });
  clock.set(Date.now());
  return { url: s.config.status.baseUrl, components: COMPONENTS.length, announcements: slugs };
}
