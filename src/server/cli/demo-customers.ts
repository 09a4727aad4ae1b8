/**
 * The demo firm's customers (issue 12): the accounts the credential-stuffing scenario uses
 * (scenario-credential-stuffing.ts) belong to fictional customers with names, phones, emails, language,
 * channel, branch, tier and account manager; owner pools per branch. Loaded through the customer
 * module's CRM sync, so personal data is sealed and hashed there, never written raw.
 *
 * The attack tries `A10000000`..`A10000149` and gets into `A10000000`, `A10000013` and `A10000026`
 * (the victims, one per branch, zh-CN by SMS, English by email, zh-CN by email); ordinary customers
 * sign in on `B20000000`..`B20000039` at the same time.
 */
import type { CustomerSyncBatch } from '../../shared/customer-schemas.js';
import type { Services } from '../compose.js';
import type { Principal } from '../modules/auth/index.js';
import { CliError } from './context.js';
import { DEMO_FIRM } from './demo-data.js';

export const DEMO_BRANCHES = ['上海分公司', '北京分公司', '深圳分公司'] as const;

/** The accounts the scenario gets into, with who owns them (the scoping query must find exactly these). */
export const DEMO_VICTIMS = [
  // VIP in Shanghai with an account manager; Beijing with none; Shenzhen with a manager named by staff number.
  {
    accountNo: 'A10000000',
    customerNo: 'DH100000',
    name: '王建国',
    email: 'wangjianguo@example.cn',
    language: 'zh-CN',
    channel: 'sms',
    manager: 0,
  },
  {
    accountNo: 'A10000013',
    customerNo: 'DH100013',
    name: 'Emily Zhang',
    email: 'emily.zhang@example.com',
    language: 'en',
    channel: 'email',
    manager: null,
  },
  {
    accountNo: 'A10000026',
    customerNo: 'DH100026',
    name: '李秀英',
    email: 'lixiuying@example.cn',
    language: 'zh-CN',
    channel: 'email',
    manager: 'E1024',
  },
] as const;

const SURNAMES = ['张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林'];
const GIVEN = ['伟', '芳', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超'];
const EN_FIRST = ['David', 'Grace', 'Kevin', 'Linda', 'Michael', 'Sophie', 'Jason', 'Helen'];
const EN_LAST = ['Wang', 'Li', 'Chen', 'Liu', 'Zhou', 'Wu', 'Xu', 'Sun'];

const domain = DEMO_FIRM.domain;
/** Account managers and owner pools: customer-service staff (demo users, demo-data.ts). */
const MANAGERS = [`liu.yang@${domain}`, `huang.jing@${domain}`, `sun.li@${domain}`] as const;

type Item = CustomerSyncBatch['items'][number];

/** A customer of an attacked account (`A…`, i = 0..149) or of an ordinary one (`B…`, i = 0..39). */
function customer(kind: 'A' | 'B', i: number): Item {
  const accountNo = `${kind}${(kind === 'A' ? 10_000_000 : 20_000_000) + i}`;
  const victim = DEMO_VICTIMS.find((v) => v.accountNo === accountNo);
  const n = kind === 'A' ? i : 150 + i;
  const english = victim ? victim.language === 'en' : n % 5 === 3;
  const name = victim?.name ?? (english ? `${EN_FIRST[n % 8]} ${EN_LAST[(n >> 3) % 8]}` : nameZh(n));
  const branch = DEMO_BRANCHES[n % 3]!;
  const phone = `+86 138${String(10_000_000 + n * 7919).slice(-8)}`;
  // A fictional debit card (the demo bank's 622202 prefix; Luhn-valid) for compensation payouts.
  const card = `622202${String(100_000_000_000 + n * 104_729).slice(-12)}`;
  const mailbox = english ? `${name.toLowerCase().replace(/\s+/g, '.')}.${n}` : `c${n}`;
  return {
    customerNo: `DH${accountNo.slice(1, 2)}${accountNo.slice(-5)}`,
    name,
    phone,
    email: victim?.email ?? `${mailbox}@example.${n % 2 === 0 ? 'com' : 'cn'}`,
    language: english ? 'en' : 'zh-CN',
    channel: victim?.channel ?? (n % 4 === 1 ? 'email' : 'sms'),
    branch,
    tier: n % 10 === 0 ? 'vip' : n % 3 === 0 ? 'gold' : 'standard',
    // Some customers have an account manager (by email, as the CRM names them); one by staff number,
    // which assignment cannot match (it falls through to the branch pool).
    accountManager: victim
      ? typeof victim.manager === 'number'
        ? MANAGERS[victim.manager]
        : victim.manager
      : n % 11 === 0
        ? MANAGERS[0]
        : n % 11 === 5
          ? MANAGERS[1]
          : null,
    bankCard: `${card}${luhnDigit(card)}`,
    accounts: [accountNo],
    optOuts: n % 9 === 4 ? ['marketing'] : [],
  };
}

/** The Luhn check digit of `digits`. */
function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

const nameZh = (n: number) => `${SURNAMES[n % 16]}${GIVEN[(n * 7) % 16]}${n % 3 ? GIVEN[(n * 3 + 5) % 16] : ''}`;

/** Every demo customer: 150 behind the attacked accounts, 40 ordinary ones. */
export function demoCustomers(): Item[] {
  return [
    ...Array.from({ length: 150 }, (_, i) => customer('A', i)),
    ...Array.from({ length: 40 }, (_, i) => customer('B', i)),
  ];
}

export interface DemoCustomers {
  customers: number;
  victims: { customerNo: string; name: string; accountNo: string; email: string; language: string; channel: string }[];
  pools: { branch: string; members: string[] }[];
}

/** Loads the customers through the customer module and one owner pool per branch. */
export async function loadDemoCustomers(
  s: Services,
  admin: Principal,
  people: Map<string, string>,
): Promise<DemoCustomers> {
  const items = demoCustomers();
  const r = await s.customers.customers.sync(admin, { items });
  const bad = r.items.filter((x) => x.outcome === 'rejected');
  if (bad.length)
    throw new CliError(
      `demo customers refused: ${bad.map((b) => `${b.customerNo} ${b.problems.map((p) => p.message.en).join(', ')}`).join('; ')}`,
    );
  const id = (email: string) => {
    const userId = people.get(email);
    if (!userId) throw new CliError(`the demo has no user ${email}`);
    return userId;
  };
  const pools = [
    { branch: DEMO_BRANCHES[0], members: [MANAGERS[0]] },
    { branch: DEMO_BRANCHES[1], members: [MANAGERS[1]] },
    { branch: DEMO_BRANCHES[2], members: [MANAGERS[2], MANAGERS[1]] },
  ];
  for (const p of pools)
    await s.owners.pools.put(admin, { kind: 'branch', name: p.branch, userIds: p.members.map(id) });
  return {
    customers: items.length,
    victims: DEMO_VICTIMS.map(({ manager: _, ...v }) => v),
    pools,
  };
}

/** The customers' lines of `tocsin demo`'s summary. */
export function printDemoCustomers(out: (line: string) => void, c: DemoCustomers): void {
  out(
    `  Customers / 客户: ${c.customers} (behind the accounts the credential-stuffing scenario uses / 撞库场景所用账户的客户; phone and email sealed / 手机号与邮箱加密存储)`,
  );
  for (const p of c.pools) out(`    owner pool / 责任人池: ${p.branch}  ${p.members.join(', ')}`);
}

/** The victims who ask on /help in the demo: 王建国 by phone in Chinese, Emily Zhang by email in English. */
export function demoAskers(): {
  name: string;
  via: 'phone' | 'email';
  contact: string;
  language: 'zh-CN' | 'en';
  question: string;
}[] {
  const all = demoCustomers();
  const [wang, emily] = DEMO_VICTIMS.map((v) => all.find((c) => c.customerNo === v.customerNo)!);
  return [
    {
      name: wang!.name,
      via: 'phone',
      contact: wang!.phone!,
      language: 'zh-CN',
      question: '我收到短信说账户被盗登录，资金安全吗？需要做什么？',
    },
    {
      name: emily!.name,
      via: 'email',
      contact: emily!.email!,
      language: 'en',
      question: 'I got an email saying someone signed in to my account. Is my money safe, and what should I do?',
    },
  ];
}
