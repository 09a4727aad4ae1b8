import { describe, expect, it } from 'vitest';
import { dispositionName } from './file-download.js';
import { newBatchId } from './payouts-api.js';

describe('payout batch helpers', () => {
  it('names a batch after its incident and the second it was asked for: a double click makes one', () => {
    const at = new Date('2026-12-05T01:26:52.400Z');
    expect(newBatchId('INC-2026-0001', at)).toBe('PAY-INC-2026-0001-20261205012652');
    expect(newBatchId('INC-2026-0001', new Date(at.getTime() + 500))).toBe(newBatchId('INC-2026-0001', at));
  });

  it("saves a download under the server's name, the UTF-8 one first", () => {
    expect(dispositionName(`attachment; filename="PAY-1_.csv"; filename*=UTF-8''PAY-1%E8%B5%94.csv`, 'x.csv')).toBe(
      'PAY-1赔.csv',
    );
    expect(dispositionName('attachment; filename="PAY-1.csv"', 'x.csv')).toBe('PAY-1.csv');
    expect(dispositionName(null, 'x.csv')).toBe('x.csv');
  });
});
