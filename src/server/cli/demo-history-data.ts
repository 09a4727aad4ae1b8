/**
 * The kinds of incident the demo firm's past year holds (demo-history.ts picks among them with a seeded
 * PRNG): title, category, services, whether customers noticed, and how many customers it touched.
 */
import type { Category } from '../../shared/enums.js';

export interface HistoryKind {
  titleZh: string;
  titleEn: string;
  category: Category;
  services: string[];
  /** Customers noticed it: a public statement, a customer notice and inquiries follow. */
  customerFacing: boolean;
  /** Customers affected, [min, max] (null: none recorded). */
  customers: [number, number] | null;
  /** Trading was interrupted. */
  trading?: boolean;
}

export const HISTORY_KINDS: HistoryKind[] = [
  {
    titleZh: '行情源延迟',
    titleEn: 'Market-data feed delayed',
    category: 'equipment_failure',
    services: ['market-data', 'mobile-app'],
    customerFacing: true,
    customers: [800, 12_000],
  },
  {
    titleZh: '网上交易登录撞库',
    titleEn: 'Credential stuffing on web trading login',
    category: 'network_attack',
    services: ['online-trading'],
    customerFacing: true,
    customers: [20, 400],
  },
  {
    titleZh: '手机App 委托超时',
    titleEn: 'Mobile app orders timing out',
    category: 'equipment_failure',
    services: ['mobile-app', 'online-trading'],
    customerFacing: true,
    customers: [1_500, 30_000],
    trading: true,
  },
  {
    titleZh: '银证转账通道中断',
    titleEn: 'Bank-securities transfer channel down',
    category: 'equipment_failure',
    services: ['bank-transfer'],
    customerFacing: true,
    customers: [300, 5_000],
  },
  {
    titleZh: '仿冒官网钓鱼短信',
    titleEn: 'Phishing texts imitating the firm',
    category: 'information_content',
    services: ['mobile-app'],
    customerFacing: true,
    customers: [50, 2_000],
  },
  {
    titleZh: '开户身份核验服务异常',
    titleEn: 'Identity verification for account opening failing',
    category: 'equipment_failure',
    services: ['account-opening'],
    customerFacing: true,
    customers: [40, 600],
  },
  {
    titleZh: 'DDoS 攻击网上交易入口',
    titleEn: 'DDoS on the web trading entry',
    category: 'network_attack',
    services: ['online-trading'],
    customerFacing: true,
    customers: [2_000, 20_000],
    trading: true,
  },
  {
    titleZh: '办公终端恶意程序',
    titleEn: 'Malware on an office workstation',
    category: 'malicious_program',
    services: ['back-office'],
    customerFacing: false,
    customers: null,
  },
  {
    titleZh: '清算对账文件延迟',
    titleEn: 'Clearing reconciliation file late',
    category: 'equipment_failure',
    services: ['back-office'],
    customerFacing: false,
    customers: null,
  },
  {
    titleZh: '员工违规外发客户资料',
    titleEn: 'Customer records sent outside by an employee',
    category: 'data_security',
    services: ['back-office'],
    customerFacing: false,
    customers: [10, 300],
  },
  {
    titleZh: '异常批量查询账户',
    titleEn: 'Unusual bulk account lookups',
    category: 'abnormal_behaviour',
    services: ['online-trading', 'back-office'],
    customerFacing: false,
    customers: null,
  },
  {
    titleZh: '防火墙策略配置违规',
    titleEn: 'Firewall rule against policy',
    category: 'rule_violation',
    services: ['online-trading'],
    customerFacing: false,
    customers: null,
  },
  {
    titleZh: '中间件高危漏洞遭扫描利用尝试',
    titleEn: 'Critical middleware vulnerability probed',
    category: 'security_hazard',
    services: ['online-trading', 'mobile-app'],
    customerFacing: false,
    customers: null,
  },
];

/** What reviews ask for after an incident (action items). */
export const ACTION_TITLES: string[] = [
  '备用行情源自动切换 Automatic failover to the backup feed',
  '登录接口限流与验证码 Rate limits and captcha on login',
  '补充监控告警阈值 Alert thresholds for the gap',
  '更新应急预案联系人 Update the plan contact list',
  '第三方供应商 SLA 复核 Review the vendor SLA',
  '变更窗口双人复核 Two-person review of changes',
  '客户通知模板优化 Clearer customer notice template',
  '数据外发 DLP 规则 DLP rule for outbound data',
  '中间件补丁与加固 Patch and harden the middleware',
  '容量压测 Capacity test before peak',
];

/** Courses of the demo staff's training records (the on-call course is the required one). */
export const COURSES = [
  { code: 'IR-ONCALL', name: '应急值班上岗培训 On-call readiness' },
  { code: 'SEC-AWARE', name: '年度信息安全意识 Annual security awareness' },
  { code: 'DATA-PRIV', name: '客户信息保护 Protecting customer data' },
];
