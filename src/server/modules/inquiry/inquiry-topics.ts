/**
 * Topic tags and sentiment of a question from keyword rules in zh-CN and English (a small table, no
 * model): enough for the war room's "top topics" and to put angry customers first.
 *
 * Matching is phrase-level: first the phrase rules (what was stolen or taken over: "账户被盗" and
 * "account hacked" are an account takeover, "资金被盗" and "money stolen" a takeover about funds, "信息被盗"
 * and "data stolen" a leak) tag the question and their words are taken out, then the keywords of the
 * table are looked for in what is left. A bare "被盗"/"stolen" says nothing of a leak by itself. Chinese
 * keywords match anywhere; English ones as words (a keyword ending in `*` as a word's start; plain
 * ones also with -s, -es, -ed, -d, -ing), so "issue" is not "sue" nor "happy" "app".
 */
import type { InquirySentiment, InquiryTopic } from '../../../shared/inquiry-schemas.js';
import { INQUIRY_TOPICS } from '../../../shared/inquiry-schemas.js';

/** Phrase rules, tried first; the words they matched are not read again by the keywords. */
const PHRASES: { re: RegExp; topics: InquiryTopic[] }[] = [
  {
    re: /(账户资金|资金|钱|余额|存款|股票|持仓|证券)[^，。！？,.!?]{0,4}(被盗|被偷|被转走|被盗刷)|盗刷/g,
    topics: ['funds', 'account_takeover'],
  },
  {
    re: /(交易账户|证券账户|资金账户|账户|账号|帐户|帐号)[^，。！？,.!?]{0,4}(被盗|被黑|被入侵|被盗用|被人登录|被别人登录)|被盗号|盗号|异地登录/g,
    topics: ['account_takeover'],
  },
  { re: /(信息|资料|数据|身份|隐私)[^，。！？,.!?]{0,4}(被盗|被窃)/g, topics: ['leak'] },
  {
    re: /\b(money|funds|cash|savings|shares|stocks?)\b[^.!?,;]{0,20}\b(stolen|drained)\b|\bst(?:ole|olen)\b[^.!?,;]{0,12}\b(money|funds|cash|savings|shares)\b/g,
    topics: ['funds', 'account_takeover'],
  },
  {
    re: /\b((trading|securities|brokerage)\s+)?(accounts?|logins?|passwords?)\b[^.!?,;]{0,20}\b(hacked|compromised|taken over|hijacked|stolen|broken into)\b|\b(hacked|compromised|hijacked|stolen)\s+(trading\s+)?(accounts?|logins?|passwords?)\b|\baccount takeover\b|\bsomeone (else )?(logged|signed) in/g,
    topics: ['account_takeover'],
  },
  {
    re: /\b(data|information|info|details|identity)\b[^.!?,;]{0,15}\b(stolen|leaked|exposed)\b|\bstolen\s+(data|information|details|identity)\b/g,
    topics: ['leak'],
  },
];

const KEYWORDS: Record<InquiryTopic, string[]> = {
  login: ['登录', '登陆', '密码', '验证码', '账号', 'login', 'log in', 'sign in', 'password', 'locked out'],
  funds: [
    '资金',
    '余额',
    '转账',
    '出金',
    '入金',
    '银证',
    '钱',
    'funds',
    'balance',
    'money',
    'withdraw*',
    'deposit',
    'transfer',
  ],
  order: ['交易', '委托', '下单', '成交', '撤单', '买入', '卖出', 'order', 'trade', 'trading', 'buy', 'sell', 'fill'],
  compensation: ['赔偿', '补偿', '损失', '索赔', 'compensat*', 'refund', 'loss', 'reimburs*'],
  leak: ['泄露', '泄漏', '隐私', '个人信息', 'leak', 'breach', 'privacy', 'personal data'],
  market_data: ['行情', '报价', '延迟', 'market data', 'quote', 'price feed'],
  app: ['app', '客户端', '闪退', '打不开', 'crash', 'cannot open', 'update'],
  fees: ['手续费', '佣金', '费用', 'fee', 'commission', 'charge'],
  account_takeover: ['盗号', '账户被盗', 'hacked', 'account takeover', 'unauthori?ed login'],
};

const NEGATIVE = [
  '投诉',
  '不满',
  '愤怒',
  '生气',
  '垃圾',
  '骗',
  '太差',
  '失望',
  '报警',
  '监管',
  '起诉',
  '律师',
  '赔偿',
  '损失',
  'complain*',
  'angry',
  'furious',
  'terrible',
  'awful',
  'scam*',
  'fraud*',
  'lawyer',
  'sue',
  'regulator',
  'unacceptable',
  'disappointed',
  'worst',
];
const POSITIVE = ['谢谢', '感谢', '辛苦', '满意', 'thank*', 'appreciate*', 'great'];

const fold = (text: string) => text.normalize('NFKC').toLowerCase();

/** A keyword as a test: Chinese anywhere; English as a word (see above). */
function matcher(word: string): (text: string) => boolean {
  if (!/[a-z]/.test(word)) return (text) => text.includes(word);
  const prefix = word.endsWith('*');
  const body = (prefix ? word.slice(0, -1) : word)
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\?/g, '.')
    .replace(/ /g, '\\s+');
  const re = new RegExp(prefix ? `(?<![a-z])${body}` : `(?<![a-z])${body}(?:s|es|ed|d|ing)?(?![a-z])`);
  return (text) => re.test(text);
}

const compile = (words: string[]) => words.map(matcher);
const KEYWORD_TESTS = Object.fromEntries(Object.entries(KEYWORDS).map(([k, words]) => [k, compile(words)])) as Record<
  InquiryTopic,
  ((text: string) => boolean)[]
>;
const NEGATIVE_TESTS = compile(NEGATIVE);
const POSITIVE_TESTS = compile(POSITIVE);

/** The topics of the text, in INQUIRY_TOPICS order: phrase rules first, then keywords in what is left. */
export function topicsOf(text: string): InquiryTopic[] {
  let rest = fold(text);
  const found = new Set<InquiryTopic>();
  for (const { re, topics } of PHRASES) {
    rest = rest.replace(re, () => {
      for (const t of topics) found.add(t);
      return ' ';
    });
  }
  for (const k of INQUIRY_TOPICS) if (KEYWORD_TESTS[k].some((test) => test(rest))) found.add(k);
  return INQUIRY_TOPICS.filter((k) => found.has(k));
}

/** Negative when a negative word appears (it outweighs thanks), positive on thanks alone, else neutral. */
export function sentimentOf(text: string): InquirySentiment {
  const t = fold(text);
  if (NEGATIVE_TESTS.some((test) => test(t))) return 'negative';
  if (POSITIVE_TESTS.some((test) => test(t))) return 'positive';
  return 'neutral';
}
