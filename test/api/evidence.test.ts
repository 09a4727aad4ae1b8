/**
 * The evidence locker on each store (issue 15): an investigator uploads a file with where it came from
 * (streamed, hashed SHA-256 and MD5); an acquirer's hash that differs is kept and flagged; the incident's
 * items are listed; a view and a download are custody entries, listed oldest first with who and from
 * where; a download is never rendered; a name with folders and control characters is kept as data; an
 * alert with its events is preserved in one call; a restricted incident's evidence is 404 to outsiders;
 * a legal hold blocks deletion until it is released.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustodyHistory, EvidenceItem, EvidenceList } from '../../src/shared/evidence-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildAlert, buildIncident } from '../helpers/fixtures.js';
import { STORE_KINDS } from '../helpers/store.js';
import { multipartBody as multipart } from '../helpers/multipart.js';

const hex = (algo: string, b: Buffer) => createHash(algo).update(b).digest('hex');

describe.each(STORE_KINDS)('evidence locker (%s)', (kind) => {
  let t: TestApp;
  let ic: Session;
  let responder: Session;
  let auditor: Session;
  let key = '';
  let secretKey = '';
  const pcap = Buffer.concat([
    Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex'),
    Buffer.alloc(3000, 7),
  ]);

  beforeAll(async () => {
    t = await createTestApp(kind);
    ic = await t.login('incident_commander');
    responder = await t.login('responder');
    auditor = await t.login('auditor');
    key = (await buildIncident(t.s, { by: ic, title: 'Account takeover wave' })).key;
    secretKey = (await buildIncident(t.s, { by: ic, title: 'Insider case', restricted: true, commanderId: ic.userId }))
      .key;
  });
  afterAll(() => t.close());

  async function upload(who: Session, incident: string, fields: Record<string, string>, name: string, bytes: Buffer) {
    const { payload, contentType } = await multipart(fields, { name, bytes });
    return t.as(who, {
      method: 'POST',
      url: `/api/v1/incidents/${incident}/evidence`,
      headers: { 'content-type': contentType },
      payload,
      remoteAddress: '198.51.100.7',
    });
  }

  it('keeps an upload with its hashes and provenance; a differing acquirer hash is flagged, a matching one not', async () => {
    const res = await upload(
      responder,
      key,
      {
        description: 'Capture at the trading gateway',
        sourceSystem: 'gw-edge-01',
        acquisitionMethod: 'tcpdump -w',
        acquirerSha256: hex('sha256', pcap).toUpperCase(),
      },
      'gateway.pcap',
      pcap,
    );
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json() as EvidenceItem;
    expect(item).toMatchObject({
      incidentKey: key,
      kind: 'file',
      fileName: 'gateway.pcap',
      mediaType: 'application/vnd.tcpdump.pcap',
      bytes: pcap.length,
      sha256: hex('sha256', pcap),
      md5: hex('md5', pcap),
      description: 'Capture at the trading gateway',
      sourceSystem: 'gw-edge-01',
      acquisitionMethod: 'tcpdump -w',
      acquirerSha256: hex('sha256', pcap),
      hashMismatch: false,
      legalHold: false,
      ip: '198.51.100.7',
    });

    const other = Buffer.from('login log export\nuser=alice ip=203.0.113.9\n');
    const bad = await upload(responder, key, { acquirerSha256: 'ab'.repeat(32) }, 'logins.txt', other);
    expect(bad.statusCode, bad.body).toBe(201);
    expect(bad.json()).toMatchObject({ hashMismatch: true, acquirerSha256: 'ab'.repeat(32), mediaType: 'text/plain' });
    const entries = (await t.s.audit.list({ targetType: 'evidence', targetId: bad.json().id }, 10)).items;
    expect(entries.map((e) => [e.action, (e.after as { hashMismatch: boolean }).hashMismatch])).toEqual([
      ['evidence.add', true],
    ]);

    const listed = (
      await t.as(auditor, { method: 'GET', url: `/api/v1/incidents/${key}/evidence` })
    ).json() as EvidenceList;
    expect(listed.items.map((i) => [i.fileName, i.hashMismatch])).toEqual([
      ['gateway.pcap', false],
      ['logins.txt', true],
    ]);
  });

  it('refuses a malformed acquirer hash and a form without a file, keeping nothing', async () => {
    const count = async () =>
      ((await t.as(responder, { method: 'GET', url: `/api/v1/incidents/${key}/evidence` })).json() as EvidenceList)
        .items.length;
    const before = await count();
    const bad = await upload(responder, key, { acquirerSha256: 'not-a-hash' }, 'x.bin', Buffer.from('x'));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].path).toBe('acquirerSha256');
    const { payload, contentType } = await multipart({ description: 'nothing attached' });
    const none = await t.as(responder, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/evidence`,
      headers: { 'content-type': contentType },
      payload,
    });
    expect(none.statusCode).toBe(422);
    expect(none.json().code).toBe('evidence.no_file');
    expect(await count()).toBe(before);
  });

  it('a view and a download are custody entries, oldest first; the download is an attachment, never rendered', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const up = (await upload(responder, key, {}, '../../etc/\u0007evil\u202e.html', html)).json() as EvidenceItem;
    expect(up.fileName).toBe('evil.html');

    const seen = await t.as(auditor, { method: 'GET', url: `/api/v1/evidence/${up.id}`, remoteAddress: '192.0.2.1' });
    expect(seen.statusCode).toBe(200);
    const got = await t.as(auditor, {
      method: 'GET',
      url: `/api/v1/evidence/${up.id}/content`,
      remoteAddress: '192.0.2.2',
    });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(html)).toBe(true);
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(got.headers['content-disposition']).toMatch(/^attachment; filename="evil.html"/);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-security-policy']).toContain('sandbox');

    const custody = (
      await t.as(responder, { method: 'GET', url: `/api/v1/evidence/${up.id}/custody` })
    ).json() as CustodyHistory;
    expect(custody.items.map((e) => [e.action, e.ip])).toEqual([
      ['evidence.add', '198.51.100.7'],
      ['evidence.view', '192.0.2.1'],
      ['evidence.download', '192.0.2.2'],
    ]);
    expect(custody.items[1]!.actor.id).toBe(auditor.userId);
  });

  it("a restricted incident's evidence is 404 to those outside it", async () => {
    const mine = await upload(ic, secretKey, { description: 'HR laptop image' }, 'laptop.img', Buffer.alloc(5000, 1));
    expect(mine.statusCode, mine.body).toBe(201);
    const id = mine.json().id as string;
    for (const url of [
      `/api/v1/incidents/${secretKey}/evidence`,
      `/api/v1/evidence/${id}`,
      `/api/v1/evidence/${id}/content`,
      `/api/v1/evidence/${id}/custody`,
    ])
      expect((await t.as(responder, { method: 'GET', url })).statusCode, url).toBe(404);
    expect((await upload(responder, secretKey, {}, 'x.bin', Buffer.from('x'))).statusCode).toBe(404);
    expect((await t.as(responder, { method: 'DELETE', url: `/api/v1/evidence/${id}` })).statusCode).toBe(404);
    expect((await t.as(ic, { method: 'GET', url: `/api/v1/evidence/${id}` })).statusCode).toBe(200);
  });

  it('a legal hold blocks deletion until it is released; deletion leaves the custody history', async () => {
    const item = (
      await upload(responder, key, {}, 'mail.eml', Buffer.from('From: a@b\n\nhi\n'))
    ).json() as EvidenceItem;
    const held = await t.as(ic, {
      method: 'PUT',
      url: `/api/v1/evidence/${item.id}/hold`,
      payload: { hold: true, reason: 'CSRC inquiry 2026-17' },
    });
    expect(held.json()).toMatchObject({ legalHold: true });
    const refused = await t.as(ic, { method: 'DELETE', url: `/api/v1/evidence/${item.id}` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('evidence.on_hold');
    expect((await t.as(auditor, { method: 'DELETE', url: `/api/v1/evidence/${item.id}` })).statusCode).toBe(403);

    await t.as(ic, {
      method: 'PUT',
      url: `/api/v1/evidence/${item.id}/hold`,
      payload: { hold: false, reason: 'closed' },
    });
    expect((await t.as(ic, { method: 'DELETE', url: `/api/v1/evidence/${item.id}` })).statusCode).toBe(204);
    const listed = (await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${key}/evidence` })).json() as EvidenceList;
    expect(listed.items.map((i) => i.id)).not.toContain(item.id);
    const custody = (
      await t.as(ic, { method: 'GET', url: `/api/v1/evidence/${item.id}/custody` })
    ).json() as CustodyHistory;
    expect(custody.items.map((e) => e.action)).toEqual([
      'evidence.add',
      'evidence.hold',
      'evidence.hold',
      'evidence.delete',
    ]);
    expect(custody.items[1]!.details).toMatchObject({ hold: true, reason: 'CSRC inquiry 2026-17' });
    expect((await t.as(ic, { method: 'GET', url: `/api/v1/evidence/${item.id}/content` })).statusCode).toBe(404);
  });

  it("preserves an alert with its events in one call, as canonical JSON whose hash is the item's", async () => {
    const raised = await buildAlert(t.s, {
      ruleId: 'evidence-ato-rule',
      level: 'high',
      events: [
        { id: 'ev-1', time: t.s.clock.now(), source: 'api', logsource: {}, fields: { TargetUserName: 'alice' } },
      ],
    });
    const incident = raised.incidentKey!;
    const res = await t.as(responder, {
      method: 'POST',
      url: `/api/v1/incidents/${incident}/evidence/alerts/${raised.alertId}`,
    });
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json() as EvidenceItem;
    expect(item).toMatchObject({ kind: 'alert_events', mediaType: 'application/json', sourceSystem: 'tocsin' });
    const got = await t.as(responder, { method: 'GET', url: `/api/v1/evidence/${item.id}/content` });
    expect(hex('sha256', got.rawPayload)).toBe(item.sha256);
    const snapshot = JSON.parse(got.body);
    expect(snapshot).toMatchObject({ format: 'tocsin.alert-events.v1', incidentKey: incident });
    expect(snapshot.alert.id).toBe(raised.alertId);
    expect(snapshot.alert.events.map((e: { fields: { TargetUserName: string } }) => e.fields.TargetUserName)).toEqual([
      'alice',
    ]);
    // Another incident's alert is not this incident's evidence.
    const wrong = await t.as(responder, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/evidence/alerts/${raised.alertId}`,
    });
    expect(wrong.statusCode).toBe(404);
  });
});
