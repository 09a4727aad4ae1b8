/**
 * A public status site's read model for tests of src/site (until the status module builds real ones): two
 * groups, five services (one degraded), one active announcement with updates, a resolved one with its
 * investigation results and FAQ, a maintenance and fact checks, in zh and en.
 */
import { renderMarkdown } from '../../src/server/platform/markdown.js';
import type {
  Announcement,
  ComponentState,
  PublicComponent,
  StatusSnapshot,
  UptimeDay,
} from '../../src/shared/status-site.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** 2026-12-03 14:00 in Shanghai. */
export const SNAPSHOT_NOW = Date.UTC(2026, 11, 3, 6, 0);

const md = (zh: string, en: string) => ({ zh: renderMarkdown(zh), en: renderMarkdown(en) });

function uptime(now: number, bad: Record<number, ComponentState>): UptimeDay[] {
  const days: UptimeDay[] = [];
  for (let i = 89; i >= 0; i--) {
    const day = new Date(now - i * DAY + 8 * HOUR).toISOString().slice(0, 10);
    const worst = bad[i] ?? 'operational';
    days.push({
      day,
      worst,
      upPct: worst === 'operational' || worst === 'maintenance' ? 100 : worst === 'degraded' ? 99.5 : 97.2,
    });
  }
  return days;
}

function component(
  now: number,
  key: string,
  zh: string,
  en: string,
  group: string | null,
  position: number,
  state: ComponentState = 'operational',
  bad: Record<number, ComponentState> = {},
): PublicComponent {
  return {
    key,
    name: { zh, en },
    description: { zh: `${zh}服务`, en: `The ${en} service` },
    group,
    state,
    source: state === 'operational' ? 'probe' : 'manual',
    since: now - 2 * HOUR,
    uptime: uptime(now, state === 'operational' ? bad : { ...bad, 0: state }),
    uptimePct: state === 'operational' && Object.keys(bad).length === 0 ? 100 : 99.87,
    position,
  };
}

/** The fixture snapshot at `now` (default SNAPSHOT_NOW). */
export function statusSnapshot(now = SNAPSHOT_NOW): StatusSnapshot {
  const active: Announcement = {
    id: 'a-active',
    slug: '2026-0007',
    title: { zh: '部分客户登录移动证券 App 缓慢', en: 'Slow sign-in to the mobile trading app for some customers' },
    status: 'identified',
    impact: 'minor',
    startedAt: now - 2 * HOUR,
    detectedAt: now - 2 * HOUR + 6 * 60_000,
    resolvedAt: null,
    cause: md(
      '大量异常登录请求（撞库攻击）占用了认证服务资源。',
      'A large volume of abusive sign-in attempts (credential stuffing) loaded the authentication service.',
    ),
    measures: md(
      '已封禁异常来源地址，并扩容认证服务。',
      'We blocked the abusive sources and added capacity to the authentication service.',
    ),
    customerAction: md(
      '如登录失败，请稍后重试；**请勿**向任何人透露验证码。',
      'If sign-in fails, please retry later; **never** share your verification code.',
    ),
    services: ['mobile-app'],
    customerGroups: [{ zh: '移动 App 用户', en: 'Mobile app users' }],
    regions: [{ zh: '全国', en: 'Nationwide' }],
    nextUpdateAt: now + HOUR,
    updates: [
      {
        id: 'u2',
        status: 'identified',
        body: md(
          '已确认原因为异常登录请求，正在处置。',
          'The cause is identified as abusive sign-in traffic; mitigation is under way.',
        ),
        at: now - HOUR,
      },
      {
        id: 'u1',
        status: 'investigating',
        body: md(
          '我们注意到部分客户登录缓慢，正在调查。',
          'We are aware that some customers sign in slowly and are investigating.',
        ),
        at: now - 2 * HOUR + 10 * 60_000,
      },
    ],
    investigation: null,
    faq: [],
    factChecks: [],
    publishedAt: now - 2 * HOUR + 10 * 60_000,
    updatedAt: now - HOUR,
  };
  const rumor = {
    id: 'f1',
    announcement: active.slug,
    claim: { zh: '网传“客户资金被盗”', en: 'Online posts claim "customer funds were stolen"' },
    verdict: 'false' as const,
    rebuttal: md(
      '经核查，客户资金安全，未发生资金被盗。',
      'We checked: customer funds are safe; no funds were stolen.',
    ),
    source: 'https://weibo.example/post/123',
    publishedAt: now - 30 * 60_000,
    updatedAt: now - 30 * 60_000,
  };
  active.factChecks = [rumor];
  const resolved: Announcement = {
    id: 'a-resolved',
    slug: '2026-0005',
    title: { zh: '行情数据延迟', en: 'Delayed market data' },
    status: 'resolved',
    impact: 'major',
    startedAt: now - 10 * DAY,
    detectedAt: now - 10 * DAY + 3 * 60_000,
    resolvedAt: now - 10 * DAY + 2 * HOUR,
    cause: md('上游行情源网络抖动。', 'Network instability at an upstream market data vendor.'),
    measures: md('切换至备用行情源。', 'We switched to the standby market data feed.'),
    customerAction: md('无需操作。', 'No action needed.'),
    services: ['market-data'],
    customerGroups: [{ zh: '全部客户', en: 'All customers' }],
    regions: [],
    nextUpdateAt: null,
    updates: [
      {
        id: 'r2',
        status: 'resolved',
        body: md('行情已恢复正常。', 'Market data is back to normal.'),
        at: now - 10 * DAY + 2 * HOUR,
      },
      {
        id: 'r1',
        status: 'investigating',
        body: md('部分行情延迟，正在调查。', 'Some market data is delayed; we are investigating.'),
        at: now - 10 * DAY + 10 * 60_000,
      },
    ],
    investigation: {
      body: md(
        '根本原因：上游供应商交换机故障。改进措施：双活行情源。',
        'Root cause: a failed switch at the vendor. Improvement: active-active market data feeds.',
      ),
      at: now - 7 * DAY,
    },
    faq: [
      {
        id: 'q1',
        question: { zh: '延迟期间的委托是否有效？', en: 'Were orders placed during the delay valid?' },
        answer: md('有效，交易系统未受影响。', 'Yes, the trading system was not affected.'),
        position: 1,
      },
    ],
    factChecks: [],
    publishedAt: now - 10 * DAY + 10 * 60_000,
    updatedAt: now - 7 * DAY,
  };
  const siteWide = {
    id: 'f2',
    announcement: null,
    claim: { zh: '网传本公司将暂停交易', en: 'Rumor: the firm will suspend trading' },
    verdict: 'false' as const,
    rebuttal: md('不实。所有交易服务正常开放。', 'False. All trading services are open as usual.'),
    source: null,
    publishedAt: now - 3 * DAY,
    updatedAt: now - 3 * DAY,
  };
  return {
    generatedAt: now,
    site: {
      name: { zh: '示例证券', en: 'Example Securities' },
      baseUrl: 'https://status.example.com',
      timeZone: 'Asia/Shanghai',
    },
    overall: 'degraded',
    groups: [
      { key: 'trading', name: { zh: '交易', en: 'Trading' }, position: 1 },
      { key: 'info', name: { zh: '资讯', en: 'Information' }, position: 2 },
    ],
    components: [
      component(now, 'online-trading', '网上交易', 'Online trading', 'trading', 1),
      component(now, 'mobile-app', '移动证券 App', 'Mobile trading app', 'trading', 2, 'degraded'),
      component(now, 'margin', '融资融券', 'Margin trading', 'trading', 3),
      component(now, 'market-data', '行情数据', 'Market data', 'info', 1, 'operational', { 10: 'partial_outage' }),
      component(now, 'research', '研究报告', 'Research reports', 'info', 2),
    ],
    announcements: [active, resolved],
    maintenances: [
      {
        id: 'm1',
        title: { zh: '融资融券系统升级', en: 'Margin trading system upgrade' },
        body: md('升级期间融资融券业务暂停。', 'Margin trading is unavailable during the upgrade.'),
        services: ['margin'],
        startsAt: now + 2 * DAY,
        endsAt: now + 2 * DAY + 4 * HOUR,
        state: 'scheduled',
        updatedAt: now - DAY,
      },
    ],
    factChecks: [rumor, siteWide],
  };
}
