/**
 * How a claim is said to its customer, in zh-CN and English: the amount in yuan (exact, from fen), the
 * basis of the amount and the goodwill gesture in plain words. Shared by the portal's pages and the
 * notices, so the customer reads the same words in both.
 */
export type CustomerLang = 'zh-CN' | 'en';

/** `123456` fen -> `1,234.56` (integers only: no floating point). */
export function yuanText(minor: number): string {
  const neg = minor < 0;
  const abs = Math.abs(Math.trunc(minor));
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${neg ? '-' : ''}${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** The amount as the customer reads it: `1,234.56 元` or `CNY 1,234.56`. */
export const moneyText = (minor: number, lang: CustomerLang) =>
  lang === 'en' ? `CNY ${yuanText(minor)}` : `${yuanText(minor)} 元`;

const BASIS: Record<CustomerLang, Record<string, string>> = {
  'zh-CN': {
    price_diff: '故障期间委托未能成交造成的价差损失',
    fraud_loss: '账户被盗用造成的损失',
    delayed_funds: '资金延迟到账的利息损失',
    fee_refund: '退还相关手续费',
    fixed: '统一补偿标准',
    claimed: '您申报的损失',
    goodwill: '善意补偿',
  },
  en: {
    price_diff: 'the price difference of orders the outage kept from being filled',
    fraud_loss: 'the loss from unauthorised use of your account',
    delayed_funds: 'interest lost on funds that arrived late',
    fee_refund: 'a refund of the fees charged',
    fixed: 'the fixed compensation for everyone affected',
    claimed: 'the loss you told us about',
    goodwill: 'a goodwill payment',
  },
};

export const basisText = (basis: string, lang: CustomerLang) => BASIS[lang][basis] ?? basis;

/** The goodwill gesture in words, or null when there is none. */
export function goodwillText(kind: string | null, minor: number | null, lang: CustomerLang): string | null {
  if (!kind) return null;
  if (kind === 'fixed_amount')
    return lang === 'en'
      ? `a goodwill payment of ${moneyText(minor ?? 0, lang)}`
      : `善意补偿 ${moneyText(minor ?? 0, lang)}`;
  if (kind === 'fee_waiver') return lang === 'en' ? 'a waiver of trading fees' : '减免交易手续费';
  if (kind === 'service_upgrade') return lang === 'en' ? 'an upgrade of your service level' : '升级您的服务等级';
  return kind;
}

const BEIJING_MINUTE = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
/** `2026-12-04 10:30`, Beijing time, as the customer's texts and pages give times. */
export const beijingMinute = (ms: number) => BEIJING_MINUTE.format(new Date(ms));
