/** The fictional securities firm the demo fills an empty store with (东海证券 / Donghai Securities). */
import type { Category, Grade, ParticipantRole, Status, UserRole } from '../../shared/enums.js';

export const DEMO_FIRM = { nameZh: '东海证券', nameEn: 'Donghai Securities', domain: 'donghai-sec.example' };

export const DEMO_SERVICES = [
  {
    key: 'online-trading',
    nameZh: '网上交易',
    nameEn: 'Online trading',
    description: 'Web trading terminal and order gateway',
  },
  { key: 'mobile-app', nameZh: '手机App', nameEn: 'Mobile app', description: 'iOS and Android trading app' },
  {
    key: 'market-data',
    nameZh: '行情服务',
    nameEn: 'Market data',
    description: 'Level-1/Level-2 quotes from the exchanges and vendors',
  },
  {
    key: 'bank-transfer',
    nameZh: '银证转账',
    nameEn: 'Bank-securities transfer',
    description: 'Third-party depository transfers between bank and brokerage accounts',
  },
  {
    key: 'account-opening',
    nameZh: '开户服务',
    nameEn: 'Account opening',
    description: 'Online account opening with identity verification',
  },
  {
    key: 'back-office',
    nameZh: '后台清算',
    nameEn: 'Back office',
    description: 'Clearing, settlement and reconciliation',
  },
];

export const DEMO_USERS: { email: string; name: string; role: UserRole }[] = [
  { email: 'chen.jie@donghai-sec.example', name: '陈杰 Chen Jie', role: 'incident_commander' },
  { email: 'li.na@donghai-sec.example', name: '李娜 Li Na', role: 'responder' },
  { email: 'wang.lei@donghai-sec.example', name: '王磊 Wang Lei', role: 'responder' },
  { email: 'zhao.min@donghai-sec.example', name: '赵敏 Zhao Min', role: 'communications' },
  { email: 'sun.li@donghai-sec.example', name: '孙丽 Sun Li', role: 'customer_service' },
  { email: 'zhou.qiang@donghai-sec.example', name: '周强 Zhou Qiang', role: 'compliance' },
  { email: 'wu.hua@donghai-sec.example', name: '吴华 Wu Hua', role: 'executive' },
  { email: 'zheng.yu@donghai-sec.example', name: '郑宇 Zheng Yu', role: 'auditor' },
  // Account managers and branch owner pools of the demo customers (demo-customers.ts).
  { email: 'liu.yang@donghai-sec.example', name: '刘洋 Liu Yang', role: 'customer_service' },
  { email: 'huang.jing@donghai-sec.example', name: '黄静 Huang Jing', role: 'customer_service' },
  // The second compliance approver: compensation above 100,000 yuan needs two (scenario-compensation.ts).
  { email: 'qian.fang@donghai-sec.example', name: '钱芳 Qian Fang', role: 'compliance' },
];

export interface DemoIncident {
  title: string;
  summary: string;
  category: Category;
  grade: Grade;
  services: string[];
  restricted?: boolean;
  tags: string[];
  impact: {
    customersAffected: number | null;
    fundsAtRiskYuan: number | null;
    recordsExposed: number | null;
    tradingInterrupted: boolean;
  };
  /** Minutes before now that it was detected. */
  detectedMinutesAgo: number;
  /** Status path after detection, with minutes after detection. */
  path: { to: Status; after: number; note?: string }[];
  participants: { email: string; role: ParticipantRole }[];
  notes: { after: number; email: string; kind: 'note' | 'decision'; text: string }[];
  tasks: { title: string; ownerEmail?: string; ownerRole?: ParticipantRole; dueAfter: number; done?: boolean }[];
}

const DAY = 24 * 60;

export const DEMO_INCIDENTS: DemoIncident[] = [
  {
    title: '行情供应商数据中断 / Market-data vendor feed outage',
    summary:
      'Level-2 quotes from the primary vendor stopped at 09:42; the app showed stale prices for 18 minutes until failover to the backup feed.',
    category: 'equipment_failure',
    grade: 'III',
    services: ['market-data', 'mobile-app'],
    tags: ['third-party', 'market-hours'],
    impact: { customersAffected: 41250, fundsAtRiskYuan: null, recordsExposed: null, tradingInterrupted: false },
    detectedMinutesAgo: 21 * DAY,
    path: [
      { to: 'acknowledged', after: 2 },
      { to: 'contained', after: 11, note: 'Switched to backup vendor feed' },
      { to: 'recovered', after: 18 },
      { to: 'closed', after: 3 * 60, note: 'Vendor RCA received' },
    ],
    participants: [
      { email: 'chen.jie@donghai-sec.example', role: 'incident_commander' },
      { email: 'wang.lei@donghai-sec.example', role: 'technical_lead' },
      { email: 'zhao.min@donghai-sec.example', role: 'communications_lead' },
    ],
    notes: [
      {
        after: 3,
        email: 'wang.lei@donghai-sec.example',
        kind: 'note',
        text: 'Vendor status page confirms a fault in their Shanghai PoP.',
      },
      {
        after: 9,
        email: 'chen.jie@donghai-sec.example',
        kind: 'decision',
        text: 'Fail over to the backup feed now; accept 500 ms extra latency.',
      },
    ],
    tasks: [
      {
        title: 'Fail over to backup market-data feed',
        ownerEmail: 'wang.lei@donghai-sec.example',
        dueAfter: 15,
        done: true,
      },
      { title: 'Post status-page notice for stale quotes', ownerRole: 'communications_lead', dueAfter: 20, done: true },
    ],
  },
  {
    title: '网上交易登录撞库攻击 / Credential stuffing on the online-trading login',
    summary:
      '38,000 login attempts from 1,900 addresses in 30 minutes; 112 accounts logged in successfully and were frozen pending verification.',
    category: 'network_attack',
    grade: 'II',
    services: ['online-trading', 'bank-transfer'],
    tags: ['credential-stuffing', 'account-takeover'],
    impact: { customersAffected: 112, fundsAtRiskYuan: 2_350_000, recordsExposed: null, tradingInterrupted: false },
    detectedMinutesAgo: 9 * DAY,
    path: [
      { to: 'acknowledged', after: 1 },
      { to: 'contained', after: 14, note: 'Source ranges blocked at WAF; affected accounts frozen' },
      { to: 'eradicated', after: 6 * 60 },
      { to: 'recovered', after: 26 * 60 },
      { to: 'closed', after: 5 * DAY },
    ],
    participants: [
      { email: 'chen.jie@donghai-sec.example', role: 'incident_commander' },
      { email: 'li.na@donghai-sec.example', role: 'technical_lead' },
      { email: 'sun.li@donghai-sec.example', role: 'customer_service_lead' },
      { email: 'zhou.qiang@donghai-sec.example', role: 'compliance_officer' },
    ],
    notes: [
      {
        after: 4,
        email: 'li.na@donghai-sec.example',
        kind: 'note',
        text: 'Attack traffic rotates residential proxies; per-IP limits alone will not hold.',
      },
      {
        after: 8,
        email: 'chen.jie@donghai-sec.example',
        kind: 'decision',
        text: 'Freeze bank-securities transfers out for the 112 accounts until customers re-verify.',
      },
    ],
    tasks: [
      {
        title: 'Freeze transfers out for compromised accounts',
        ownerEmail: 'li.na@donghai-sec.example',
        dueAfter: 10,
        done: true,
      },
      {
        title: 'Call every affected customer (专人负责)',
        ownerRole: 'customer_service_lead',
        dueAfter: 24 * 60,
        done: true,
      },
      { title: 'File CSRC emergency report', ownerRole: 'compliance_officer', dueAfter: 120, done: true },
    ],
  },
  {
    title: 'CRM 客户数据批量导出 / Bulk export from the CRM by an insider account',
    summary:
      'A sales-support account exported 23,400 customer records outside working hours; access revoked, investigation with legal.',
    category: 'data_security',
    grade: 'II',
    services: ['back-office'],
    restricted: true,
    tags: ['insider', 'pipl'],
    impact: { customersAffected: 23400, fundsAtRiskYuan: null, recordsExposed: 23400, tradingInterrupted: false },
    detectedMinutesAgo: 2 * DAY,
    path: [
      { to: 'acknowledged', after: 6 },
      { to: 'contained', after: 35, note: 'Account disabled, sessions revoked' },
    ],
    participants: [
      { email: 'chen.jie@donghai-sec.example', role: 'incident_commander' },
      { email: 'zhou.qiang@donghai-sec.example', role: 'compliance_officer' },
      { email: 'zheng.yu@donghai-sec.example', role: 'observer' },
    ],
    notes: [
      {
        after: 40,
        email: 'zhou.qiang@donghai-sec.example',
        kind: 'note',
        text: 'PIPL notification assessment started; legal engaged.',
      },
    ],
    tasks: [
      {
        title: 'Preserve CRM access logs as evidence',
        ownerEmail: 'li.na@donghai-sec.example',
        dueAfter: 60,
        done: true,
      },
      {
        title: 'Decide on PIPL notification to affected customers',
        ownerRole: 'compliance_officer',
        dueAfter: 3 * DAY,
      },
    ],
  },
  {
    title: '手机App开盘时段DDoS / DDoS on the mobile app at market open',
    summary:
      'Volumetric attack on the mobile API at 09:25; order rejections at the trading gateway rose to 14%. Scrubbing enabled with the carrier.',
    category: 'network_attack',
    grade: 'I',
    services: ['mobile-app', 'online-trading'],
    tags: ['ddos', 'market-hours'],
    impact: { customersAffected: 180000, fundsAtRiskYuan: null, recordsExposed: null, tradingInterrupted: true },
    detectedMinutesAgo: 25,
    path: [{ to: 'acknowledged', after: 1 }],
    participants: [
      { email: 'chen.jie@donghai-sec.example', role: 'incident_commander' },
      { email: 'wang.lei@donghai-sec.example', role: 'technical_lead' },
      { email: 'zhao.min@donghai-sec.example', role: 'communications_lead' },
      { email: 'sun.li@donghai-sec.example', role: 'customer_service_lead' },
    ],
    notes: [
      {
        after: 2,
        email: 'wang.lei@donghai-sec.example',
        kind: 'note',
        text: 'Inbound 38 Gbit/s to the mobile API VIP; gateway rejecting 14% of orders.',
      },
      {
        after: 5,
        email: 'chen.jie@donghai-sec.example',
        kind: 'decision',
        text: 'Enable carrier scrubbing; publish a holding statement within 15 minutes.',
      },
    ],
    tasks: [
      { title: 'Enable carrier DDoS scrubbing', ownerEmail: 'wang.lei@donghai-sec.example', dueAfter: 10 },
      { title: 'Publish holding statement on the status page', ownerRole: 'communications_lead', dueAfter: 15 },
      { title: 'Brief the call centre with a script', ownerRole: 'customer_service_lead', dueAfter: 20 },
    ],
  },
];
