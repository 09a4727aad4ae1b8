/** Topic tags by phrase: what was stolen decides between an account takeover, a funds question and a data leak (zh and en). */
import { describe, expect, it } from 'vitest';
import { sentimentOf, topicsOf } from './inquiry-topics.js';

describe('inquiry topic phrases', () => {
  it.each([
    // zh: an account taken over is no data leak
    ['账户被盗', ['account_takeover']],
    ['我的账号好像被盗了，怎么办？', ['account_takeover']],
    ['帐户被人登录了', ['account_takeover']],
    ['被盗号了', ['account_takeover']],
    ['资金被盗', ['funds', 'account_takeover']],
    ['我账户里的钱被转走了', ['funds', 'account_takeover']],
    ['股票被盗卖了吗', ['funds', 'account_takeover']],
    ['我的个人信息被盗了', ['leak']],
    ['客户资料被窃', ['leak']],
    ['听说客户信息泄露了', ['leak']],
    ['被盗', []],
    ['登录不了，资金被冻结了吗？', ['login', 'funds']],
    // en
    ['account hacked', ['account_takeover']],
    ['My trading account was hacked yesterday', ['account_takeover']],
    ['Someone logged into my account', ['account_takeover']],
    ['money stolen', ['funds', 'account_takeover']],
    ['Somebody stole my money!', ['funds', 'account_takeover']],
    ['Were my funds stolen?', ['funds', 'account_takeover']],
    ['Was my personal data stolen?', ['leak']],
    ['Was my data leaked?', ['leak']],
    ['My phone was stolen', []],
    ['My ORDER was not filled, will you compensate me?', ['order', 'compensation']],
    // words, not letters inside other words
    ['I am happy with the feedback', []],
  ] as const)('%s → %j', (text, topics) => {
    expect(topicsOf(text)).toEqual(topics);
  });

  it.each([
    ['I have an issue with my login', 'neutral'],
    ['I will sue you', 'negative'],
    ['This is a scam', 'negative'],
    ['Thanks a lot', 'positive'],
    ['账户被盗，我要投诉', 'negative'],
  ] as const)('sentiment of %s is %s', (text, sentiment) => {
    expect(sentimentOf(text)).toBe(sentiment);
  });
});
