import { describe, expect, it } from 'vitest';
import { fromForm, localInputToMs, msToLocalInput, pairLines, toForm } from './statement-form.js';

const version = {
  title: { zh: '标题', en: 'Title' },
  body: { zh: '正文', en: 'Body' },
  fields: {
    status: 'identified' as const,
    startedAt: Date.UTC(2026, 10, 28, 6, 30),
    cause: { zh: '撞库', en: 'Credential stuffing' },
    customerGroups: [
      { zh: '零售客户', en: 'Retail customers' },
      { zh: '', en: 'Margin customers' },
    ],
  },
};

describe('statement form', () => {
  it('round-trips a version through the form', () => {
    const out = fromForm(toForm(version), true);
    expect(out.title).toEqual(version.title);
    expect(out.fields).toMatchObject({
      status: 'identified',
      startedAt: version.fields.startedAt,
      detectedAt: null,
      cause: version.fields.cause,
      customerGroups: version.fields.customerGroups,
      regions: [],
      services: [],
    });
    expect(out.fields).not.toHaveProperty('impact');
    expect(out.fields).not.toHaveProperty('measures');
  });

  it('leaves the fields out for kinds that are not published on the status site', () => {
    expect(fromForm(toForm(version), false)).not.toHaveProperty('fields');
  });

  it('pairs lines of both languages by position and drops empty pairs', () => {
    expect(pairLines({ zh: '甲\n\n乙', en: 'A\n\nB\nC' })).toEqual([
      { zh: '甲', en: 'A' },
      { zh: '乙', en: 'B' },
      { zh: '', en: 'C' },
    ]);
  });

  it('converts datetime-local text and epoch milliseconds both ways', () => {
    const ms = localInputToMs('2026-11-28T14:30');
    expect(ms).not.toBeNull();
    expect(msToLocalInput(ms)).toBe('2026-11-28T14:30');
    expect(localInputToMs('')).toBeNull();
    expect(msToLocalInput(null)).toBe('');
  });
});
