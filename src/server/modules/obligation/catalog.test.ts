/**
 * The catalog as compliance edits it: a copy of the shipped folder loads; a file with a problem refuses
 * the catalog with file, path and reason; an obligation counted in PRC working days says when a year has
 * no holiday data. And the facts parser names the field at fault.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { bundledPath } from '../../platform/bundled.js';
import { CatalogError, loadObligationCatalog } from './catalog.js';
import { evaluate } from './evaluate.js';
import { parseFacts } from './facts.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of the shipped catalog in a temporary folder, with `edit` applied. */
function copyCatalog(edit: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-obligations-'));
  made.push(dir);
  fs.cpSync(bundledPath('obligations')!, dir, { recursive: true });
  edit(dir);
  return dir;
}

const problemsOf = (dir: string) => {
  try {
    loadObligationCatalog(dir);
  } catch (err) {
    if (err instanceof CatalogError) return err.problems;
    throw err;
  }
  return [];
};

describe('loading', () => {
  test('a copy of the shipped catalog loads', () => {
    expect(loadObligationCatalog(copyCatalog(() => {})).obligations).toHaveLength(10);
  });

  test('an invalid file refuses the catalog with file, path and reason', () => {
    const dir = copyCatalog((d) => {
      const f = path.join(d, 'cac-report.yml');
      fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('unit: hours', 'unit: fortnights'));
      const g = path.join(d, 'sfc-report.yml');
      fs.writeFileSync(g, fs.readFileSync(g, 'utf8').replace('to: {', 'recipient: {'));
    });
    expect(problemsOf(dir)).toEqual([
      `${dir}/cac-report.yml: stages.0.clock.unit: Invalid option: expected one of "minutes"|"hours"|"calendar_days"|"business_days"|"months"`,
      `${dir}/sfc-report.yml: to: Invalid input: expected object, received undefined`,
      `${dir}/sfc-report.yml: Unrecognized key: "recipient"`,
    ]);
  });

  test('YAML that does not parse, an id unlike its file name, a PRC calendar with a weekday "worked"', () => {
    const dir = copyCatalog((d) => {
      fs.writeFileSync(path.join(d, 'broken.yml'), 'id: [broken\n');
      const f = path.join(d, 'pipl-notice.yml');
      fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('id: pipl-notice', 'id: pipl'));
      const c = path.join(d, 'calendars', 'cn-2026.yml');
      fs.writeFileSync(c, fs.readFileSync(c, 'utf8').replace('  - 2026-10-10', '  - 2026-10-12'));
    });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(new RegExp(`^${dir}/broken.yml: `));
    expect(problems[1]).toBe(`${dir}/pipl-notice.yml: id: "pipl" differs from the file's name`);
    expect(problems[2]).toBe(`${dir}/calendars/cn-2026.yml: working_days.5: not a Saturday or Sunday of 2026`);
  });
});

test('an obligation counted in PRC working days into 2027: due null, "no PRC holiday calendar for 2027"', () => {
  const dir = copyCatalog((d) => {
    // A firm's own rule: the close-out within 10 PRC working days.
    const f = path.join(d, 'cac-closeout.yml');
    fs.writeFileSync(
      f,
      fs
        .readFileSync(f, 'utf8')
        .replace('amount: 30, unit: calendar_days, zone', 'amount: 10, unit: business_days, calendar: CN, zone'),
    );
  });
  const c = loadObligationCatalog(dir);
  const facts = {
    firm: { jurisdictions: ['CN' as const] },
    incident: { grade: 'III' as const, handling_ended_at: '2026-12-28T10:00:00+08:00' },
  };
  const e = evaluate(c.obligations, facts, c.calendars).entries.find((x) => x.obligation === 'cac-closeout')!;
  expect(e.due).toBeNull();
  expect(e.why).toContain('but there is no PRC holiday calendar for 2027');
  // Handled by 2026-12-10: Fri 11, Mon 14 .. Fri 18, Mon 21 .. Thu 24 = 10 -> end of Thu 24 Beijing = 16:00Z.
  const inYear = { ...facts, incident: { ...facts.incident, handling_ended_at: '2026-12-10T10:00:00+08:00' } };
  expect(evaluate(c.obligations, inYear, c.calendars).entries.find((x) => x.obligation === 'cac-closeout')!.due).toBe(
    '2026-12-24T16:00:00Z',
  );
});

describe('parseFacts', () => {
  test.each([
    ['{"incident":', /^not valid JSON: /],
    ['{"incident":{"grade":"V"}}', /^incident\.grade: Invalid option: expected one of "I"\|"II"\|"III"\|"IV"$/],
    ['{"incident":{"aware_at":"yesterday"}}', /^incident\.aware_at: expected an ISO-8601 time with its offset/],
    ['{"incident":{"aware_at":"2026-03-02T09:00:00"}}', /^incident\.aware_at: expected an ISO-8601 time/],
    ['{"firm":{"cii":true}}', /^firm\.cii: unknown fact$/],
    ['{"firm":{"jurisdictions":"CN"}}', /^firm\.jurisdictions: Invalid input: expected array, received string$/],
    ['[1]', /^facts: Invalid input: expected object, received array$/],
  ])('%s', (text, message) => {
    const r = parseFacts(text);
    expect('error' in r && r.error).toMatch(message);
  });

  test('null is unknown, like an absent fact', () => {
    expect(parseFacts('{"firm":{"cii_operator":null},"incident":{}}')).toEqual({
      facts: { firm: { cii_operator: null }, incident: {} },
    });
  });
});
