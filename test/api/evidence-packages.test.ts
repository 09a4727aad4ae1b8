/**
 * Evidence export packages on each store (issue 15): an investigator answers a police request with a
 * signed package of three items; the download is a ZIP that `tocsin evidence check-package` passes, and
 * that openssl and sha256sum verify without Tocsin; a byte flipped in an item and a manifest changed
 * after signing are caught; each item's custody shows the transfer to the outside party, the package's
 * making and download are audited; an auditor may download but not make one; a restricted incident's
 * packages are 404 to outsiders.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ZipFile } from 'yazl';
import type {
  EvidencePackage,
  EvidencePackageList,
  SigningKeyInfo,
} from '../../src/shared/evidence-package-schemas.js';
import type { CustodyHistory, EvidenceItem } from '../../src/shared/evidence-schemas.js';
import type { InvestigationRequest } from '../../src/shared/investigation-schemas.js';
import { buildCli } from '../../src/server/cli/main.js';
import { reportError } from '../../src/server/cli/context.js';
import { createSigningKey } from '../../src/server/modules/evidence/signing-key.js';
import { openSafeZip, readEntry } from '../../src/server/platform/safe-zip.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildIncident } from '../helpers/fixtures.js';
import { STORE_KINDS } from '../helpers/store.js';
import { multipartBody as multipart } from '../helpers/multipart.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-evpkg-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every entry of a ZIP, read safely. */
async function entriesOf(file: string): Promise<Map<string, Buffer>> {
  const zip = await openSafeZip(file);
  try {
    const out = new Map<string, Buffer>();
    for (const e of zip.entries) out.set(e.name, await readEntry(zip, e.name, 64 * 1024 * 1024));
    return out;
  } finally {
    zip.close();
  }
}

/** The package written again with some entries changed (as someone altering it on the way would). */
async function rezip(from: string, to: string, change: Record<string, (b: Buffer) => Buffer>): Promise<string> {
  const entries = await entriesOf(from);
  const zip = new ZipFile();
  for (const [name, bytes] of entries) zip.addBuffer(change[name] ? change[name](bytes) : bytes, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  fs.writeFileSync(to, Buffer.concat(chunks));
  return to;
}

/** `tocsin evidence check-package ARGS` in this process: its stdout lines (JSON), stderr and exit code. */
async function checkPackageCli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out.push(String(s));
    return true;
  });
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err.push(String(s));
    return true;
  });
  let code = 0;
  try {
    await buildCli().parseAsync(['node', 'tocsin', 'evidence', 'check-package', ...args]);
  } catch (e) {
    code = reportError(e);
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  return {
    code,
    lines: out
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
    stderr: err.join(''),
  };
}

describe.each(STORE_KINDS)('evidence packages (%s)', (kind) => {
  let t: TestApp;
  let ic: Session;
  let responder: Session;
  let auditor: Session;
  let key = '';
  let secretKey = '';
  const items: EvidenceItem[] = [];
  let pkg: EvidencePackage;
  let zipFile = '';
  let requestId = '';
  let blobDir = '';
  const files = [
    { name: 'gateway.pcap', bytes: Buffer.concat([Buffer.from('d4c3b2a1', 'hex'), Buffer.alloc(5000, 3)]) },
    { name: '登录日志 2026-12.txt', bytes: Buffer.from('user=alice ip=203.0.113.9 outcome=success\n') },
    { name: 'a<b>:c|d?.log', bytes: Buffer.from('a name Windows refuses\n') },
  ];

  async function upload(who: Session, incident: string, name: string, bytes: Buffer) {
    const { payload, contentType } = await multipart({ description: `evidence ${name}` }, { name, bytes });
    const res = await t.as(who, {
      method: 'POST',
      url: `/api/v1/incidents/${incident}/evidence`,
      headers: { 'content-type': contentType },
      payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as EvidenceItem;
  }

  beforeAll(async () => {
    blobDir = fs.mkdtempSync(path.join(tmp, `${kind}-blobs-`));
    t = await createTestApp(kind, { TOCSIN_BLOB_DIR: blobDir });
    ic = await t.login('incident_commander');
    responder = await t.login('responder');
    auditor = await t.login('auditor');
    key = (await buildIncident(t.s, { by: ic, title: 'Account takeover wave' })).key;
    secretKey = (await buildIncident(t.s, { by: ic, title: 'Insider case', restricted: true, commanderId: ic.userId }))
      .key;
    for (const f of files) items.push(await upload(responder, key, f.name, f.bytes));
    const req = await t.as(ic, {
      method: 'POST',
      url: '/api/v1/investigation-requests',
      payload: {
        incidentKey: key,
        requesterKind: 'police',
        requesterName: '上海市公安局网安总队',
        reference: '沪公网调〔2026〕17号',
        requested: 'login logs and the gateway capture',
        receivedAt: '2026-12-01T02:00:00Z',
      },
    });
    requestId = (req.json() as InvestigationRequest).id;
  });
  afterAll(() => t.close());

  it('keeps one signing key per store, even when two processes make it at once', async () => {
    const make = () => createSigningKey({ store: t.s.store, clock: t.s.clock, secretBox: t.s.secretBox });
    const [a, b] = await Promise.all([make().publicKey(), make().publicKey()]);
    expect(a.fingerprint).toBe(b.fingerprint);
    const api = (await t.as(auditor, { method: 'GET', url: '/api/v1/signing-key' })).json() as SigningKeyInfo;
    expect(api).toEqual({ algorithm: 'Ed25519', publicKeyPem: a.publicKeyPem, fingerprint: a.fingerprint });
  });

  it('makes a signed package of three items for a police request; check-package passes it', async () => {
    const res = await t.as(responder, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/evidence/packages`,
      payload: {
        itemIds: items.map((i) => i.id),
        recipient: '上海市公安局网安总队',
        requestId,
        purpose: 'Answer to request 沪公网调〔2026〕17号',
      },
      remoteAddress: '198.51.100.20',
    });
    expect(res.statusCode, res.body).toBe(201);
    pkg = res.json() as EvidencePackage;
    expect(pkg).toMatchObject({
      incidentKey: key,
      recipient: '上海市公安局网安总队',
      requestId,
      itemCount: 3,
      createdBy: { id: responder.userId },
    });

    const listed = (
      await t.as(auditor, { method: 'GET', url: `/api/v1/incidents/${key}/evidence/packages` })
    ).json() as EvidencePackageList;
    expect(listed.items.map((p) => p.id)).toEqual([pkg.id]);

    const got = await t.as(auditor, { method: 'GET', url: `/api/v1/evidence-packages/${pkg.id}/content` });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/zip');
    expect(got.headers['content-disposition']).toMatch(/^attachment; /);
    expect(sha256(got.rawPayload)).toBe(pkg.sha256);
    expect(got.rawPayload.length).toBe(pkg.bytes);
    zipFile = path.join(tmp, `${kind}-package.zip`);
    fs.writeFileSync(zipFile, got.rawPayload);

    const entries = await entriesOf(zipFile);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect(manifest).toMatchObject({
      format: 'tocsin.evidence-package.v1',
      package: { id: pkg.id, recipient: '上海市公安局网安总队' },
      incident: { key, title: 'Account takeover wave' },
      request: { id: requestId, requesterKind: 'police', reference: '沪公网调〔2026〕17号' },
    });
    expect(manifest.items.map((i: { path: string }) => i.path)).toEqual([
      `items/${items[0]!.sha256}/gateway.pcap`,
      `items/${items[1]!.sha256}/登录日志 2026-12.txt`,
      `items/${items[2]!.sha256}/a_b__c_d_.log`,
    ]);
    expect(manifest.items[0]).toMatchObject({ md5: items[0]!.md5, bytes: files[0]!.bytes.length });
    expect(manifest.items[0].custody.map((c: { action: string }) => c.action)).toEqual(['evidence.add']);
    expect(entries.get(manifest.items[1].path)!.equals(files[1]!.bytes)).toBe(true);
    expect(entries.get('manifest.pdf')!.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha256(entries.get('SHA256SUMS')!)).toBe(manifest.sha256sums.sha256);

    const signing = (await t.as(responder, { method: 'GET', url: '/api/v1/signing-key' })).json() as SigningKeyInfo;
    expect(signing).toMatchObject({ algorithm: 'Ed25519', fingerprint: manifest.signingKey.fingerprint });
    expect(entries.get('signing-key.pem')!.toString()).toBe(signing.publicKeyPem);
    expect((await t.as(null, { method: 'GET', url: '/api/v1/signing-key' })).statusCode).toBe(401);

    const keyFile = path.join(tmp, `${kind}-tocsin.pem`);
    fs.writeFileSync(keyFile, signing.publicKeyPem);
    const ok = await checkPackageCli(zipFile, '--public-key', keyFile);
    expect(ok.code).toBe(0);
    expect(ok.lines).toEqual([{ ok: true, items: 3, problems: 0, fingerprint: signing.fingerprint }]);
    const own = await checkPackageCli(zipFile);
    expect(own.code).toBe(0);
    expect(own.stderr).toContain(`fingerprint ${signing.fingerprint}`);
  });

  it('a byte flipped in an item is named and exits 1; a manifest changed after signing is a bad signature', async () => {
    const item = `items/${items[0]!.sha256}/gateway.pcap`;
    const flipped = await rezip(zipFile, path.join(tmp, `${kind}-flipped.zip`), {
      [item]: (b) => {
        const c = Buffer.from(b);
        c[100] = c[100]! ^ 0xff;
        return c;
      },
    });
    const bad = await checkPackageCli(flipped);
    expect(bad.code).toBe(1);
    const changed = bad.lines.filter((l) => l.problem === 'changed');
    expect(changed.map((l) => [l.path, l.id])).toEqual([[item, items[0]!.id]]);
    expect(bad.lines.at(-1)).toMatchObject({ ok: false, items: 3 });

    const forged = await rezip(zipFile, path.join(tmp, `${kind}-forged.zip`), {
      'manifest.json': (b) => Buffer.from(b.toString('utf8').replace('上海市公安局网安总队', '某某公司')),
    });
    const sig = await checkPackageCli(forged);
    expect(sig.code).toBe(1);
    expect(sig.lines.map((l) => l.problem)).toContain('bad_signature');
  });

  it('verifies with openssl and sha256sum alone, as a recipient without Tocsin does', async (ctx) => {
    const has = (cmd: string) => !spawnSync(cmd, ['-h'], { encoding: 'utf8' }).error;
    if (!has('openssl') || !has('unzip') || !has('sha256sum')) {
      if (process.env.CI) throw new Error('CI must have openssl, unzip and sha256sum (the recipient commands)');
      ctx.skip('openssl, unzip or sha256sum is not on PATH: the recipient commands of docs/evidence.md are not run');
      return;
    }
    const dir = fs.mkdtempSync(path.join(tmp, `${kind}-unzipped-`));
    const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
    // The command docs/evidence.md gives a recipient.
    const verify = () =>
      run('openssl', [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        'signing-key.pem',
        '-rawin',
        '-in',
        'manifest.json',
        '-sigfile',
        'manifest.sig',
      ]);
    expect(run('unzip', ['-q', zipFile]).status).toBe(0);
    const verified = verify();
    expect(verified.stdout.trim(), verified.stderr).toBe('Signature Verified Successfully');
    const sums = run('sha256sum', ['-c', 'SHA256SUMS']);
    expect(sums.status, sums.stdout + sums.stderr).toBe(0);
    expect(sums.stdout.split('\n').filter(Boolean)).toHaveLength(4);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(run('sha256sum', ['SHA256SUMS']).stdout.split(' ')[0]).toBe(manifest.sha256sums.sha256);
    // The fingerprint the firm publishes: SHA-256 of the key's DER form.
    const der = spawnSync('openssl', ['pkey', '-pubin', '-in', 'signing-key.pem', '-outform', 'DER'], { cwd: dir });
    expect(sha256(der.stdout)).toBe(manifest.signingKey.fingerprint);
    fs.appendFileSync(path.join(dir, 'manifest.json'), ' ');
    expect(verify().status).not.toBe(0);
  });

  it('custody shows the transfer to the outside party; making and downloading the package are audited; the request lists it', async () => {
    const custody = (
      await t.as(ic, { method: 'GET', url: `/api/v1/evidence/${items[1]!.id}/custody` })
    ).json() as CustodyHistory;
    expect(custody.items.map((e) => e.action)).toEqual(['evidence.add', 'evidence.export']);
    expect(custody.items[1]!.details).toMatchObject({
      package: pkg.id,
      recipient: '上海市公安局网安总队',
      request: requestId,
    });
    expect(custody.items[1]!.ip).toBe('198.51.100.20');
    const onPackage = (await t.s.audit.list({ targetType: 'evidence_package', targetId: pkg.id }, 10)).items;
    expect(onPackage.map((e) => [e.action, e.actor.id])).toEqual([
      ['evidence.package_download', auditor.userId],
      ['evidence.package_create', responder.userId],
    ]);
    const req = (
      await t.as(ic, { method: 'GET', url: `/api/v1/investigation-requests/${requestId}` })
    ).json() as InvestigationRequest;
    const listed = { kind: 'export_package', ref: pkg.id, description: expect.stringContaining('3 item(s)') };
    expect(req.handedOver).toEqual([listed]);
    // Answering the request afterwards keeps the package among what was handed over.
    const answered = await t.as(ic, {
      method: 'POST',
      url: `/api/v1/investigation-requests/${requestId}/answer`,
      payload: { handedOver: [{ kind: 'document', description: 'cover letter, 1 page' }] },
    });
    expect((answered.json() as InvestigationRequest).handedOver).toEqual([
      listed,
      { kind: 'document', ref: null, description: 'cover letter, 1 page' },
    ]);
  });

  it('an auditor may download but not make a package; items of another incident are refused', async () => {
    const denied = await t.as(auditor, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/evidence/packages`,
      payload: { itemIds: [items[0]!.id], recipient: 'CSRC' },
    });
    expect(denied.statusCode).toBe(403);
    const other = await upload(ic, secretKey, 'laptop.img', Buffer.alloc(2000, 1));
    const wrong = await t.as(responder, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/evidence/packages`,
      payload: { itemIds: [items[0]!.id, other.id], recipient: 'CSRC' },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe('evidence.items_unknown');
  });

  it('an item whose bytes changed on disk stops the package: 409, and no package is kept', async () => {
    const item = await upload(responder, key, 'tampered.log', Buffer.from('original bytes of the log\n'));
    const blob = path.join(blobDir, 'sha256', item.sha256.slice(0, 2), item.sha256.slice(2, 4), item.sha256);
    fs.chmodSync(blob, 0o644);
    fs.writeFileSync(blob, 'altered bytes of the log\n');
    const res = await t.as(responder, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/evidence/packages`,
      payload: { itemIds: [items[0]!.id, item.id], recipient: 'CSRC' },
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ code: 'evidence.item_changed', params: { id: item.id } });
    const listed = (
      await t.as(responder, { method: 'GET', url: `/api/v1/incidents/${key}/evidence/packages` })
    ).json() as EvidencePackageList;
    expect(listed.items.map((p) => p.id)).toEqual([pkg.id]);
  });

  it("a restricted incident's packages are 404 to those outside it", async () => {
    const item = await upload(ic, secretKey, 'hr.eml', Buffer.from('From: hr@example.com\n\nnotes\n'));
    const made = await t.as(ic, {
      method: 'POST',
      url: `/api/v1/incidents/${secretKey}/evidence/packages`,
      payload: { itemIds: [item.id], recipient: 'Court' },
    });
    expect(made.statusCode, made.body).toBe(201);
    const id = (made.json() as EvidencePackage).id;
    expect((await t.as(responder, { method: 'GET', url: `/api/v1/evidence-packages/${id}/content` })).statusCode).toBe(
      404,
    );
    expect(
      (await t.as(responder, { method: 'GET', url: `/api/v1/incidents/${secretKey}/evidence/packages` })).statusCode,
    ).toBe(404);
    const create = await t.as(responder, {
      method: 'POST',
      url: `/api/v1/incidents/${secretKey}/evidence/packages`,
      payload: { itemIds: [item.id], recipient: 'Court' },
    });
    expect(create.statusCode).toBe(404);
    expect((await t.as(ic, { method: 'GET', url: `/api/v1/evidence-packages/${id}/content` })).statusCode).toBe(200);
  });
});

describe('check-package on a file that is not a readable package', () => {
  async function zipOf(name: string, bytes: Buffer, rename?: [string, string]): Promise<string> {
    const zip = new ZipFile();
    zip.addBuffer(bytes, name);
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
    let b = Buffer.concat(chunks);
    if (rename) b = Buffer.from(b.toString('latin1').replaceAll(rename[0], rename[1]), 'latin1');
    const file = path.join(tmp, `hostile-${name.replace(/\W/g, '_')}.zip`);
    fs.writeFileSync(file, b);
    return file;
  }

  it('refuses path traversal and a zip bomb with the reason, exit 2; a missing file is exit 2 too', async () => {
    const traversal = await checkPackageCli(await zipOf('aa/manifest.json', Buffer.from('{}'), ['aa/', '../']));
    expect(traversal.code).toBe(2);
    expect(traversal.lines).toEqual([]);
    expect(traversal.stderr).toBe(
      'tocsin: check-package: refused: parent_path ("../manifest.json"): a ".." segment (path traversal)\n',
    );
    const bomb = await checkPackageCli(await zipOf('items/zeros.bin', Buffer.alloc(8 * 1024 * 1024)));
    expect(bomb.code).toBe(2);
    expect(bomb.stderr).toMatch(/^tocsin: check-package: refused: ratio \("items\/zeros.bin"\): .*zip bomb\)\n$/);
    const none = await checkPackageCli(path.join(tmp, 'no-such.zip'));
    expect(none).toMatchObject({ code: 2, stderr: expect.stringContaining('ENOENT') });
  });
});
