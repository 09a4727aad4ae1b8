/**
 * Evidence retention (docs/evidence.md "Retention"): with TOCSIN_EVIDENCE_RETENTION_DAYS=30, the hourly sweep
 * leaves an incident's items alone until 30 days after it closed; then it deletes those not on legal hold
 * (each with a custody entry by the system, the record kept), removes a blob nothing else refers to, and
 * keeps one that an item of another incident shares. Time moves on the test clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskBlobStore } from '../../src/server/platform/blobs/blob-store.js';
import type { Clock } from '../../src/server/platform/ids.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildIncident } from '../helpers/fixtures.js';
import { STORE_KINDS } from '../helpers/store.js';
import { multipartBody as multipart } from '../helpers/multipart.js';

const DAY = 86_400_000;

describe.each(STORE_KINDS)('evidence retention (%s)', (kind) => {
  let t: TestApp;
  let ic: Session;
  let now = Date.parse('2026-12-01T08:00:00Z');
  const clock: Clock = { now: () => now };
  let closedKey = '';
  let openKey = '';
  const ids: Record<string, { id: string; sha256: string }> = {};

  const upload = async (key: string, name: string, bytes: Buffer) => {
    const { payload, contentType } = await multipart({ description: name }, { name, bytes });
    const res = await t.as(ic, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/evidence`,
      headers: { 'content-type': contentType },
      payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; sha256: string };
  };
  const listed = async (key: string) =>
    (
      (await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${key}/evidence` })).json().items as { id: string }[]
    ).map((i) => i.id);

  beforeAll(async () => {
    t = await createTestApp(kind, { TOCSIN_EVIDENCE_RETENTION_DAYS: '30' }, { clock });
    ic = await t.login('incident_commander');
    closedKey = (await buildIncident(t.s, { by: ic, title: 'Phishing wave, closed' })).key;
    openKey = (await buildIncident(t.s, { by: ic, title: 'Still open' })).key;
    ids.shared = await upload(closedKey, 'shared.log', Buffer.from('the same log lines in two incidents\n'));
    ids.unique = await upload(closedKey, 'unique.pcap', Buffer.from('bytes only this item has\n'));
    ids.held = await upload(closedKey, 'held.png', Buffer.from('kept for the court\n'));
    ids.other = await upload(openKey, 'shared-copy.log', Buffer.from('the same log lines in two incidents\n'));
    const hold = await t.as(ic, {
      method: 'PUT',
      url: `/api/v1/evidence/${ids.held.id}/hold`,
      payload: { hold: true, reason: 'court order 2026-118' },
    });
    expect(hold.statusCode, hold.body).toBe(200);
    for (const to of ['acknowledged', 'contained', 'recovered', 'closed']) {
      const res = await t.as(ic, {
        method: 'POST',
        url: `/api/v1/incidents/${closedKey}/transitions`,
        payload: { to, note: `to ${to}` },
      });
      expect(res.statusCode, `${to}: ${res.body}`).toBeLessThan(300);
    }
  });
  afterAll(() => t.close());

  it('keeps everything until 30 days after the incident closed', async () => {
    now += 29 * DAY;
    ic = await t.login('incident_commander'); // the earlier session has expired by now
    expect(await t.s.evidence.pruneExpired()).toEqual({ deleted: 0, blobsRemoved: 0 });
    expect(await listed(closedKey)).toHaveLength(3);
  });

  it('then deletes what is not on hold, with custody entries, and removes only the blob nobody else has', async () => {
    now += 2 * DAY;
    ic = await t.login('incident_commander');
    expect(await t.s.evidence.pruneExpired()).toEqual({ deleted: 2, blobsRemoved: 1 });
    expect(await listed(closedKey)).toEqual([ids.held!.id]);
    expect(await listed(openKey)).toEqual([ids.other!.id]);
    const blobs = diskBlobStore(t.s.config.blobDir);
    expect(await blobs.has(ids.unique!.sha256)).toBe(false);
    expect(await blobs.has(ids.shared!.sha256)).toBe(true);
    const custody = await t.as(ic, { method: 'GET', url: `/api/v1/evidence/${ids.unique!.id}/custody` });
    expect(custody.statusCode, custody.body).toBe(200);
    expect(custody.json().items.at(-1)).toMatchObject({
      action: 'evidence.delete',
      actor: expect.objectContaining({ label: 'system (evidence retention)' }),
      details: expect.objectContaining({ reason: 'retention', days: 30 }),
    });
    // The other incident's copy is still served.
    const copy = await t.as(ic, { method: 'GET', url: `/api/v1/evidence/${ids.other!.id}/content` });
    expect(copy.body).toBe('the same log lines in two incidents\n');
    // A second sweep finds nothing more.
    expect(await t.s.evidence.pruneExpired()).toEqual({ deleted: 0, blobsRemoved: 0 });
  });
});
