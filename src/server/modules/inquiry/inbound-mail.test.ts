/**
 * The pure parts of inquiries by email: the quoted tail of a reply cut off (en and zh clients), the
 * recipient allow-list (addresses and whole domains), and the configuration that turns the listener on.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../platform/config.js';
import { allowedRecipient } from './inbound-smtp.js';
import { parseInbound, withoutQuote } from './inbound-mail.js';

describe('inbound mail', () => {
  it('keeps the new text of a reply and cuts the quote', () => {
    expect(withoutQuote('Thanks, please hurry.\r\n\r\nOn Fri, 4 Dec 2026 at 08:00, Tocsin wrote:\r\n> Hello')).toBe(
      'Thanks, please hurry.',
    );
    expect(withoutQuote('谢谢。\n\n在 2026年12月4日 周五 08:00，Tocsin 写道：\n> 您好')).toBe('谢谢。');
    expect(withoutQuote('Hi\n\n-----Original Message-----\nFrom: help')).toBe('Hi');
    expect(withoutQuote('line one\n\n\n\nline two')).toBe('line one\n\nline two');
  });

  it('takes mail only for the allowed addresses and domains, whatever the case', () => {
    const allow = ['help@firm.example', '@support.firm.example', 'kefu.firm.example'];
    expect(allowedRecipient(allow, 'Help@Firm.Example')).toBe(true);
    expect(allowedRecipient(allow, 'anyone@support.firm.example')).toBe(true);
    expect(allowedRecipient(allow, 'x@kefu.firm.example')).toBe(true);
    expect(allowedRecipient(allow, 'ceo@firm.example')).toBe(false);
    expect(allowedRecipient(allow, 'help@firm.example.evil')).toBe(false);
    expect(allowedRecipient(allow, 'not-an-address')).toBe(false);
  });

  it('reads GB2312 subjects, the sender and the threading headers', async () => {
    const raw = Buffer.from(
      [
        'From: =?UTF-8?B?5byg5LiJ?= <zhang@example.com>',
        'To: help@firm.example',
        'Subject: =?GB2312?B?1cu7p87KzOI=?=',
        'Message-ID: <m1@example.com>',
        'In-Reply-To: <a1@tocsin>',
        'References: <m0@example.com> <a1@tocsin>',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'hello',
        '',
      ].join('\r\n'),
    );
    expect(await parseInbound(raw)).toEqual({
      messageId: 'm1@example.com',
      answers: ['a1@tocsin', 'm0@example.com'],
      from: { address: 'zhang@example.com', name: '张三' },
      subject: '账户问题',
      text: 'hello',
      language: 'zh-CN',
    });
  });

  it('needs the recipients when the listener is turned on', () => {
    expect(() => loadConfig({ TOCSIN_INBOUND_SMTP_PORT: '2525' })).toThrow(ConfigError);
    const c = loadConfig({
      TOCSIN_INBOUND_SMTP_PORT: '2525',
      TOCSIN_INBOUND_ADDRESSES: 'Help@Firm.example, @kefu.firm.example',
    });
    expect(c.inbound).toEqual({
      port: 2525,
      host: '127.0.0.1',
      allow: ['help@firm.example', '@kefu.firm.example'],
      maxBytes: 10 * 1024 * 1024,
    });
    expect(loadConfig({}).inbound.port).toBeNull();
  });
});
