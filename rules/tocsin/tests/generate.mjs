#!/usr/bin/env node
/**
 * Writes the test events of our own rules: rules/tocsin/tests/<rule-file-stem>/{positive,negative}.ndjson.
 * Each scenario is described here once; the NDJSON files are its output (kept in the repository so
 * `tocsin detect --events` can replay them). Run after changing a scenario:
 *
 *   node rules/tocsin/tests/generate.mjs
 *
 * Times are China Standard Time (UTC+8) with their offset, on Monday 2 March 2026, a trading day.
 * Addresses come from the documentation and benchmarking ranges (192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24, 198.18.0.0/15) and private ranges; accounts and names are made up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DAY = '2026-03-02';
const H = 3_600_000;
const M = 60_000;
const S = 1000;

/** Epoch ms of a CST wall-clock time on the test day ("09:30:05"), plus days. */
const at = (hms, days = 0) => Date.parse(`${DAY}T${hms}+08:00`) + days * 24 * H;
/** ISO text with the +08:00 offset, as a Chinese firm's systems write it. */
const cst = (ms) => new Date(ms + 8 * H).toISOString().replace('Z', '+08:00');
/** ISO text in UTC with 7 fraction digits, as evtx_dump writes SystemTime. */
const evtxTime = (ms) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_, f) => `.${f}0000Z`);

const ls = (service) => ({ product: 'tocsin', service });
const event = (ms, logsource, fields) => ({ time: cst(ms), logsource, ...fields });
const byTime = (events) => events.sort((a, b) => Date.parse(a.time ?? a['@timestamp'] ?? 0) - Date.parse(b.time ?? b['@timestamp'] ?? 0));

const login = (ms, f) => event(ms, ls('trading_login'), { event: 'login', channel: 'app', ...f });
const fail = (ms, user, src_ip, reason = 'bad_password', extra = {}) => login(ms, { outcome: 'failure', reason, user, src_ip, device_id: `dev-${user.slice(-4)}`, ...extra });
const ok = (ms, user, src_ip, extra = {}) => login(ms, { outcome: 'success', user, src_ip, device_id: `dev-${user.slice(-4)}`, new_device: false, new_geo: false, geo: 'CN-31', ...extra });
const account = (i) => String(3_100_000_000 + i * 7919);

const files = {};
const put = (stem, positive, negative) => (files[stem] = { positive, negative });

// ---------------------------------------------------------------------------------------------
// Trading login: many accounts from one source (value_count user by src_ip >= 20 in 10 min).
{
  const pos = [];
  // 25 different accounts from one address in 5 minutes: fires once, at the 20th account.
  for (let i = 0; i < 25; i++) pos.push(fail(at('09:16:00') + i * 12 * S, account(i), '198.51.100.23', i % 3 ? 'bad_password' : 'unknown_user', { channel: 'pc', device_id: 'pc-ab12' }));
  const neg = [];
  // A carrier's CGNAT address at the opening rush: 12 customers mistype their password, then log in.
  for (let i = 0; i < 12; i++) {
    neg.push(fail(at('09:15:10') + i * 40 * S, account(100 + i), '192.0.2.77'));
    neg.push(ok(at('09:15:30') + i * 40 * S, account(100 + i), '192.0.2.77'));
  }
  // The login service fails for everyone behind one NAT address: not the credentials, left out.
  for (let i = 0; i < 40; i++) neg.push(fail(at('10:02:00') + i * 5 * S, account(200 + i), '192.0.2.78', i % 2 ? 'system_error' : 'timeout'));
  // 25 accounts from one address, but slowly (one every 5 minutes): never 20 within 10 minutes.
  for (let i = 0; i < 25; i++) neg.push(fail(at('12:00:00') + i * 5 * M, account(300 + i), '198.51.100.24'));
  put('trading_login_many_accounts_one_source', pos, byTime(neg));
}

// Trading login: one account from many sources (value_count src_ip by user >= 6 in 1 h).
{
  const victim = account(1);
  const pos = [];
  // Guesses for one account from 8 proxy addresses in 40 minutes; the account locks after 5.
  for (let i = 0; i < 8; i++) pos.push(fail(at('13:05:00') + i * 5 * M, victim, `198.51.100.${100 + i}`, i < 5 ? 'bad_password' : 'locked', { channel: 'web' }));
  const neg = [];
  // A customer who forgot the password, on Wi-Fi then 4G (2 addresses), then logs in.
  const forgetful = account(2);
  ['192.0.2.10', '192.0.2.10', '192.0.2.200', '192.0.2.200', '192.0.2.10'].forEach((ip, i) => neg.push(fail(at('09:40:00') + i * 2 * M, forgetful, ip)));
  neg.push(ok(at('09:52:00'), forgetful, '192.0.2.10'));
  // Seven addresses for one account, but over 4 hours: at most 2 within any hour.
  const roaming = account(3);
  for (let i = 0; i < 7; i++) neg.push(fail(at('09:30:00') + i * 40 * M, roaming, `192.0.2.${30 + i}`));
  put('trading_login_one_account_many_sources', pos, byTime(neg));
}

// Trading login: many failures for one account (event_count by user >= 10 in 10 min).
{
  const victim = account(4);
  const pos = [];
  // 12 failures in 6 minutes from one address: 5 wrong passwords, then 7 more against the locked account.
  for (let i = 0; i < 12; i++) pos.push(fail(at('14:01:00') + i * 30 * S, victim, '198.51.100.45', i < 5 ? 'bad_password' : 'locked', { channel: 'api' }));
  const neg = [];
  // 5 wrong passwords, then the right one.
  const a = account(5);
  for (let i = 0; i < 5; i++) neg.push(fail(at('09:31:00') + i * 20 * S, a, '192.0.2.50'));
  neg.push(ok(at('09:33:00'), a, '192.0.2.50'));
  // 9 failures within 10 minutes: one short of the threshold.
  const b = account(6);
  for (let i = 0; i < 9; i++) neg.push(fail(at('10:00:00') + i * 60 * S, b, '192.0.2.51'));
  // 12 failures over 2 hours (a script with a stale password retrying every 10 minutes).
  const c = account(7);
  for (let i = 0; i < 12; i++) neg.push(fail(at('11:00:00') + i * 10 * M, c, '192.0.2.52', 'bad_password', { channel: 'api' }));
  // 15 failures in 5 minutes that the service caused (timeouts): left out.
  const d = account(8);
  for (let i = 0; i < 15; i++) neg.push(fail(at('14:30:00') + i * 20 * S, d, '192.0.2.53', 'timeout'));
  put('trading_login_failure_burst', pos, byTime(neg));
}

// Trading login: success after stuffing from the same source (temporal_ordered within 30 min).
{
  const pos = [];
  for (let i = 0; i < 22; i++) pos.push(fail(at('20:10:00') + i * 15 * S, account(400 + i), '198.51.100.77', 'bad_password', { channel: 'pc', device_id: 'pc-77' }));
  // Eight minutes after the 20th account: one password from the list works.
  pos.push(ok(at('20:20:45'), account(431), '198.51.100.77', { channel: 'pc', device_id: 'pc-77', new_device: true }));
  const neg = [];
  // Stuffing from one address; the success comes from another address.
  for (let i = 0; i < 22; i++) neg.push(fail(at('20:10:00') + i * 15 * S, account(500 + i), '198.51.100.78', 'bad_password', { channel: 'pc' }));
  neg.push(ok(at('20:20:00'), account(531), '192.0.2.90'));
  // Stuffing from a third address; its success comes 40 minutes later, past the 30-minute window.
  for (let i = 0; i < 22; i++) neg.push(fail(at('21:00:00') + i * 15 * S, account(600 + i), '198.51.100.79', 'unknown_user', { channel: 'pc' }));
  neg.push(ok(at('21:45:00'), account(631), '198.51.100.79'));
  put('trading_login_success_after_stuffing', pos, byTime(neg));
}

// ---------------------------------------------------------------------------------------------
// Account takeover chain: new device/location login -> password or phone change -> transfer out.
const change = (ms, user, what, extra = {}) => event(ms, ls('account_change'), { event: what, outcome: 'success', user, channel: 'app', ...extra });
const transfer = (ms, user, direction, amount, extra = {}) => event(ms, ls('bank_transfer'), { event: 'transfer', direction, amount, currency: 'CNY', status: 'success', user, bank: 'ICBC', channel: 'app', ...extra });
{
  const victim = account(9);
  const pos = [
    ok(at('20:41:00'), victim, '198.51.100.150', { device_id: 'and-9f31c2', new_device: true, new_geo: true, geo: 'CN-44 Shenzhen' }),
    change(at('20:45:30'), victim, 'password_reset', { src_ip: '198.51.100.150', device_id: 'and-9f31c2' }),
    change(at('20:52:10'), victim, 'phone_change', { src_ip: '198.51.100.150', device_id: 'and-9f31c2' }),
    // The next morning, when bank-securities transfers open.
    transfer(at('09:01:20', 1), victim, 'out', 480_000, { src_ip: '198.51.100.150', device_id: 'and-9f31c2' }),
  ];
  // Ordinary activity of other customers around it.
  pos.push(ok(at('20:43:00'), account(10), '192.0.2.61'));
  pos.push(transfer(at('09:05:00', 1), account(10), 'out', 20_000));
  const neg = [];
  // A: the same three steps in the wrong order (transfer, change, then a new-device login).
  const a = account(11);
  neg.push(transfer(at('09:35:00'), a, 'out', 50_000), change(at('10:00:00'), a, 'password_change'), ok(at('10:30:00'), a, '192.0.2.71', { new_device: true }));
  // B: all three steps, but the transfer comes 26 hours after the login.
  const b = account(12);
  neg.push(ok(at('09:40:00'), b, '192.0.2.72', { new_geo: true, geo: 'CN-11 Beijing' }), change(at('09:45:00'), b, 'phone_change'), transfer(at('11:40:00', 1), b, 'out', 60_000));
  // C: login from the customer's usual device, then a password change and a transfer.
  const c = account(13);
  neg.push(ok(at('10:00:00'), c, '192.0.2.73'), change(at('10:05:00'), c, 'password_change'), transfer(at('10:20:00'), c, 'out', 30_000));
  // D: a new phone and a transfer, but no credential change.
  const d = account(14);
  neg.push(ok(at('10:10:00'), d, '192.0.2.74', { new_device: true }), transfer(at('10:15:00'), d, 'out', 10_000));
  // E: the password change failed.
  const e = account(15);
  neg.push(ok(at('10:20:00'), e, '192.0.2.75', { new_device: true }), change(at('10:22:00'), e, 'password_change', { outcome: 'failure' }), transfer(at('10:30:00'), e, 'out', 90_000));
  // F: the transfer was rejected by the bank.
  const f = account(16);
  neg.push(ok(at('10:40:00'), f, '192.0.2.76', { new_device: true }), change(at('10:41:00'), f, 'phone_change'), transfer(at('10:50:00'), f, 'out', 200_000, { status: 'rejected' }));
  // G: new device, e-mail change (not a password or phone), transfer.
  const g = account(17);
  neg.push(ok(at('11:00:00'), g, '192.0.2.77', { new_device: true }), change(at('11:01:00'), g, 'email_change'), transfer(at('11:10:00'), g, 'out', 15_000));
  put('account_takeover_chain', byTime(pos), byTime(neg));
}

// Abnormal withdrawal volume (value_sum of amount by user > 2,000,000 in 24 h).
{
  const rich = account(20);
  const pos = [
    transfer(at('09:35:00'), rich, 'out', 800_000),
    transfer(at('09:40:00'), account(21), 'out', 12_000),
    transfer(at('10:20:00'), rich, 'out', 700_000),
    transfer(at('13:40:00'), rich, 'out', 600_000),
  ];
  const neg = [
    // 1.8 million in one day: below.
    transfer(at('09:31:00'), account(22), 'out', 900_000),
    transfer(at('14:10:00'), account(22), 'out', 900_000),
    // 1.5 million today and 1.5 million tomorrow, 25 hours apart.
    transfer(at('09:40:00'), account(23), 'out', 1_500_000),
    transfer(at('10:41:00', 1), account(23), 'out', 1_500_000),
    // Money coming in is not a withdrawal.
    transfer(at('10:00:00'), account(24), 'in', 5_000_000),
    // A transfer out the bank rejected.
    transfer(at('10:05:00'), account(25), 'out', 2_500_000, { status: 'rejected' }),
    // A B-share account's US dollars (not CNY).
    transfer(at('10:10:00'), account(26), 'out', 3_000_000, { currency: 'USD' }),
  ];
  put('bank_transfer_outflow_volume', byTime(pos), byTime(neg));
}

// ---------------------------------------------------------------------------------------------
// Bulk export from the CRM or the customer database (value_sum of records by user > 5,000 in 1 h).
const crm = (ms, user, what, records, extra = {}) => event(ms, ls('crm'), { event: what, user, records, object: 'customer', app: 'crm', src_ip: '10.8.20.31', host: 'crm-app-01', ...extra });
const db = (ms, user, what, records, extra = {}) => event(ms, ls('customer_db'), { event: what, user, records, database: 'custdb', table: 'customer_info', client_app: 'DBeaver', src_ip: '10.8.20.31', ...extra });
{
  const pos = [crm(at('10:02:00'), 'zhang.wei', 'export', 1200), db(at('10:10:00'), 'zhang.wei', 'query', 1800)];
  // Then paging through the customer list 250 at a time: the 9th page passes 5,000.
  for (let i = 0; i < 10; i++) pos.push(crm(at('10:15:00') + i * M, 'zhang.wei', 'export', 250));
  pos.push(crm(at('10:20:30'), 'li.na', 'export', 300, { src_ip: '10.8.20.44' }));
  const neg = [
    // An account manager exports her own book of 1,800 customers.
    crm(at('09:45:00'), 'wang.fang', 'export', 1800),
    // 3,000 and 3,000, an hour and a half apart.
    crm(at('10:00:00'), 'zhao.lei', 'export', 3000),
    crm(at('11:30:00'), 'zhao.lei', 'export', 3000),
    // Views, however many records they list, are not exports.
    crm(at('10:30:00'), 'sun.li', 'view', 50_000),
    // 4,800 spread over three people.
    crm(at('14:00:00'), 'chen.jie', 'export', 1600),
    crm(at('14:05:00'), 'liu.yang', 'export', 1600),
    db(at('14:10:00'), 'zhou.min', 'query', 1600),
  ];
  put('crm_bulk_export', byTime(pos), byTime(neg));
}

// ---------------------------------------------------------------------------------------------
// Off-hours privileged account creation, IAM (08:00-20:00 CST is business hours).
const iam = (ms, f, timeField = 'time') => {
  const { time: _t, ...rest } = event(ms, ls('iam'), { system: '4a', actor: 'wu.gang', src_ip: '10.8.1.15', ...f });
  return { [timeField]: timeField === 'timestamp' ? ms : cst(ms), ...rest };
};
{
  const pos = [
    // 20:00:00 CST exactly is already off hours; this source writes @timestamp.
    iam(at('20:00:00'), { event: 'account_create', target_user: 'ops_admin7', role: 'sysadmin', privileged: true }, '@timestamp'),
    iam(at('23:12:00'), { event: 'account_create', target_user: 'ops_admin2', role: 'security_admin', privileged: true, actor: 'it.admin' }),
    // Created plain at night, made a domain admin six minutes later (the chain).
    iam(at('23:14:00'), { event: 'account_create', target_user: 'backup_svc9', role: 'user', privileged: false, actor: 'it.admin' }),
    iam(at('23:20:00'), { event: 'role_grant', target_user: 'backup_svc9', role: 'domain admin', privileged: true, actor: 'it.admin' }),
    // 02:30 the next night, from a source that writes epoch milliseconds in `timestamp`.
    iam(at('02:30:00', 1), { event: 'account_create', target_user: 'dba_tmp', role: 'dba', system: 'custdb' }, 'timestamp'),
  ];
  const neg = [
    // Business hours, with a change ticket.
    iam(at('10:15:00'), { event: 'account_create', target_user: 'ops_admin3', role: 'sysadmin', privileged: true, ticket: 'CHG-2026-0301' }),
    // 08:00:00 and 19:59:59 CST are inside business hours.
    iam(at('08:00:00'), { event: 'account_create', target_user: 'ops_admin4', role: 'administrator', privileged: true }, '@timestamp'),
    iam(at('19:59:59'), { event: 'account_create', target_user: 'ops_admin5', role: 'root', privileged: true }),
    // Created in business hours, given admin rights just after 20:00.
    iam(at('19:30:00'), { event: 'account_create', target_user: 'trader_88', role: 'trader', privileged: false }),
    iam(at('20:10:00'), { event: 'role_grant', target_user: 'trader_88', role: 'admin', privileged: true }),
    // Created at night without privileges and never granted any.
    iam(at('22:00:00'), { event: 'account_create', target_user: 'intern_12', role: 'readonly', privileged: false }),
    // Created at night, made admin two hours later (outside the 1-hour chain).
    iam(at('22:30:00'), { event: 'account_create', target_user: 'svc_report', role: 'user', privileged: false }),
    iam(at('00:45:00', 1), { event: 'role_grant', target_user: 'svc_report', role: 'admin', privileged: true }),
  ];
  const t = (e) => (typeof e.timestamp === 'number' ? e.timestamp : Date.parse(e.time ?? e['@timestamp']));
  put('iam_offhours_privileged_account_creation', pos.sort((a, b) => t(a) - t(b)), neg.sort((a, b) => t(a) - t(b)));
}

// Off-hours privileged account creation, Windows Security events as evtx_dump writes them.
const DOMAIN_SID = 'S-1-5-21-1004336348-1177238915-682003330';
let record = 81_000;
const winEvent = (ms, id, data, computer = 'DC01.corp.example.com') => ({
  Event: {
    '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
    System: {
      Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing', Guid: '54849625-5478-4994-A5BA-3E3B0328C30D' } },
      EventID: id,
      Version: 0,
      Level: 0,
      Task: id === 4720 ? 13824 : 13826,
      Opcode: 0,
      Keywords: '0x8020000000000000',
      TimeCreated: { '#attributes': { SystemTime: evtxTime(ms) } },
      EventRecordID: ++record,
      Channel: 'Security',
      Computer: computer,
      Security: null,
    },
    EventData: { SubjectUserSid: `${DOMAIN_SID}-1107`, SubjectUserName: 'it.admin', SubjectDomainName: 'CORP', SubjectLogonId: '0x3e7a1f', ...data },
  },
});
const created = (ms, name, rid) => winEvent(ms, 4720, { TargetUserName: name, TargetDomainName: 'CORP', TargetSid: `${DOMAIN_SID}-${rid}`, SamAccountName: name, UserPrincipalName: '-', PrivilegeList: '-' });
const added = (ms, id, group, groupSid, name, rid) => winEvent(ms, id, { MemberName: `CN=${name},OU=Staff,DC=corp,DC=example,DC=com`, MemberSid: `${DOMAIN_SID}-${rid}`, TargetUserName: group, TargetDomainName: 'CORP', TargetSid: groupSid, PrivilegeList: '-' });
{
  const pos = [
    // 22:05 CST: a new account, made a Domain Admin two minutes later.
    created(at('22:05:11'), 'helpdesk_tmp', 2114),
    added(at('22:07:40'), 4728, 'Domain Admins', `${DOMAIN_SID}-512`, 'helpdesk_tmp', 2114),
  ];
  const neg = [
    // Business hours.
    created(at('11:10:00'), 'zhang.san', 2120),
    added(at('11:12:00'), 4728, 'Domain Admins', `${DOMAIN_SID}-512`, 'zhang.san', 2120),
    // Night, but the group is an ordinary one.
    created(at('23:00:00'), 'vpn_guest', 2121),
    added(at('23:01:00'), 4728, 'VPN Users', `${DOMAIN_SID}-1105`, 'vpn_guest', 2121),
    // Night, local Administrators, but a different account than the one created.
    created(at('23:30:00'), 'kiosk01', 2122),
    added(at('23:31:00'), 4732, 'Administrators', 'S-1-5-32-544', 'old.admin', 1108),
    // Night, Enterprise Admins, but two hours after the creation.
    created(at('01:00:00', 1), 'svc_sync', 2123),
    added(at('03:00:00', 1), 4756, 'Enterprise Admins', `${DOMAIN_SID}-519`, 'svc_sync', 2123),
  ];
  put('win_offhours_privileged_account_creation', pos, neg);
}

// ---------------------------------------------------------------------------------------------
// Ransomware: file renames and ransom notes (Sigma file_rename / file_event, Windows field names).
const rename = (ms, computer, image, source, target) => event(ms, { product: 'windows', category: 'file_rename' }, { Computer: computer, Image: image, ProcessId: 4242, User: 'CORP\\li.na', SourceFilename: source, TargetFilename: target });
const DOCS = ['xlsx', 'docx', 'pdf', 'pptx', 'csv', 'jpg'];
{
  const pos = [];
  // One process renames 260 documents in 52 seconds, appending a random extension.
  const img = 'C:\\Users\\li.na\\AppData\\Local\\Temp\\svchosts.exe';
  for (let i = 0; i < 260; i++) {
    const f = `C:\\Users\\li.na\\Documents\\客户资料\\file_${i}.${DOCS[i % DOCS.length]}`;
    pos.push(rename(at('15:20:00') + i * 200, 'WS-TRD-0231', img, f, `${f}.x7k2q`));
  }
  const neg = [];
  // Windows servicing renames 400 files in a minute.
  for (let i = 0; i < 400; i++) neg.push(rename(at('03:00:00') + i * 150, 'WS-TRD-0231', 'C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack\\TiWorker.exe', `C:\\Windows\\WinSxS\\Temp\\PendingRenames\\f${i}.dll`, `C:\\Windows\\System32\\f${i}.dll`));
  // Word saving documents: temporary files renamed in and out, 300 in a minute (a busy file server).
  for (let i = 0; i < 150; i++) {
    neg.push(rename(at('10:00:00') + i * 400, 'FS-SH-01', 'System', `D:\\Share\\研究所\\~WRL${1000 + i}.tmp`, `D:\\Share\\研究所\\report_${i}.docx`));
    neg.push(rename(at('10:00:00') + i * 400 + 100, 'FS-SH-01', 'System', `D:\\Share\\研究所\\report_${i}.docx`, `D:\\Share\\研究所\\~WRL${2000 + i}.tmp`));
  }
  // Someone renames 150 photos in Explorer within a minute: below 200.
  for (let i = 0; i < 150; i++) neg.push(rename(at('11:00:00') + i * 350, 'WS-MKT-0012', 'C:\\Windows\\explorer.exe', `C:\\Users\\zhou.min\\Pictures\\IMG_${5000 + i}.jpg`, `C:\\Users\\zhou.min\\Pictures\\路演_${i}.jpg`));
  // A sync client renames 300 files over 10 minutes (30 a minute).
  for (let i = 0; i < 300; i++) neg.push(rename(at('12:00:00') + i * 2 * S, 'WS-MKT-0012', 'C:\\Program Files\\SyncClient\\sync.exe', `C:\\Sync\\a${i}.pdf`, `C:\\Sync\\archive\\a${i}.pdf`));
  // Log rotation.
  for (let i = 0; i < 50; i++) neg.push(rename(at('00:00:00', 1) + i * 100, 'APP-SH-03', '/usr/sbin/logrotate', `/var/log/app/trade${i}.log`, `/var/log/app/trade${i}.log.1`));
  put('file_rename_mass_by_process', pos, byTime(neg));
}
{
  const pos = [];
  // Eight documents renamed to .lockbit within 20 seconds.
  for (let i = 0; i < 8; i++) {
    const f = `C:\\Users\\ops\\Desktop\\清算\\settle_${i}.${DOCS[i % DOCS.length]}`;
    pos.push(rename(at('16:40:00') + i * 2500, 'WS-OPS-0107', 'C:\\ProgramData\\upd.exe', f, `${f}.lockbit`));
  }
  const neg = [];
  // Four renames to .locked on one host in 5 minutes: a tool's lock files, below 5.
  for (let i = 0; i < 4; i++) neg.push(rename(at('09:00:00') + i * M, 'WS-DEV-0003', 'C:\\Tools\\sync\\locker.exe', `C:\\Work\\job${i}.dat`, `C:\\Work\\job${i}.dat.locked`));
  // Six renames to .encrypted, one on each of six hosts (an encryption tool used by six people).
  for (let i = 0; i < 6; i++) neg.push(rename(at('10:00:00') + i * 20 * S, `WS-FIN-00${10 + i}`, 'C:\\Program Files\\FileCrypt\\fc.exe', `C:\\Users\\u${i}\\salary.xlsx`, `C:\\Users\\u${i}\\salary.xlsx.encrypted`));
  // Ordinary renames.
  for (let i = 0; i < 10; i++) neg.push(rename(at('11:00:00') + i * 5 * S, 'WS-OPS-0107', 'C:\\Windows\\explorer.exe', `C:\\Users\\ops\\Desktop\\a${i}.docx`, `C:\\Users\\ops\\Desktop\\b${i}.docx`));
  put('file_rename_ransomware_extension', pos, byTime(neg));
}
{
  const created = (ms, computer, image, target) => event(ms, { product: 'windows', category: 'file_event' }, { Computer: computer, Image: image, ProcessId: 5120, TargetFilename: target });
  const pos = [
    created(at('16:41:00'), 'WS-OPS-0107', 'C:\\ProgramData\\upd.exe', 'C:\\Users\\ops\\Desktop\\清算\\README_DECRYPT.txt'),
    created(at('16:41:05'), 'FS-SH-01', 'System', 'D:\\Share\\财务\\如何解密.txt'),
  ];
  const neg = [
    created(at('09:00:00'), 'WS-DEV-0003', 'C:\\Program Files\\7-Zip\\7zG.exe', 'C:\\Tools\\7-Zip\\readme.txt'),
    created(at('09:05:00'), 'WS-DEV-0003', 'C:\\Windows\\explorer.exe', 'C:\\Work\\decrypt_tool_manual.pdf'),
    created(at('09:10:00'), 'WS-DEV-0003', 'C:\\Program Files\\Git\\bin\\git.exe', 'C:\\Work\\repo\\README.md'),
    created(at('09:15:00'), 'WS-OPS-0107', 'C:\\Windows\\explorer.exe', 'C:\\Users\\ops\\Desktop\\恢复文件.xlsx'),
  ];
  put('file_event_ransom_note', pos, neg);
}

// ---------------------------------------------------------------------------------------------
// Trading gateway: order rejects (event_count by gateway >= 600 in 1 min).
let orderNo = 1_000_000;
const order = (ms, gateway, status, reason_class, reason, extra = {}) =>
  event(ms, ls('trading_gateway'), { event: 'order', status, ...(reason_class ? { reason_class, reason } : {}), gateway, exchange: gateway.includes('-sh-') ? 'SSE' : 'SZSE', order_id: `O${++orderNo}`, ...extra });
{
  const pos = [];
  // The link to the exchange fails: 650 rejects in 52 seconds at one gateway.
  for (let i = 0; i < 650; i++) pos.push(order(at('10:12:00') + i * 80, 'tgw-sh-02', 'rejected', 'exchange', '交易所连接中断'));
  const neg = [];
  // The opening rush: 650 rejects the customers caused (not enough money, price beyond the limit).
  for (let i = 0; i < 650; i++) neg.push(order(at('09:30:00') + i * 90, 'tgw-sh-01', 'rejected', 'customer', i % 2 ? '资金不足' : '价格超出涨跌幅限制'));
  // 320 system rejects at each of two gateways in the same minute: below 600 at each.
  for (let i = 0; i < 320; i++) {
    neg.push(order(at('11:00:00') + i * 180, 'tgw-sh-01', 'error', 'system', 'risk check timeout'));
    neg.push(order(at('11:00:00') + i * 180 + 90, 'tgw-sz-01', 'timeout', 'system', 'counter timeout'));
  }
  // Orders accepted.
  for (let i = 0; i < 100; i++) neg.push(order(at('13:30:00') + i * 500, 'tgw-sz-01', 'accepted'));
  put('trading_gateway_order_reject_spike', pos, byTime(neg));
}

// Market data feed stale (event_count by feed >= 3 in 2 min).
const probe = (ms, feed, status, lag_ms, extra = {}) => event(ms, ls('market_data'), { event: 'probe', feed, status, lag_ms, session: 'open', host: 'mdprobe-01', vendor: 'exchange', ...extra });
{
  const pos = [];
  // Healthy, then four bad reports in 40 seconds, then recovered.
  for (let i = 0; i < 6; i++) pos.push(probe(at('10:04:00') + i * 10 * S, 'sse_l1', 'ok', 300));
  pos.push(probe(at('10:05:00'), 'sse_l1', 'ok', 7200));
  pos.push(probe(at('10:05:10'), 'sse_l1', 'ok', 17_400));
  pos.push(probe(at('10:05:20'), 'sse_l1', 'stale', 27_500));
  pos.push(probe(at('10:05:30'), 'sse_l1', 'down', null));
  for (let i = 0; i < 3; i++) pos.push(probe(at('10:05:40') + i * 10 * S, 'sse_l1', 'ok', 250));
  const neg = [];
  // One slow snapshot among healthy reports.
  for (let i = 0; i < 12; i++) neg.push(probe(at('09:40:00') + i * 10 * S, 'szse_l2', 'ok', i === 5 ? 6100 : 400));
  // Lunch break: the feed is quiet and the probe says stale, but the session is on break.
  for (let i = 0; i < 30; i++) neg.push(probe(at('11:35:00') + i * 20 * S, 'sse_l1', 'stale', 60_000 + i * 20_000, { session: 'break' }));
  // Two bad reports three minutes apart.
  neg.push(probe(at('13:10:00'), 'hkex_sc', 'stale', 8000), probe(at('13:13:00'), 'hkex_sc', 'stale', 8000));
  // Lag just under 5 seconds, repeatedly.
  for (let i = 0; i < 6; i++) neg.push(probe(at('14:00:00') + i * 10 * S, 'szse_l1', 'ok', 4800));
  // One bad report on each of three feeds.
  ['sse_l2', 'bse_l1', 'szse_l1'].forEach((feed, i) => neg.push(probe(at('14:30:00') + i * 5 * S, feed, 'stale', 9000)));
  put('market_data_feed_stale', pos, byTime(neg));
}

// Market data feed heartbeats missing (event_count by feed < 3 in 2 min, closed by time).
const heartbeat = (ms, feed, session = 'open') => event(ms, ls('market_data'), { event: 'heartbeat', feed, status: 'ok', lag_ms: 200, session, host: 'quote-sh-01', vendor: 'exchange' });
{
  const pos = [];
  // Every 30 s from 10:00:00, two windows of 4; then two more heartbeats, and nothing (end of input closes the window).
  for (let i = 0; i < 10; i++) pos.push(heartbeat(at('10:00:00') + i * 30 * S, 'sse_l1'));
  // Another feed: a healthy window of 4, then silence; sse_l1 carries time past a whole silent window.
  for (let i = 0; i < 4; i++) pos.push(heartbeat(at('10:00:00') + i * 30 * S, 'szse_l1'));
  const neg = [];
  // Two feeds beating side by side until the end of input (a feed that stops while time goes on is
  // silence, which the rule reports): over the lunch break, out of session, they still beat.
  // Every 30 s for 6 minutes: three full windows of 4.
  for (let i = 0; i < 12; i++) neg.push(heartbeat(at('11:30:00') + i * 30 * S, 'szse_l1', 'break'));
  // Every 20 s for 6 minutes: three full windows of 6.
  for (let i = 0; i < 18; i++) neg.push(heartbeat(at('11:30:00') + i * 20 * S, 'sse_l2', 'break'));
  // Probes are not heartbeats: one probe alone opens no window.
  neg.push(event(at('11:35:45'), ls('market_data'), { event: 'probe', feed: 'hkex_sc', status: 'ok', lag_ms: 300, session: 'break', host: 'mdprobe-01', vendor: 'exchange' }));
  put('market_data_feed_heartbeats_missing', byTime(pos), byTime(neg));
}

// ---------------------------------------------------------------------------------------------
// Network flows (goflow2-style records after ingest: src_ip, dst_ip, dst_port, protocol, bytes, packets).
const flow = (ms, src_ip, dst_ip, dst_port, protocol, bytes, packets, src_port = 40000 + (ms % 20000)) =>
  event(ms, { category: 'network_connection' }, { src_ip, src_port, dst_ip, dst_port, protocol, bytes, packets });
const bench = (i) => `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`; // RFC 2544 benchmarking range
{
  const pos = [];
  // DNS and NTP reflection: 20 flow records of 400 MB each into the trading front end within 48 s.
  for (let i = 0; i < 20; i++) pos.push(flow(at('09:32:00') + i * 2400, bench(i), '203.0.113.10', 443, 'udp', 400_000_000, 290_000, i % 2 ? 53 : 123));
  const neg = [];
  // Normal: 200 customer sessions of 2 MB each.
  for (let i = 0; i < 200; i++) neg.push(flow(at('09:30:00') + i * 250, `192.0.2.${(i % 250) + 1}`, '203.0.113.10', 443, 'tcp', 2_000_000, 1800));
  // Nightly backup between the firm's own servers: 20 GB in a minute, from a private address.
  for (let i = 0; i < 20; i++) neg.push(flow(at('01:00:00') + i * 3000, '10.20.1.5', '10.20.9.9', 873, 'tcp', 1_000_000_000, 700_000));
  // 6 GB, then 6 GB again 100 seconds later: never more than 7.5 GB within one minute.
  for (let i = 0; i < 12; i++) neg.push(flow(at('14:00:00') + i * 2500, bench(100 + i), '203.0.113.11', 443, 'udp', 500_000_000, 360_000));
  for (let i = 0; i < 12; i++) neg.push(flow(at('14:01:40') + i * 2500, bench(200 + i), '203.0.113.11', 443, 'udp', 500_000_000, 360_000));
  put('network_flow_ddos_volume', pos, byTime(neg));
}
{
  const pos = [];
  // A SYN flood: 2,100 sources, one 60-byte packet each, within 50 seconds.
  for (let i = 0; i < 2100; i++) pos.push(flow(at('09:45:00') + Math.floor(i * 23.8), bench(i), '203.0.113.20', 443, 'tcp', 60, 1));
  const neg = [];
  // Background noise: 1,500 sources sending short flows over 3 minutes (500 a minute).
  for (let i = 0; i < 1500; i++) neg.push(flow(at('10:00:00') + i * 120, bench(3000 + i), '203.0.113.20', 443, 'tcp', 60, 1));
  // Internal health checks: short flows from private addresses.
  for (let i = 0; i < 300; i++) neg.push(flow(at('10:30:00') + i * 100, `10.9.${Math.floor(i / 200)}.${(i % 200) + 1}`, '203.0.113.20', 443, 'tcp', 120, 2));
  put('network_flow_ddos_many_sources', pos, byTime(neg));
}

// ---------------------------------------------------------------------------------------------
// Customer complaints, as Tocsin's complaint intake emits them (complaintId, channel, text, topic).
let complaintNo = 0;
const complaint = (ms, channel, text, topic) => event(ms, ls('complaints'), { complaintId: `cmp-${String(++complaintNo).padStart(5, '0')}`, channel, text, ...(topic ? { topic } : {}) });
const CHANNELS = ['phone', 'app', 'web', 'email', 'social', 'branch'];
{
  const texts = [
    '手机APP无法登录，一直提示网络错误', '早上开盘后登录不了交易系统', "I cannot log in to the trading app since 9:20", '登不上账户，急着卖股票',
    'PC客户端登录失败，密码没错', "can't login, the app just spins", '账号被锁了，我没有输错密码', 'Login failed again and again, error 1002',
    '无法登陆，验证码收不到', '客户说登陆不了，已经试了很多次', 'Unable to log in from the web site', '请尽快处理',
  ];
  const pos = texts.map((t, i) => complaint(at('09:20:00') + i * M, CHANNELS[i % CHANNELS.length], t, i === 11 ? 'login' : undefined));
  const neg = [];
  // Nine login complaints within 15 minutes: below.
  for (let i = 0; i < 9; i++) neg.push(complaint(at('10:00:00') + i * 90 * S, CHANNELS[i % 6], texts[i]));
  // Twelve spread over three hours.
  for (let i = 0; i < 12; i++) neg.push(complaint(at('13:00:00') + i * 15 * M, CHANNELS[i % 6], texts[i % 11]));
  // Other complaints in the same minutes.
  const other = ['佣金太高了', '客户经理态度不好', 'Why is the commission so high?', '融资利率能不能降', '开户流程太复杂'];
  for (let i = 0; i < 10; i++) neg.push(complaint(at('10:00:30') + i * M, CHANNELS[i % 6], other[i % other.length]));
  put('complaints_surge_login', pos, byTime(neg));
}
{
  const texts = ['我的资金被盗了，账户里的钱不见了', 'Money stolen from my account overnight', '账户里资金丢失二十万，没有操作过', '股票被卖了，钱被转走了'];
  const pos = texts.map((t, i) => complaint(at('09:40:00') + i * 12 * M, CHANNELS[i % 6], t));
  const neg = [
    // Two within an hour, the third three hours later.
    complaint(at('10:00:00'), 'phone', '我的资金被盗了'),
    complaint(at('10:30:00'), 'email', 'funds missing after the transfer'),
    complaint(at('13:30:00'), 'app', '资金不见了，请查一下'),
    // Complaints about money, but not missing money.
    complaint(at('10:10:00'), 'app', '转账到账太慢'),
    complaint(at('10:15:00'), 'web', 'Withdrawal takes too long'),
    complaint(at('10:20:00'), 'phone', '手续费扣多了'),
  ];
  put('complaints_surge_funds', pos, byTime(neg));
}
{
  const texts = [
    '无法下单，一直转圈', '下单失败，提示系统繁忙', '委托失败好几次了', "Can't place an order on the app", '撤单失败，急！',
    '行情不动了，价格一直不刷新', 'quotes not updating since 10:30', '无法撤单', 'order failed: system busy', '下不了单', '交易失败，请尽快处理',
  ];
  const pos = texts.map((t, i) => complaint(at('10:31:00') + i * 55 * S, CHANNELS[i % 6], t));
  const neg = [];
  for (let i = 0; i < 9; i++) neg.push(complaint(at('13:10:00') + i * 100 * S, CHANNELS[i % 6], texts[i]));
  for (let i = 0; i < 5; i++) neg.push(complaint(at('13:12:00') + i * 2 * M, CHANNELS[i % 6], ['想咨询一下新股申购', 'How do I open a margin account?', '营业部电话打不通', '希望增加港股通', '理财产品收益太低'][i]));
  put('complaints_surge_trading', pos, byTime(neg));
}

// ---------------------------------------------------------------------------------------------
for (const [stem, sets] of Object.entries(files)) {
  const dir = path.join(HERE, stem);
  fs.mkdirSync(dir, { recursive: true });
  for (const [kind, events] of Object.entries(sets)) {
    fs.writeFileSync(path.join(dir, `${kind}.ndjson`), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  }
}
console.log(`wrote ${Object.keys(files).length} test folders under ${path.relative(process.cwd(), HERE) || '.'}`);
