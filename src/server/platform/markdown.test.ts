/** The one Markdown renderer: formatting kept, script and handlers never through, links made safe. */
import { describe, expect, it } from 'vitest';
import { markdownToPlain, markdownToText, renderMarkdown } from './markdown.js';

describe('renderMarkdown', () => {
  it('renders the formatting a statement uses', () => {
    const html = renderMarkdown('# 公告\n\n**已恢复** 交易服务\n\n- 一\n- 二\n\n[详情](https://example.com/a)');
    expect(html).toContain('<h2>公告</h2>');
    expect(html).toContain('<strong>已恢复</strong>');
    expect(html).toContain('<li>一</li>');
    expect(html).toContain('<a href="https://example.com/a" rel="noopener noreferrer nofollow">详情</a>');
  });

  it('closes emphasis next to Chinese punctuation, as a Chinese writer types it', () => {
    expect(renderMarkdown('**温馨提示：**请勿在不同平台使用相同密码。')).toBe(
      '<p><strong>温馨提示：</strong>请勿在不同平台使用相同密码。</p>',
    );
    expect(renderMarkdown('这是**“撞库”**攻击')).toContain('<strong>“撞库”</strong>');
  });

  it.each([
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '[click](javascript:alert(1))',
    '<a href="javascript:alert(1)">x</a>',
    '<svg onload=alert(1)>',
    '<iframe src="https://evil.example"></iframe>',
    '"><script>alert(1)</script>',
  ])('never lets %s execute', (payload) => {
    const html = renderMarkdown(`before ${payload} after`);
    // No element but the allowed ones, no handler attribute inside a tag, no javascript: link (as text it is harmless).
    expect(html).not.toMatch(/<(script|img|svg|iframe)/i);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).not.toMatch(/<a[^>]*href="\s*javascript:/i);
    expect(html).toContain('before');
  });

  it('gives plain text for feeds and mail', () => {
    expect(markdownToText('**交易** 已恢复 <b>x</b>')).toBe('交易 已恢复 &lt;b&gt;x&lt;/b&gt;');
    expect(renderMarkdown('   ')).toBe('');
  });
});

describe('markdownToPlain', () => {
  it('is text for SMS and text mails: no Markdown marks, list numbers and bullets kept, escapes undone', () => {
    expect(markdownToPlain('**Note:** A & B <b>\n\n1. one\n2. two\n\n- x\n- y')).toBe(
      'Note: A & B <b>\n\n1. one\n2. two\n\n• x\n• y',
    );
  });
});
