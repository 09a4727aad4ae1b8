/**
 * Evaluation of the shipped catalog against hand-computed cases: which obligations apply, from which
 * moment they count, their deadlines (UTC), unknown facts, and what a change of facts starts or stops.
 */
import { describe, expect, test } from 'vitest';
import type { ObligationFacts } from '../../../shared/obligation-schemas.js';
import { bundledObligationCatalog } from './catalog.js';
import { compareEvaluations, evaluate } from './evaluate.js';

const catalog = bundledObligationCatalog();
const run = (facts: ObligationFacts) => evaluate(catalog.obligations, facts, catalog.calendars);
const entry = (facts: ObligationFacts, id: string) => run(facts).entries.find((e) => e.obligation === id);
const ids = (facts: ObligationFacts) => run(facts).entries.map((e) => e.obligation);

const cnFirm = { jurisdictions: ['CN' as const], cii_operator: false };

test('the shipped catalog has every obligation of issue 13, each with its stage', () => {
  expect(catalog.obligations.map((o) => `${o.id}/${o.stages.map((s) => s.stage).join(',')}`)).toEqual([
    'cac-closeout/closeout',
    'cac-report/initial',
    'csrc-emergency/initial',
    'dora-final/final',
    'dora-initial/initial',
    'dora-intermediate/intermediate',
    'pipl-notice/notice',
    'sec-8k-1.05/initial',
    'sec-regsp-notice/notice',
    'sfc-report/initial',
  ]);
});

describe('CAC', () => {
  const discovered = '2026-03-02T09:00:00+08:00'; // 01:00Z

  test('grade III, not a CII operator: 4 hours from discovery; close-out 30 days after handling ended', () => {
    const facts = {
      firm: cnFirm,
      incident: { grade: 'III' as const, discovered_at: discovered, handling_ended_at: '2026-03-10T15:00:00+08:00' },
    };
    // 01:00Z + 4 h = 05:00Z.
    expect(entry(facts, 'cac-report')).toMatchObject({
      stage: 'initial',
      due: '2026-03-02T05:00:00Z',
      applies: 'yes',
      starts: '2026-03-02T01:00:00Z',
    });
    expect(entry(facts, 'cac-report')!.why).toBe(
      'Applies: the firm operates in CN; graded III (较大), at or above III (较大). Counts 4 hours from discovery (2026-03-02T01:00:00Z).',
    );
    // Handling ended Tue 2026-03-10 (Beijing) + 30 days = Thu 2026-04-09; its end = 2026-04-10 00:00 Beijing = 2026-04-09T16:00Z.
    expect(entry(facts, 'cac-closeout')).toMatchObject({ stage: 'closeout', due: '2026-04-09T16:00:00Z' });
  });

  test('a CII operator: 1 hour; CII designation unknown: the 1-hour limit, said so', () => {
    const incident = { grade: 'II' as const, discovered_at: discovered };
    // 01:00Z + 1 h = 02:00Z.
    expect(entry({ firm: { jurisdictions: ['CN'], cii_operator: true }, incident }, 'cac-report')!.due).toBe(
      '2026-03-02T02:00:00Z',
    );
    const unknownCii = entry({ firm: { jurisdictions: ['CN'] }, incident }, 'cac-report')!;
    expect(unknownCii.due).toBe('2026-03-02T02:00:00Z');
    expect(unknownCii.why).toContain('firm.cii_operator unknown: the shorter limit, 1 hour, is used');
  });

  test('re-graded IV -> III: the 4-hour clock starts at discovery, already partly spent; III -> IV stops it', () => {
    const graded = (grade: 'III' | 'IV') => ({ firm: cnFirm, incident: { grade, discovered_at: discovered } });
    const before = run(graded('IV'));
    expect(before.entries.map((e) => e.obligation)).not.toContain('cac-report');
    const after = run(graded('III'));
    const changes = compareEvaluations(before, after);
    // Re-graded at 03:30Z: the clock counts from discovery at 01:00Z, so it ends at 05:00Z — 1.5 h left, not 4.
    expect(changes.started.map((e) => [e.obligation, e.due, e.starts])).toEqual([
      ['cac-closeout', null, null],
      ['cac-report', '2026-03-02T05:00:00Z', '2026-03-02T01:00:00Z'],
    ]);
    const cac = changes.started.find((e) => e.obligation === 'cac-report')!;
    expect(Date.parse(cac.due!) - Date.parse('2026-03-02T03:30:00Z')).toBe(1.5 * 3_600_000);
    expect(changes.stopped).toEqual([]);
    const back = compareEvaluations(after, before);
    expect(back.stopped.map((s) => [s.obligation, s.why])).toEqual([
      ['cac-closeout', 'Does not apply: graded IV (一般), below III (较大).'],
      ['cac-report', 'Does not apply: graded IV (一般), below III (较大).'],
    ]);
    expect(back.stopped[1]!.why_zh).toBe('不适用：定级为一般（IV级），低于较大。');
  });

  test('grade IV with 1.2 million personal-information records leaked is at least III by the annex', () => {
    const e = entry(
      { firm: cnFirm, incident: { grade: 'IV', discovered_at: discovered, personal_info_records: 1_200_000 } },
      'cac-report',
    )!;
    expect(e).toMatchObject({ applies: 'yes', due: '2026-03-02T05:00:00Z' });
    expect(e.why).toContain(
      'graded IV, but 1,200,000 personal-information records leaked is at least III (较大) by the grading hints',
    );
  });
});

describe('DORA', () => {
  const firm = { jurisdictions: ['EU' as const], dora_entity: true };
  const aware = '2026-03-02T08:00:00Z';

  test('classified 23 h after awareness: due 24 h after awareness, which comes before 4 h after classification', () => {
    // Classified 2026-03-03T07:00Z: +4 h = 11:00Z; awareness + 24 h = 2026-03-03T08:00Z, earlier.
    const e = entry(
      { firm, incident: { dora_major: true, aware_at: aware, classified_at: '2026-03-03T07:00:00Z' } },
      'dora-initial',
    )!;
    expect(e).toMatchObject({ applies: 'yes', due: '2026-03-03T08:00:00Z', starts: '2026-03-03T07:00:00Z' });
    expect(e.why).toContain('but no later than 24 hours from awareness (2026-03-02T08:00:00Z), which comes first');
  });

  test('classified 30 h after awareness: 4 h after classification', () => {
    // Classified 2026-03-03T14:00Z, past awareness + 24 h (08:00Z): its own 4 h -> 18:00Z.
    const e = entry(
      { firm, incident: { dora_major: true, aware_at: aware, classified_at: '2026-03-03T14:00:00Z' } },
      'dora-initial',
    )!;
    expect(e.due).toBe('2026-03-03T18:00:00Z');
    expect(e.why).toContain('came after the limit of 24 hours from awareness');
  });

  test('intermediate 72 h after the initial submission; final 1 month after the latest intermediate', () => {
    const facts = {
      firm,
      incident: { dora_major: true, aware_at: aware, classified_at: '2026-03-02T10:00:00Z' },
      reports: {
        dora_initial_submitted_at: '2026-03-02T12:30:00Z',
        dora_intermediate_submitted_at: '2026-03-05T06:00:00Z',
      },
    };
    // Initial: classified 10:00Z + 4 h = 14:00Z, before awareness + 24 h.
    expect(entry(facts, 'dora-initial')!.due).toBe('2026-03-02T14:00:00Z');
    // 2026-03-02T12:30Z + 72 h = 2026-03-05T12:30Z.
    expect(entry(facts, 'dora-intermediate')!.due).toBe('2026-03-05T12:30:00Z');
    // 2026-03-05 07:00 Brussels + 1 month = 2026-04-05; its end = 2026-04-06 00:00 CEST = 2026-04-05T22:00Z.
    expect(entry(facts, 'dora-final')!.due).toBe('2026-04-05T22:00:00Z');
  });

  test('not yet classified: may apply, with the criteria thresholds met; classified not major: nothing', () => {
    const e = entry(
      { firm, incident: { aware_at: aware, customers_affected: 150_000, clients_total: 1_000_000 } },
      'dora-initial',
    )!;
    expect(e).toMatchObject({ applies: 'unknown', due: null });
    expect(e.why).toContain(
      'not yet classified under DORA (incident.dora_major); criteria thresholds met: clients affected 15% > 10%, clients affected 150,000 > 100,000',
    );
    expect(e.why).toContain('which is not known (incident.classified_at)');
    expect(ids({ firm, incident: { dora_major: false, aware_at: aware } }).filter((i) => i.startsWith('dora'))).toEqual(
      [],
    );
  });
});

describe('SEC', () => {
  test('Reg S-P: 30 calendar days after awareness, in New York', () => {
    // Aware Mon 2026-03-02 10:00 EST + 30 days = Wed 2026-04-01; its end = 2026-04-02 00:00 EDT = 04:00Z.
    const e = entry(
      {
        firm: { jurisdictions: ['US'], us_broker_dealer: true },
        incident: { aware_at: '2026-03-02T15:00:00Z', sensitive_customer_info: true },
      },
      'sec-regsp-notice',
    )!;
    expect(e).toMatchObject({ stage: 'notice', due: '2026-04-02T04:00:00Z', applies: 'yes' });
  });

  test('8-K Item 1.05: 4 US business days after the materiality determination, across Thanksgiving', () => {
    // Wed 2026-11-25: Thu 26 Thanksgiving, Fri 27, Mon 30, Tue Dec 1, Wed Dec 2 -> 2026-12-03 00:00 EST = 05:00Z.
    const e = entry(
      { firm: { listed_us: true }, incident: { materiality_determined_at: '2026-11-25T10:00:00-05:00' } },
      'sec-8k-1.05',
    )!;
    expect(e).toMatchObject({ due: '2026-12-03T05:00:00Z', applies: 'yes' });
    expect(e.why).toBe(
      'Applies: the firm is listed in the US; the incident was determined material. Counts 4 US business days from the materiality determination ' +
        '(2026-11-25T15:00:00Z), on the calendar of America/New_York: from Wed 2026-11-25 to the end of Wed 2026-12-02.',
    );
  });
});

test('8-K before the materiality determination: may apply, no deadline yet, the missing moment named', () => {
  const e = entry({ firm: { listed_us: true }, incident: { grade: 'II' } }, 'sec-8k-1.05')!;
  expect(e).toMatchObject({ applies: 'unknown', due: null });
  expect(e.why).toBe(
    'May apply: the firm is listed in the US; not yet known that the incident was determined material ' +
      '(incident.materiality_determined_at). Due unknown: counts 4 US business days from the materiality ' +
      'determination, which is not known (incident.materiality_determined_at).',
  );
});

describe('unknown facts and obligations that do not apply', () => {
  test('a start that is unknown: due null, and the missing fact named', () => {
    const e = entry({ firm: cnFirm, incident: { grade: 'I' } }, 'cac-report')!;
    expect(e).toMatchObject({ due: null, starts: null, applies: 'yes' });
    expect(e.why).toContain('counts 4 hours from discovery, which is not known (incident.discovered_at)');
    expect(e.why_zh).toContain('而发现事件的时间未知（incident.discovered_at）');
  });

  test('no facts at all: every obligation may apply, none with a deadline', () => {
    const all = run({});
    expect(all.entries).toHaveLength(10);
    expect(all.entries.every((e) => e.applies === 'unknown' && e.due === null)).toBe(true);
  });

  test('a US-only broker-dealer without sensitive data exposed: no CN, HK, EU or Reg S-P obligation', () => {
    const facts: ObligationFacts = {
      firm: { jurisdictions: ['US'], us_broker_dealer: true, listed_us: false, dora_entity: false },
      incident: { grade: 'II', discovered_at: '2026-03-02T01:00:00Z', sensitive_customer_info: false },
    };
    const r = run(facts);
    expect(r.entries).toEqual([]);
    expect(r.notApplicable.find((n) => n.obligation === 'sec-regsp-notice')!.why).toBe(
      'Does not apply: no sensitive customer information was accessed or used.',
    );
    expect(r.notApplicable.find((n) => n.obligation === 'cac-report')!.why).toBe(
      'Does not apply: the firm does not operate in CN.',
    );
  });

  test('PIPL applies once personal information leaked, not for zero records', () => {
    const incident = { discovered_at: '2026-03-02T01:00:00Z' };
    expect(entry({ firm: cnFirm, incident: { ...incident, personal_info_records: 5 } }, 'pipl-notice')).toMatchObject({
      applies: 'yes',
      due: '2026-03-03T01:00:00Z',
    });
    expect(ids({ firm: cnFirm, incident: { ...incident, personal_info_records: 0 } })).not.toContain('pipl-notice');
  });
});
