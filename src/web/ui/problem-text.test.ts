/** The console words problems from their code and params in the reader's language, else shows the server's English. */
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../i18n/en.js';
import { zhCN } from '../i18n/zh-CN.js';
import { fieldText, problemText, type Words } from './problem-text.js';

const words: Record<'en' | 'zh-CN', Words> = {} as Record<'en' | 'zh-CN', Words>;

beforeAll(async () => {
  for (const lng of ['en', 'zh-CN'] as const) {
    const i = i18next.createInstance();
    await i.init({
      resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
      lng,
      fallbackLng: 'en',
      interpolation: { escapeValue: false },
      showSupportNotice: false,
    });
    words[lng] = { t: (k, o) => String(i.t(k as never, o as never)), exists: (k) => i.exists(k) };
  }
});

describe('problem text', () => {
  const transition = {
    code: 'incident.transition_not_allowed',
    params: { from: 'detected', to: 'closed' },
    detail: 'an incident cannot go from detected to closed',
  };

  it("words a known code with its params, enumeration values in the reader's words", () => {
    expect(problemText(words['zh-CN'], transition, 'zh-CN')).toEqual({ text: '事件不能从“已发现”变为“已关闭”。' });
    expect(problemText(words.en, transition, 'en')).toEqual({
      text: 'An incident cannot go from “Detected” to “Closed”.',
    });
    expect(problemText(words['zh-CN'], { code: 'auth.throttled', params: { seconds: 300 } }, 'zh-CN').text).toBe(
      '登录失败次数过多，请 5 分钟后再试，或请管理员解锁账户。',
    );
    expect(problemText(words.en, { code: 'auth.throttled', params: { seconds: 4 } }, 'en').text).toBe(
      'Too many failed sign-ins: try again in 4 s, or ask an administrator to unlock the account.',
    );
    expect(
      problemText(
        words['zh-CN'],
        { code: 'permission.denied', params: { role: 'executive', permission: 'incident.create' } },
        'zh-CN',
      ).text,
    ).toBe('您的角色（管理层）无权执行此操作（incident.create）。');
  });

  it("keeps the server's more specific detail beside a generic code", () => {
    const generic = { code: 'validation', detail: 'the request body is invalid: body.title: Too small' };
    expect(problemText(words['zh-CN'], generic, 'zh-CN')).toEqual({
      text: '部分字段不正确，见下方说明。',
      original: generic.detail,
    });
    expect(problemText(words.en, generic, 'en')).toEqual({ text: generic.detail });
  });

  it("falls back to the server's English detail for a code it does not know, or none", () => {
    expect(
      problemText(words['zh-CN'], { code: 'billing.card_declined', detail: 'the card was declined' }, 'zh-CN'),
    ).toEqual({ text: 'the card was declined' });
    expect(problemText(words['zh-CN'], { detail: 'an older server' }, 'zh-CN')).toEqual({ text: 'an older server' });
  });

  it("words field errors from zod's codes and ours, else shows the server's message", () => {
    const zh = words['zh-CN'];
    expect(
      fieldText(zh, {
        path: 'body.title',
        message: 'Too small: expected string to have >=1 characters',
        code: 'too_small',
        params: { minimum: 1, origin: 'string' },
      }),
    ).toBe('必填');
    expect(
      fieldText(zh, {
        path: 'body.password',
        message: 'Too small',
        code: 'too_small',
        params: { minimum: 12, origin: 'string' },
      }),
    ).toBe('至少 12 个字符');
    expect(
      fieldText(words.en, {
        path: 'body.severity',
        message: 'Too big',
        code: 'too_big',
        params: { maximum: 5, origin: 'number' },
      }),
    ).toBe('At most 5');
    expect(
      fieldText(zh, {
        path: 'body.email',
        message: 'Invalid email address',
        code: 'invalid_format',
        params: { format: 'email' },
      }),
    ).toBe('不是有效的邮箱地址');
    expect(
      fieldText(zh, {
        path: 'body.colour',
        message: 'unknown field "colour"',
        code: 'unrecognized_keys',
        params: { key: 'colour' },
      }),
    ).toBe('未知字段“colour”');
    expect(
      fieldText(zh, {
        path: 'endsAt',
        message: 'at most 31 days after startsAt',
        code: 'too_long_window',
        params: { days: 31 },
      }),
    ).toBe('最多在开始时间后 31 天');
    expect(fieldText(zh, { path: 'yaml.x', message: 'condition refers to an unknown selection' })).toBe(
      'condition refers to an unknown selection',
    );
    expect(fieldText(zh, { path: 'x', message: 'from a newer server', code: 'brand_new' })).toBe('from a newer server');
  });
});
