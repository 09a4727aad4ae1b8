/**
 * Topic tags and sentiment of a question from keyword rules in zh-CN and English (a small table, no
 * model): enough for the war room's "top topics" and to put angry customers first.
 */
import type { InquirySentiment, InquiryTopic } from '../../../shared/inquiry-schemas.js';

const TOPICS: Record<InquiryTopic, string[]> = {
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
    'withdraw',
    'deposit',
    'transfer',
  ],
  order: ['交易', '委托', '下单', '成交', '撤单', '买入', '卖出', 'order', 'trade', 'trading', 'buy', 'sell', 'fill'],
  compensation: ['赔偿', '补偿', '损失', '索赔', 'compensat', 'refund', 'loss', 'reimburse'],
  leak: ['泄露', '泄漏', '隐私', '个人信息', '被盗', 'leak', 'breach', 'stolen', 'privacy', 'personal data'],
  market_data: ['行情', '报价', '延迟', 'market data', 'quote', 'price feed'],
  app: ['app', '客户端', '闪退', '打不开', 'crash', 'cannot open', 'update'],
  fees: ['手续费', '佣金', '费用', 'fee', 'commission', 'charge'],
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
  'complain',
  'angry',
  'furious',
  'terrible',
  'awful',
  'scam',
  'fraud',
  'lawyer',
  'sue',
  'regulator',
  'unacceptable',
  'disappointed',
  'worst',
];
const POSITIVE = ['谢谢', '感谢', '辛苦', '满意', 'thank', 'thanks', 'appreciate', 'great'];

const fold = (text: string) => text.normalize('NFKC').toLowerCase();

/** The topics whose keywords the text contains, in the table's order. */
export function topicsOf(text: string): InquiryTopic[] {
  const t = fold(text);
  return (Object.keys(TOPICS) as InquiryTopic[]).filter((k) => TOPICS[k].some((w) => t.includes(w)));
}

/** Negative when a negative word appears (it outweighs thanks), positive on thanks alone, else neutral. */
export function sentimentOf(text: string): InquirySentiment {
  const t = fold(text);
  if (NEGATIVE.some((w) => t.includes(w))) return 'negative';
  if (POSITIVE.some((w) => t.includes(w))) return 'positive';
  return 'neutral';
}
