import { describe, expect, it } from 'vitest';
import { formatBytes, takingClaims, uploadProblem } from './compensation-filing-api.js';

const MB = 1024 * 1024;

describe('claim attachments and portal filing helpers', () => {
  it('refuses before sending what the server would refuse: too many files, too large a file', () => {
    const f = (name: string, size = 10) => ({ name, size });
    expect(uploadProblem([f('a.pdf'), f('b.png')], 0)).toBeNull();
    expect(
      uploadProblem(
        ['1', '2', '3', '4', '5', '6'].map((n) => f(n)),
        0,
      ),
    ).toEqual({ key: 'tooMany', max: 5 });
    expect(uploadProblem([f('a.pdf'), f('b.pdf')], 19)).toEqual({ key: 'tooManyForClaim', max: 20 });
    expect(uploadProblem([f('ok.pdf'), f('scan.pdf', 10 * MB + 1)], 0)).toEqual({
      key: 'tooLarge',
      name: 'scan.pdf',
      max: 10,
    });
    expect(uploadProblem([f('edge.pdf', 10 * MB)], 0)).toBeNull();
  });

  it('writes sizes as people read them', () => {
    expect(formatBytes(532, 'en')).toBe('532 B');
    expect(formatBytes(12_345, 'en')).toBe('12.1 KB');
    expect(formatBytes(3.5 * MB, 'zh-CN')).toBe('3.5 MB');
  });

  it('takes claims while open and before its closing time', () => {
    const base = { titleZh: 't', titleEn: 't', openedAt: null, openedBy: null, filed: 0 };
    const now = Date.parse('2026-12-05T03:00:00Z');
    expect(takingClaims({ ...base, open: true, closesAt: null }, now)).toBe(true);
    expect(takingClaims({ ...base, open: true, closesAt: '2026-12-05T04:00:00Z' }, now)).toBe(true);
    expect(takingClaims({ ...base, open: true, closesAt: '2026-12-05T02:00:00Z' }, now)).toBe(false);
    expect(takingClaims({ ...base, open: false, closesAt: null }, now)).toBe(false);
  });
});
