/** The public site's two languages: zh-CN by default, English by `?lang=en` or Accept-Language. */
import type {
  AnnouncementImpact,
  AnnouncementStatus,
  Bilingual,
  ComponentState,
  FactVerdict,
} from '../shared/status-site.js';

export const SITE_LANGS = ['zh-CN', 'en'] as const;
export type SiteLang = (typeof SITE_LANGS)[number];

/** `?lang=` wins; then the first of zh/en in Accept-Language by weight; then zh-CN. */
export function pickLang(query: unknown, acceptLanguage: string | undefined): SiteLang {
  if (typeof query === 'string') {
    const q = query.toLowerCase();
    if (q === 'en' || q.startsWith('en-')) return 'en';
    if (q === 'zh' || q.startsWith('zh-')) return 'zh-CN';
  }
  if (!acceptLanguage) return 'zh-CN';
  let best: SiteLang = 'zh-CN';
  let bestQ = 0;
  for (const part of acceptLanguage.split(',', 20)) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const qp = params.find((p) => p.trim().startsWith('q='));
    const q = qp ? Number(qp.trim().slice(2)) : 1;
    if (!(q > bestQ)) continue;
    if (tag === 'en' || tag.startsWith('en-')) [best, bestQ] = ['en', q];
    else if (tag === 'zh' || tag.startsWith('zh-')) [best, bestQ] = ['zh-CN', q];
  }
  return best;
}

/** The text in this language; English falls back to Chinese when empty. */
export function pick(text: Bilingual, lang: SiteLang): string {
  return lang === 'en' ? text.en || text.zh : text.zh || text.en;
}

const zh = {
  statusPage: '服务状态',
  colon: '：',
  overall: {
    operational: '所有系统运行正常',
    maintenance: '部分系统维护中',
    degraded: '部分服务性能下降',
    partial_outage: '部分服务中断',
    major_outage: '重大服务中断',
  } satisfies Record<ComponentState, string>,
  /** The headline while an incident is announced and every service still looks operational. */
  incidentHeadline: '事件处理中，详见下方公告',
  incidentShort: '事件处理中',
  state: {
    operational: '正常',
    maintenance: '维护中',
    degraded: '性能下降',
    partial_outage: '部分中断',
    major_outage: '重大中断',
  } satisfies Record<ComponentState, string>,
  status: {
    investigating: '调查中',
    identified: '已定位原因',
    monitoring: '观察中',
    resolved: '已恢复',
  } satisfies Record<AnnouncementStatus, string>,
  impact: { none: '无影响', minor: '轻微', major: '严重', critical: '重大' } satisfies Record<
    AnnouncementImpact,
    string
  >,
  verdict: { false: '不实', unverified: '尚未证实', confirmed: '属实' } satisfies Record<FactVerdict, string>,
  maintenanceState: { scheduled: '已计划', in_progress: '进行中', completed: '已完成' },
  switchTo: 'English',
  updated: '更新时间',
  timesIn: (tz: string) => `页面时间均为 ${tz === 'Asia/Shanghai' ? '北京时间' : tz}。`,
  components: '服务状态',
  otherServices: '其他服务',
  uptime: (pct: string) => `近 90 天可用率 ${pct}`,
  noData: '无数据',
  daysAgo90: '90 天前',
  today: '今天',
  activeAnnouncements: '当前公告',
  noActive: '当前没有进行中的事件。',
  maintenances: '计划维护',
  factChecks: '辟谣 / 事实核查',
  claim: '传言',
  verdictLabel: '核查结论',
  source: '来源',
  whatHappened: '发生了什么',
  started: '开始时间',
  detected: '发现时间',
  resolved: '恢复时间',
  notYet: '尚未',
  unknown: '尚不明确',
  cause: '原因',
  scope: '影响范围',
  services: '受影响服务',
  customerGroups: '受影响客户',
  regions: '受影响地区',
  measures: '已采取措施',
  customerAction: '客户需要做什么',
  nextUpdate: '下次更新时间',
  updates: '更新记录',
  investigation: '调查结果',
  faq: '常见问题',
  readMore: '查看详情',
  history: '历史事件',
  noHistory: '近 90 天没有事件。',
  newer: '较新',
  older: '较早',
  page: (n: number, of: number) => `第 ${n} / ${of} 页`,
  subscribe: '订阅通知',
  subscribeHint: '事件发布、更新和恢复时，我们会通过电子邮件通知您（需确认邮箱）。',
  feedsOnlyHint: '使用阅读器订阅本页的 Atom 或 RSS 源（见页脚），即可第一时间获知事件公告与更新。',
  email: '电子邮箱',
  subscribeButton: '订阅',
  chooseServices: '只订阅部分服务（不选即全部）',
  feeds: '订阅源',
  impactLabel: '影响程度',
  statusLabel: '当前状态',
  window: '维护时间',
  backHome: '返回状态首页',
  notFound: '页面不存在',
  notFoundHint: '您访问的页面不存在或已移除。',
  serviceHistory: '相关事件',
  since: '自',
  statusFeed: (name: string) => `${name} 服务状态`,
  badgeLabel: '服务状态',
  bannerMore: '查看详情',
  skip: '跳到正文',
  /** The compensation portal (the help portal calls it the same). */
  compensation: '补偿方案',
};

type Messages = typeof zh;

const en: Messages = {
  statusPage: 'Service status',
  colon: ': ',
  overall: {
    operational: 'All systems operational',
    maintenance: 'Maintenance in progress',
    degraded: 'Degraded performance',
    partial_outage: 'Partial service outage',
    major_outage: 'Major service outage',
  },
  incidentHeadline: 'Incident in progress — see the notice below',
  incidentShort: 'incident in progress',
  state: {
    operational: 'Operational',
    maintenance: 'Maintenance',
    degraded: 'Degraded',
    partial_outage: 'Partial outage',
    major_outage: 'Major outage',
  },
  status: { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' },
  impact: { none: 'None', minor: 'Minor', major: 'Major', critical: 'Critical' },
  verdict: { false: 'False', unverified: 'Unverified', confirmed: 'Confirmed' },
  maintenanceState: { scheduled: 'Scheduled', in_progress: 'In progress', completed: 'Completed' },
  switchTo: '中文',
  updated: 'Updated',
  timesIn: (tz: string) => `All times are ${tz === 'Asia/Shanghai' ? 'China Standard Time (UTC+8)' : tz}.`,
  components: 'Services',
  otherServices: 'Other services',
  uptime: (pct: string) => `${pct} uptime over 90 days`,
  noData: 'No data',
  daysAgo90: '90 days ago',
  today: 'Today',
  activeAnnouncements: 'Current announcements',
  noActive: 'No incidents in progress.',
  maintenances: 'Scheduled maintenance',
  factChecks: 'Fact check',
  claim: 'Claim',
  verdictLabel: 'Verdict',
  source: 'Source',
  whatHappened: 'What happened',
  started: 'Started',
  detected: 'Detected',
  resolved: 'Resolved',
  notYet: 'Not yet',
  unknown: 'Not yet known',
  cause: 'Cause',
  scope: 'Impact scope',
  services: 'Services affected',
  customerGroups: 'Customers affected',
  regions: 'Regions affected',
  measures: 'Measures taken',
  customerAction: 'What customers should do',
  nextUpdate: 'Next update by',
  updates: 'Updates',
  investigation: 'Investigation results',
  faq: 'Questions and answers',
  readMore: 'Details',
  history: 'Incident history',
  noHistory: 'No incidents in the last 90 days.',
  newer: 'Newer',
  older: 'Older',
  page: (n: number, of: number) => `Page ${n} of ${of}`,
  subscribe: 'Get notified',
  subscribeHint: 'We email you when an incident is announced, updated and resolved (you confirm your address first).',
  feedsOnlyHint:
    'Follow the Atom or RSS feed of this page (links at the foot) in your reader to hear of announcements and updates first.',
  email: 'Email address',
  subscribeButton: 'Subscribe',
  chooseServices: 'Only some services (none chosen: all)',
  feeds: 'Feeds',
  impactLabel: 'Impact',
  statusLabel: 'Status',
  window: 'Window',
  backHome: 'Back to status',
  notFound: 'Page not found',
  notFoundHint: 'The page you asked for does not exist or was removed.',
  serviceHistory: 'Related incidents',
  since: 'since',
  statusFeed: (name: string) => `${name} service status`,
  badgeLabel: 'status',
  bannerMore: 'Details',
  skip: 'Skip to content',
  compensation: 'Compensation',
};

/** The catalog of one language. */
export function messages(lang: SiteLang): Messages {
  return lang === 'en' ? en : zh;
}
export type { Messages };
