/** A FAQ answer as the canned text customers read on the help page: plain, with list markers kept. */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../platform/markdown.js';
import { plainText } from './inquiry.mapper.js';

describe('plainText of a FAQ answer', () => {
  it('keeps the numbers of an ordered list and bullets of the others, as the customer notice writes its steps', () => {
    const md = '**请您尽快：**\n\n1. 修改交易密码；\n2. 核对近期委托；\n\n- 不要重复使用密码\n- 我司不会索要验证码';
    const text = plainText(renderMarkdown(md));
    expect(text).toContain('请您尽快：');
    expect(text).toMatch(/1\. 修改交易密码；\n+2\. 核对近期委托；/);
    expect(text).toMatch(/• 不要重复使用密码\n+• 我司不会索要验证码/);
    expect(text).not.toMatch(/<|\*\*/);
  });

  it('an ordered list that starts later keeps its numbers', () => {
    expect(plainText(renderMarkdown('3. third\n4. fourth'))).toMatch(/3\. third\n+4\. fourth/);
  });
});
