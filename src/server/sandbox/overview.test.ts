/** The overview page shows mail subjects readable: MIME encoded words decoded (the messages stay raw). */
import { describe, expect, it } from 'vitest';
import { decodeHeader } from './overview.js';

describe('decodeHeader', () => {
  it('decodes adjacent B and Q words as one run of UTF-8 bytes, even with a character split between them', () => {
    const bytes = Buffer.from('请及时修改您的交易密码', 'utf8');
    const b = (buf: Buffer) => `=?UTF-8?B?${buf.toString('base64')}?=`;
    expect(decodeHeader(`${b(bytes.subarray(0, 4))} ${b(bytes.subarray(4))}`)).toBe('请及时修改您的交易密码');
    expect(decodeHeader('=?utf-8?Q?INC-2026-0005_=E6=92=9E=E5=BA=93?= (demo)')).toBe('INC-2026-0005 撞库 (demo)');
  });

  it('leaves plain text alone', () => {
    expect(decodeHeader('Please change your trading password')).toBe('Please change your trading password');
  });
});
