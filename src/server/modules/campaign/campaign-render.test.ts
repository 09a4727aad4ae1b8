/** One customer's message: the notice's Markdown as plain text on SMS and email, the variables filled. */
import { describe, expect, it } from 'vitest';
import { renderFor } from './campaign-render.js';

const notice = {
  title: { zh: '请及时修改您的交易密码', en: 'Please change your trading password' },
  body: {
    zh: '尊敬的{{ name }}（客户号 {{ customerNo }}）：\n\n**请您尽快：**\n\n1. 修改交易密码；\n2. 核对近期委托。',
    en: 'Dear {{ name }} ({{ customerNo }}),\n\n**Please, as soon as possible:**\n\n1. Change your password;\n2. Check your trades.',
  },
};
const contact = {
  id: 'c1',
  customerNo: 'DH100000',
  name: '王 & <建国>',
  language: 'zh-CN' as const,
  channel: 'sms',
  optOuts: [],
  tier: 'vip',
  phone: '13810000000',
  email: 'w@example.cn',
};
const campaign = { channels: ['sms', 'email'] as const, mandatory: true, incidentKey: 'INC-2026-0005' };

describe('renderFor', () => {
  it('sends SMS as the title line and the body as plain text: no Markdown marks, list numbers kept, the name as given', () => {
    const r = renderFor(notice, contact, { ...campaign, channels: [...campaign.channels] });
    expect(r).toMatchObject({ channel: 'sms', language: 'zh-CN', subject: '请及时修改您的交易密码' });
    expect(r.text).toBe(
      '请及时修改您的交易密码\n尊敬的王 & <建国>（客户号 DH100000）：\n请您尽快：\n\n1. 修改交易密码；\n2. 核对近期委托。',
    );
  });

  it('sends an English customer the English text by email, plain', () => {
    const r = renderFor(
      notice,
      { ...contact, name: 'Emily Zhang', language: 'en', channel: 'email' },
      { ...campaign, channels: [...campaign.channels] },
    );
    expect(r).toMatchObject({ channel: 'email', language: 'en', subject: 'Please change your trading password' });
    expect(r.text).toBe(
      'Dear Emily Zhang (DH100000),\nPlease, as soon as possible:\n\n1. Change your password;\n2. Check your trades.',
    );
  });
});
