/**
 * The firm's own copy of the obligation catalog (TOCSIN_OBLIGATIONS_DIR): the live clocks count with its
 * values (here a 20-minute internal target for the CSRC emergency report instead of the shipped 30),
 * and a copy with a broken file refuses to start, naming the file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/harness.js';
import { createTestApp } from '../helpers/app.js';

const dirs: string[] = [];
function catalogCopy(edit: (name: string, text: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-obligations-'));
  dirs.push(dir);
  const from = path.join(ROOT, 'obligations');
  for (const name of fs.readdirSync(from).filter((n) => n.endsWith('.yml')))
    fs.writeFileSync(path.join(dir, name), edit(name, fs.readFileSync(path.join(from, name), 'utf8')));
  return dir;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('the firm’s obligation catalog (TOCSIN_OBLIGATIONS_DIR)', () => {
  it('counts the CSRC emergency report on the firm’s 20-minute target', async () => {
    const dir = catalogCopy((name, text) =>
      name === 'csrc-emergency.yml' ? text.replace('      amount: 30\n', '      amount: 20\n') : text,
    );
    const t = await createTestApp('sqlite', { TOCSIN_OBLIGATIONS_DIR: dir });
    try {
      const admin = await t.login('admin');
      const profile = await t.as(admin, {
        method: 'PUT',
        url: '/api/v1/firm-profile',
        payload: {
          jurisdictions: ['CN'],
          ciiOperator: false,
          usBrokerDealer: null,
          listedUs: false,
          doraEntity: false,
          clientsTotal: null,
          csrcTargetMinutes: null,
        },
      });
      expect(profile.statusCode, profile.body).toBe(200);
      const detectedAt = '2026-05-21T01:00:00.000Z';
      const created = await t.as(admin, {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: { title: 'Trading login attack', category: 'network_attack', grade: 'IV', detectedAt },
      });
      expect(created.statusCode, created.body).toBe(201);
      const o = await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${created.json().key}/obligations` });
      const csrc = o.json().clocks.find((c: { obligation: string }) => c.obligation === 'csrc-emergency');
      expect(csrc.due).toBe('2026-05-21T01:20:00.000Z');
    } finally {
      await t.close();
    }
  });

  it('refuses to start on a copy with a broken file, naming it', async () => {
    const dir = catalogCopy((name, text) => (name === 'pipl-notice.yml' ? text.replace(/^id: .*$/m, 'id: [') : text));
    await expect(createTestApp('sqlite', { TOCSIN_OBLIGATIONS_DIR: dir })).rejects.toThrow(/pipl-notice\.yml/);
  });
});
