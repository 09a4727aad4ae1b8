/**
 * From an import's rows (or a CRM item) to customer changes: the suggested column mapping from the
 * header (Chinese and English names), and every problem of a row, each with a code and its words in
 * both languages. Pure; the store-dependent checks (an account of another customer) are the service's.
 */
import {
  CUSTOMER_CHANNELS,
  CUSTOMER_OPT_OUTS,
  type CustomerUpsert,
  type ImportField,
  type ImportMapping,
  type RowProblem,
} from '../../../shared/customer-schemas.js';
import { isValidBankCard, isValidEmail, isValidIdNumber, isValidPhone, type PiiField } from './pii.js';

/** What to change on a customer; an absent key keeps the stored value, null clears it. */
export interface CustomerChange {
  customerNo: string;
  name?: string;
  pii: Partial<Record<PiiField, string | null>>;
  language?: 'zh-CN' | 'en';
  channel?: string | null;
  branch?: string | null;
  tier?: string | null;
  accountManager?: string | null;
  accounts?: string[];
  optOuts?: string[];
}

const HEADER_NAMES: Record<ImportField, string[]> = {
  customerNo: ['客户号', '客户编号', '客户代码', 'customerno', 'customernumber', 'customerid', 'clientno', 'clientid'],
  name: ['姓名', '客户姓名', '客户名称', '名称', 'name', 'customername', 'fullname'],
  phone: ['手机', '手机号', '手机号码', '电话', '联系电话', 'phone', 'mobile', 'phonenumber', 'mobilephone'],
  email: ['邮箱', '电子邮箱', '电子邮件', '邮件地址', 'email', 'emailaddress', 'mail'],
  idNumber: ['身份证号', '身份证号码', '证件号码', '证件号', 'idnumber', 'idno', 'idcard', 'nationalid'],
  bankCard: ['银行卡号', '银行卡', '银行账号', 'bankcard', 'bankcardno', 'cardnumber', 'bankaccount'],
  language: ['语言', '首选语言', 'language', 'lang', 'locale'],
  channel: ['渠道', '首选渠道', '通知渠道', 'channel', 'preferredchannel'],
  branch: ['营业部', '分支机构', '网点', 'branch', 'branchoffice'],
  tier: ['客户等级', '风险等级', '等级', 'tier', 'level', 'risktier', 'risklevel'],
  accountManager: ['客户经理', '经理', 'accountmanager', 'manager', 'relationshipmanager'],
  accounts: ['资金账号', '账号', '证券账号', '账户', 'accounts', 'account', 'accountno', 'accountnumbers'],
  optOuts: ['退订', '退订渠道', 'optouts', 'optout', 'unsubscribed'],
};

const headerKey = (h: string) =>
  h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.:：/()（）]/g, '');

/** The mapping a header suggests: each field to the first column named like it. */
export function suggestMapping(header: string[]): ImportMapping {
  const mapping: ImportMapping = {};
  const keys = header.map(headerKey);
  for (const [field, names] of Object.entries(HEADER_NAMES) as [ImportField, string[]][]) {
    const i = keys.findIndex((k) => names.includes(k));
    if (i >= 0 && !Object.values(mapping).includes(i)) mapping[field] = i;
  }
  return mapping;
}

const WORDS = {
  missing_customer_no: ['缺少客户号', 'customer no. is missing'],
  bad_customer_no: [
    '客户号格式不正确（仅限字母、数字和 . _ -，最长 64 位）',
    'customer no. is malformed (letters, digits, . _ -; up to 64)',
  ],
  missing_name: ['缺少姓名', 'name is missing'],
  bad_phone: [
    '手机号不正确（应为以 1 开头的 11 位中国大陆手机号或 +国际号码）',
    'phone is not a CN mobile (11 digits starting with 1) or a +E.164 number',
  ],
  bad_email: ['邮箱格式不正确', 'email is not a valid address'],
  bad_id_number: [
    '身份证号不正确（应为 18 位且校验位符合 GB 11643）',
    'ID number is not 18 characters with a valid GB 11643 check digit',
  ],
  bad_bank_card: ['银行卡号校验失败（Luhn）', 'bank card number fails the Luhn check'],
  unknown_language: ['未知语言（可用：中文、英文）', 'unknown language (zh-CN or en)'],
  unknown_channel: ['未知渠道（可用：短信、邮件、推送、电话）', 'unknown channel (sms, email, push, phone)'],
  unknown_opt_out: [
    '未知退订项（可用：短信、邮件、推送、电话、营销）',
    'unknown opt-out (sms, email, push, phone, marketing)',
  ],
  bad_account: ['账号格式不正确', 'account number is malformed'],
  too_long: ['内容过长', 'value is too long'],
  duplicate_customer_no: [
    '客户号在文件中重复（首次出现于第 {line} 行）',
    'customer no. repeats in the file (first on line {line})',
  ],
  duplicate_account: [
    '账号在文件中重复（首次出现于第 {line} 行）',
    'account number repeats in the file (first on line {line})',
  ],
  account_taken: [
    '账号 {account} 已属于其他客户 {customerNo}',
    'account {account} already belongs to customer {customerNo}',
  ],
} as const;
export type RowProblemCode = keyof typeof WORDS;

export function problem(
  field: string | null,
  code: RowProblemCode,
  params: Record<string, string | number> = {},
): RowProblem {
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
  const [zh, en] = WORDS[code];
  return { field, code, message: { zh: fill(zh), en: fill(en) } };
}

const LANGUAGES: Record<string, 'zh-CN' | 'en'> = {
  'zh-cn': 'zh-CN',
  zh: 'zh-CN',
  中文: 'zh-CN',
  简体中文: 'zh-CN',
  汉语: 'zh-CN',
  chinese: 'zh-CN',
  en: 'en',
  'en-us': 'en',
  'en-gb': 'en',
  english: 'en',
  英文: 'en',
  英语: 'en',
};
const CHANNELS: Record<string, string> = {
  sms: 'sms',
  短信: 'sms',
  email: 'email',
  mail: 'email',
  邮件: 'email',
  邮箱: 'email',
  push: 'push',
  推送: 'push',
  app推送: 'push',
  phone: 'phone',
  电话: 'phone',
  call: 'phone',
  marketing: 'marketing',
  营销: 'marketing',
};

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const splitList = (v: string) =>
  v
    .split(/[;,；，、\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Problems of the personal values of an upsert (shared by imports and the CRM API). */
export function piiProblems(pii: Partial<Record<PiiField, string | null>>): RowProblem[] {
  const out: RowProblem[] = [];
  if (pii.phone && !isValidPhone(pii.phone)) out.push(problem('phone', 'bad_phone'));
  if (pii.email && !isValidEmail(pii.email)) out.push(problem('email', 'bad_email'));
  if (pii.idNumber && !isValidIdNumber(pii.idNumber)) out.push(problem('idNumber', 'bad_id_number'));
  if (pii.bankCard && !isValidBankCard(pii.bankCard)) out.push(problem('bankCard', 'bad_bank_card'));
  return out;
}

/** A row read through the mapping: the change it asks for, or its problems (every one). */
export function readRow(cells: string[], mapping: ImportMapping): { change: CustomerChange; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const cell = (f: ImportField): string | undefined => {
    const i = mapping[f];
    if (i === undefined || i === null) return undefined;
    return (cells[i] ?? '').trim();
  };
  const optional = (f: ImportField, max: number): string | null | undefined => {
    const v = cell(f);
    if (v === undefined) return undefined;
    if (v.length > max) problems.push(problem(f, 'too_long'));
    return v === '' ? null : v.slice(0, max);
  };
  const customerNo = cell('customerNo') ?? '';
  if (!customerNo) problems.push(problem('customerNo', 'missing_customer_no'));
  else if (!ID_PATTERN.test(customerNo)) problems.push(problem('customerNo', 'bad_customer_no'));
  const change: CustomerChange = { customerNo, pii: {} };
  const name = cell('name');
  if (name !== undefined) {
    if (!name) problems.push(problem('name', 'missing_name'));
    else if (name.length > 200) problems.push(problem('name', 'too_long'));
    change.name = name;
  }
  for (const f of ['phone', 'email', 'idNumber', 'bankCard'] as const) {
    const v = optional(f, 64);
    if (v !== undefined) change.pii[f] = v;
  }
  problems.push(...piiProblems(change.pii));
  const lang = cell('language');
  if (lang) {
    const l = LANGUAGES[lang.toLowerCase()];
    if (!l) problems.push(problem('language', 'unknown_language'));
    else change.language = l;
  }
  const channel = cell('channel');
  if (channel !== undefined) {
    const c = channel === '' ? null : CHANNELS[channel.toLowerCase()];
    if (c === undefined || (c !== null && !(CUSTOMER_CHANNELS as readonly string[]).includes(c)))
      problems.push(problem('channel', 'unknown_channel'));
    else change.channel = c;
  }
  for (const f of ['branch', 'accountManager'] as const) {
    const v = optional(f, 200);
    if (v !== undefined) change[f] = v;
  }
  const tier = optional('tier', 64);
  if (tier !== undefined) change.tier = tier;
  const accounts = cell('accounts');
  if (accounts !== undefined) {
    const list = [...new Set(splitList(accounts))];
    if (list.some((a) => !ID_PATTERN.test(a)) || list.length > 50) problems.push(problem('accounts', 'bad_account'));
    change.accounts = list;
  }
  const optOuts = cell('optOuts');
  if (optOuts !== undefined) {
    const list = splitList(optOuts).map((o) => CHANNELS[o.toLowerCase()] ?? o);
    if (list.some((o) => !(CUSTOMER_OPT_OUTS as readonly string[]).includes(o)))
      problems.push(problem('optOuts', 'unknown_opt_out'));
    change.optOuts = [...new Set(list)];
  }
  return { change, problems };
}

/** A CRM item as a change that replaces every field (absent: cleared). */
export function changeOf(customerNo: string, u: CustomerUpsert): CustomerChange {
  return {
    customerNo,
    name: u.name,
    pii: { phone: u.phone || null, email: u.email || null, idNumber: u.idNumber || null, bankCard: u.bankCard || null },
    language: u.language,
    channel: u.channel ?? null,
    branch: u.branch || null,
    tier: u.tier || null,
    accountManager: u.accountManager || null,
    accounts: [...new Set(u.accounts)],
    optOuts: [...new Set(u.optOuts)],
  };
}
