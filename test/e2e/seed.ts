/** Demo-like data for screenshot runs: services, staff, incidents in several states, tasks and a timeline. */
import type { ApiClient } from './api-client.js';

interface Ref {
  id: string;
}
interface IncidentRef {
  key: string;
}

const SERVICES = [
  { key: 'online-trading', nameZh: '网上交易', nameEn: 'Online trading' },
  { key: 'mobile-app', nameZh: '手机交易App', nameEn: 'Mobile trading app' },
  { key: 'market-data', nameZh: '行情服务', nameEn: 'Market data' },
  { key: 'bank-transfer', nameZh: '银证转账', nameEn: 'Bank-securities transfer' },
  { key: 'account-opening', nameZh: '网上开户', nameEn: 'Account opening' },
];

/** Seeds the store and returns the key of the richest incident (for the war-room view). */
export async function seedDemo(api: ApiClient): Promise<string> {
  for (const s of SERVICES) await api.call('POST', '/services', { ...s, description: '' });
  const staff: Record<string, Ref> = {};
  for (const [name, role] of [
    ['李伟 Li Wei', 'incident_commander'],
    ['张敏 Zhang Min', 'responder'],
    ['陈静 Chen Jing', 'communications'],
  ] as const) {
    const email = `${name.split(' ')[1]!.toLowerCase()}@broker.example`;
    staff[role] = await api.call<Ref>('POST', '/users', { email, name, role, password: 'correct-horse-battery-staple', locale: 'zh-CN' });
  }

  const declare = (body: Record<string, unknown>) => api.call<IncidentRef>('POST', '/incidents', body);
  const move = async (key: string, ...steps: string[]) => {
    for (const to of steps) await api.call('POST', `/incidents/${key}/transitions`, { to });
  };

  const vendor = await declare({
    title: 'Market-data vendor link down / 行情供应商专线中断',
    category: 'equipment_failure',
    grade: 'IV',
    services: ['market-data'],
  });
  await move(vendor.key, 'acknowledged', 'contained', 'recovered', 'closed');

  const crm = await declare({
    title: 'CRM 内部账号批量导出客户资料',
    category: 'data_security',
    grade: 'II',
    restricted: true,
    impact: { customersAffected: 5400, recordsExposed: 5400, fundsAtRisk: null, tradingInterrupted: false },
  });
  await move(crm.key, 'acknowledged', 'contained', 'eradicated', 'recovered');

  const ddos = await declare({
    title: 'DDoS on the mobile trading app during market hours',
    category: 'network_attack',
    grade: 'III',
    services: ['mobile-app'],
    impact: { customersAffected: null, fundsAtRisk: null, recordsExposed: null, tradingInterrupted: true },
  });
  await move(ddos.key, 'acknowledged');

  const ransom = await declare({
    title: '办公网勒索软件向交易后台扩散',
    category: 'malicious_program',
    grade: 'I',
    restricted: true,
    tags: ['ransomware', 'back-office'],
  });
  await move(ransom.key, 'acknowledged', 'contained');

  await declare({ title: 'Phishing page <b>imitating</b> our login <img src=x>', category: 'information_content', grade: 'IV' });

  const main = await declare({
    title: '网上交易登录遭撞库攻击，疑似账户被盗后银证转出',
    summary: '02:10 起网上交易登录失败率升至 38%，来源为约 1,200 个住宅代理 IP。\n3 个账户在新设备登录后发起银证转出。',
    category: 'network_attack',
    grade: 'II',
    services: ['online-trading', 'bank-transfer'],
    tags: ['credential-stuffing', 'ato'],
    impact: {
      customersAffected: 1200,
      fundsAtRisk: { amountMinor: 125_000_050, currency: 'CNY' },
      recordsExposed: null,
      tradingInterrupted: false,
    },
  });
  const k = main.key;
  await api.call('POST', `/incidents/${k}/participants`, { userId: staff.incident_commander!.id, role: 'incident_commander' });
  await api.call('POST', `/incidents/${k}/participants`, { userId: staff.responder!.id, role: 'technical_lead' });
  await api.call('POST', `/incidents/${k}/participants`, { userId: staff.communications!.id, role: 'communications_lead' });
  await move(k, 'acknowledged');
  const note = await api.call<Ref>('POST', `/incidents/${k}/timeline`, {
    kind: 'note',
    text: 'WAF 已封禁 203.0.113.0/24；登录失败率回落到 6%。',
  });
  await api.call('POST', `/incidents/${k}/timeline`, {
    kind: 'correction',
    correctsId: note.id,
    text: '更正：封禁的是 198.51.100.0/24，不是 203.0.113.0/24。',
  });
  await api.call('POST', `/incidents/${k}/timeline`, {
    kind: 'decision',
    text: 'Freeze outgoing bank-securities transfers for the 3 affected accounts until customers are reached by phone.',
  });
  const soon = new Date(Date.now() + 45 * 60_000).toISOString();
  const past = new Date(Date.now() - 10 * 60_000).toISOString();
  const t1 = await api.call<Ref>('POST', `/incidents/${k}/tasks`, { title: '封禁攻击源 IP 段', ownerUserId: staff.responder!.id, ownerRole: 'technical_lead' });
  await api.call('PATCH', `/incidents/${k}/tasks/${t1.id}`, { status: 'done' });
  await api.call('POST', `/incidents/${k}/tasks`, { title: '冻结受影响账户的银证转出', ownerRole: 'incident_commander', dueAt: past });
  const t3 = await api.call<Ref>('POST', `/incidents/${k}/tasks`, { title: 'Draft holding statement for the status page', ownerUserId: staff.communications!.id, dueAt: soon });
  await api.call('PATCH', `/incidents/${k}/tasks/${t3.id}`, { status: 'in_progress' });
  return k;
}
