import { describe, expect, it } from 'vitest';
import { codeInSms } from './portal-customer.js';

describe('the portal code in a customer text', () => {
  const ref = 'CMP-AB12-CD34-EF56';
  it('reads the code of this reference in Chinese and in English', () => {
    expect(codeInSms(`【东海证券】您查看补偿 ${ref} 的验证码为 042917，10 分钟内有效。`, ref)).toBe('042917');
    expect(codeInSms(`[Donghai] Your code for compensation ${ref} is 731004. It is valid for 10 minutes.`, ref)).toBe(
      '731004',
    );
  });
  it('ignores texts of another reference and texts without a code', () => {
    expect(codeInSms('【东海证券】您查看补偿 CMP-ZZZZ-ZZZZ-ZZZZ 的验证码为 042917', ref)).toBeNull();
    expect(codeInSms(`补偿 ${ref} 已于 12 月 5 日支付`, ref)).toBeNull();
  });
});
