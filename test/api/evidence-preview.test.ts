/**
 * Safe previews and one-click snapshots of the evidence locker (issue 15), on each store: a PNG with
 * EXIF comes back re-encoded as a PNG without it and a large JPEG at most 1600 px wide; a text file is
 * text/plain (nosniff), cut at 64 KiB; a PDF has no preview (415); a PNG claiming 100,000 × 100,000
 * pixels is refused before it is decoded; each preview is a custody entry. The incident's attack
 * timeline and a response action with its connector response are preserved as canonical JSON, and the
 * evidence items appear on the attack timeline (JSON, CSV, printable page) with their hashes.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttackTimeline } from '../../src/shared/attack-timeline-schemas.js';
import type { CustodyHistory, EvidenceItem } from '../../src/shared/evidence-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildAlert, buildIncident } from '../helpers/fixtures.js';
import { STORE_KINDS } from '../helpers/store.js';
import { multipartBody as multipart } from '../helpers/multipart.js';

const PNG_SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A PNG chunk with its CRC. */
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A few hundred bytes claiming 100,000 × 100,000 pixels (a decompression bomb's header). */
function pixelBomb(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(1000))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe.each(STORE_KINDS)('evidence previews and snapshots (%s)', (kind) => {
  let t: TestApp;
  let responder: Session;
  let auditor: Session;
  let key = '';

  beforeAll(async () => {
    t = await createTestApp(kind);
    responder = await t.login('responder');
    auditor = await t.login('auditor');
    key = (await buildIncident(t.s, { by: responder, title: 'Account takeover wave' })).key;
  });
  afterAll(() => t.close());

  async function upload(name: string, bytes: Buffer, fields: Record<string, string> = {}): Promise<EvidenceItem> {
    const { payload, contentType } = await multipart(fields, { name, bytes });
    const res = await t.as(responder, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/evidence`,
      headers: { 'content-type': contentType },
      payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as EvidenceItem;
  }
  const preview = (id: string, who: Session = auditor) =>
    t.as(who, { method: 'GET', url: `/api/v1/evidence/${id}/preview`, remoteAddress: '198.51.100.23' });

  it('re-encodes a picture as a PNG without its metadata, at most 1600 px, and records the view', async () => {
    const withExif = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c00' } })
      .withExif({ IFD0: { Copyright: 'SECRET-EXIF-MARK', Artist: 'gps-bearing camera' } })
      .png()
      .toBuffer();
    expect((await sharp(withExif).metadata()).exif).toBeDefined();
    const item = await upload('screenshot.png', withExif, { description: 'phishing page' });
    const res = await preview(item.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const out = res.rawPayload;
    expect(out.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(out.includes(Buffer.from('SECRET-EXIF-MARK'))).toBe(false);
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(['png', 40, 30, undefined]);

    const wide = await sharp({ create: { width: 3200, height: 200, channels: 3, background: '#08f' } })
      .withExif({ IFD0: { Copyright: 'SECRET-EXIF-MARK' } })
      .jpeg()
      .toBuffer();
    const jpeg = await upload('wide.jpg', wide);
    expect(jpeg.mediaType).toBe('image/jpeg');
    const small = await preview(jpeg.id);
    expect(small.statusCode).toBe(200);
    const m = await sharp(small.rawPayload).metadata();
    expect([m.format, m.width, m.height, m.exif]).toEqual(['png', 1600, 100, undefined]);

    const custody = (
      await t.as(auditor, { method: 'GET', url: `/api/v1/evidence/${item.id}/custody` })
    ).json() as CustodyHistory;
    expect(custody.items.map((e) => [e.action, e.ip])).toEqual([
      ['evidence.add', '127.0.0.1'],
      ['evidence.preview', '198.51.100.23'],
    ]);
    expect(custody.items[1]!.actor.label).toContain('auditor');
  });

  it('shows text as text/plain (at most 64 KiB), has no preview for a PDF, and refuses a pixel bomb', async () => {
    const text = await upload('logins.txt', Buffer.from('user=alice ip=203.0.113.9 <script>alert(1)</script>\n'));
    const res = await preview(text.id);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toBe('user=alice ip=203.0.113.9 <script>alert(1)</script>\n');
    expect(res.headers['x-tocsin-preview-truncated']).toBe('false');

    const long = await upload('big.log', Buffer.from('日志行\n'.repeat(20_000)));
    const cut = await preview(long.id);
    expect(cut.headers['x-tocsin-preview-truncated']).toBe('true');
    expect(Buffer.byteLength(cut.body)).toBeLessThanOrEqual(64 * 1024);
    expect(cut.body.startsWith('日志行\n日志行')).toBe(true);
    expect(cut.body).not.toContain('\uFFFD');

    const pdf = await upload('report.pdf', Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n'));
    expect(pdf.mediaType).toBe('application/pdf');
    const refused = await preview(pdf.id);
    expect(refused.statusCode).toBe(415);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'evidence.no_preview', params: { type: 'application/pdf' } });
    expect(refused.json().detail).toContain('no preview for this type');

    const bomb = await upload('bomb.png', pixelBomb());
    expect(bomb.mediaType).toBe('image/png');
    const no = await preview(bomb.id);
    expect(no.statusCode).toBe(422);
    expect(no.json()).toMatchObject({ code: 'evidence.preview_refused' });
    expect(no.json().detail).toContain('megapixels');
    // Nothing was shown, so nothing is recorded as previewed.
    const custody = (
      await t.as(auditor, { method: 'GET', url: `/api/v1/evidence/${bomb.id}/custody` })
    ).json() as CustodyHistory;
    expect(custody.items.map((e) => e.action)).toEqual(['evidence.add']);
  });

  it('preserves the attack timeline and an action with its connector response as canonical JSON', async () => {
    const raised = await buildAlert(t.s, {
      ruleId: `prev-rule-${kind}`,
      ruleTitle: 'Login from a new country',
      level: 'critical',
      events: [
        {
          id: `prev-ev-${kind}`,
          time: Date.parse('2026-12-04T01:00:00Z'),
          source: 'trading-frontend',
          logsource: { product: 'trading', service: 'auth' },
          fields: { user: 'A10000077', src_ip: '203.0.113.77', message: 'login ok' },
        },
      ],
    });
    const incident = raised.incidentKey!;
    const snap = await t.as(responder, { method: 'POST', url: `/api/v1/incidents/${incident}/evidence/timeline` });
    expect(snap.statusCode, snap.body).toBe(201);
    const item = snap.json() as EvidenceItem;
    expect(item).toMatchObject({ kind: 'timeline', mediaType: 'application/json', sourceSystem: 'tocsin' });
    const bytes = (await t.as(auditor, { method: 'GET', url: `/api/v1/evidence/${item.id}/content` })).rawPayload;
    expect(sha256(bytes)).toBe(item.sha256);
    const doc = JSON.parse(bytes.toString('utf8'));
    expect(doc).toMatchObject({ format: 'tocsin.attack-timeline.v1', incidentKey: incident });
    expect(doc.timeline.items.some((i: { kind: string; detail: string }) => i.detail === 'login ok')).toBe(true);

    const { id: incidentId } = await t.s.store.db
      .selectFrom('incidents')
      .select('id')
      .where('key', '=', incident)
      .executeTakeFirstOrThrow();
    const admin = await t.login('admin');
    const made = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/connectors',
      payload: { name: 'firewall', kind: 'firewall', config: { baseUrl: 'http://firewall.example' } },
    });
    expect(made.statusCode, made.body).toBe(201);
    const { run } = await t.s.store.transaction((tx) =>
      t.s.actions.request(tx, {
        incidentId,
        connector: 'firewall',
        action: 'block_ip',
        parameters: { ip: '203.0.113.77' },
        approval: 'none',
        key: `prev-${kind}`,
        requestedBy: null,
      }),
    );
    await t.s.store.db
      .updateTable('action_runs')
      .set({ state: 'succeeded', response: JSON.stringify({ status: 200, body: { blocked: '203.0.113.77' } }) })
      .where('id', '=', run.id)
      .execute();
    const kept = await t.as(responder, {
      method: 'POST',
      url: `/api/v1/incidents/${incident}/evidence/actions/${run.id}`,
    });
    expect(kept.statusCode, kept.body).toBe(201);
    const action = kept.json() as EvidenceItem;
    expect(action.kind).toBe('connector_response');
    const raw = (await t.as(auditor, { method: 'GET', url: `/api/v1/evidence/${action.id}/content` })).rawPayload;
    expect(sha256(raw)).toBe(action.sha256);
    expect(JSON.parse(raw.toString('utf8')).action.response).toEqual({
      status: 200,
      body: { blocked: '203.0.113.77' },
    });
    // An action of another incident is not this incident's.
    const other = await t.as(responder, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/evidence/actions/${run.id}`,
    });
    expect(other.statusCode).toBe(404);
    // An auditor reads evidence but preserves none.
    const no = await t.as(auditor, { method: 'POST', url: `/api/v1/incidents/${incident}/evidence/timeline` });
    expect(no.statusCode).toBe(403);

    // The evidence items are on the attack timeline, with their hashes, in its CSV and printable page too.
    const tl = (
      await t.as(auditor, { method: 'GET', url: `/api/v1/incidents/${incident}/attack-timeline` })
    ).json() as AttackTimeline;
    const entries = tl.items.filter((i) => i.kind === 'evidence');
    expect(entries.map((e) => [e.title, e.ref])).toEqual([
      [item.fileName, { type: 'evidence', id: item.id }],
      [action.fileName, { type: 'evidence', id: action.id }],
    ]);
    expect(entries[0]!.at).toBe(item.createdAt);
    expect(entries[0]!.detail).toContain(item.sha256);
    const csv = await t.as(auditor, { method: 'GET', url: `/api/v1/incidents/${incident}/attack-timeline/csv` });
    expect(csv.body).toContain(`evidence,${item.fileName}`);
    expect(csv.body).toContain(item.sha256);
    const page = await t.as(auditor, { method: 'GET', url: `/api/v1/incidents/${incident}/attack-timeline/print` });
    expect(page.body).toContain(item.sha256);
    expect(page.body).toContain(`<td>evidence</td><td>${item.fileName}</td>`);
  });
});
