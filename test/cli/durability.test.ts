/**
 * SIGKILL during writes loses no acknowledged change: a 2xx answer means committed, audit entry
 * included, whatever happens to the process a moment later.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ADMIN_EMAIL, api, buildOnce, incidentBody, startServer, tempDir, tocsin } from './harness.js';

const dir = tempDir('tocsin-durability-');

beforeAll(buildOnce, 180_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface AckedIncident {
  key: string;
  title: string;
}
interface AckedNote {
  key: string;
  id: string;
  text: string;
}

test('every write acknowledged before a SIGKILL is there after restart, with its audit entry, and the chain verifies', async () => {
  const env = { TOCSIN_DATA_DIR: dir };
  let server = await startServer(dir);
  const token = (await tocsin(['tokens', 'create', '--email', ADMIN_EMAIL, '--name', 'load'], env)).stdout.trim();
  expect(token).toMatch(/^tcs_/);

  const incidents: AckedIncident[] = [];
  const notes: AckedNote[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await api(server.url, token, 'POST', '/api/v1/incidents', incidentBody(`seed ${i}`));
    incidents.push({ key: r.body.key, title: `seed ${i}` });
  }

  // Many concurrent writers, alternating declarations and timeline notes; a write counts as
  // acknowledged only when its 2xx answer has arrived. Anything in flight at the kill may or may not be there.
  let inFlight = 0;
  let failedBeforeKill = 0;
  let killed = false;
  const writer = async (w: number) => {
    for (let i = 0; ; i++) {
      inFlight++;
      try {
        if (i % 2 === 0) {
          const title = `durable ${w}-${i}`;
          const r = await api(server.url, token, 'POST', '/api/v1/incidents', incidentBody(title));
          if (r.status === 201) incidents.push({ key: r.body.key, title });
          else if (!killed) failedBeforeKill++;
        } else {
          const key = incidents[(w * 7 + i) % incidents.length]!.key;
          const text = `note ${w}-${i}`;
          const r = await api(server.url, token, 'POST', `/api/v1/incidents/${key}/timeline`, { kind: 'note', text });
          if (r.status === 201) notes.push({ key, id: r.body.id, text });
          else if (!killed) failedBeforeKill++;
        }
      } catch {
        // Connection refused or reset: the server is gone.
        return;
      } finally {
        inFlight--;
      }
    }
  };
  const writers = Array.from({ length: 16 }, (_, w) => writer(w));
  while (incidents.length + notes.length < 250) await new Promise((r) => setTimeout(r, 5));
  const inFlightAtKill = inFlight;
  killed = true;
  await server.kill();
  await Promise.all(writers);

  expect(server.child.signalCode).toBe('SIGKILL');
  expect(failedBeforeKill).toBe(0);
  expect(inFlightAtKill, 'the kill hit the server while requests were in flight').toBeGreaterThan(0);

  server = await startServer(dir);
  try {
    // Every acknowledged declaration, through the API of the restarted server.
    const missing: string[] = [];
    for (const inc of incidents) {
      const r = await api(server.url, token, 'GET', `/api/v1/incidents/${inc.key}`);
      if (r.status !== 200 || r.body.title !== inc.title) missing.push(inc.key);
    }
    expect(missing).toEqual([]);
    // Every acknowledged note, in its incident's timeline.
    const byIncident = new Map<string, AckedNote[]>();
    for (const n of notes) byIncident.set(n.key, [...(byIncident.get(n.key) ?? []), n]);
    for (const [key, acked] of byIncident) {
      const seen = new Set<string>();
      let cursor: string | null = '';
      while (cursor !== null) {
        const page: { body: { items: { id: string }[]; next: string | null } } = await api(
          server.url,
          token,
          'GET',
          `/api/v1/incidents/${key}/timeline?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        );
        for (const e of page.body.items) seen.add(e.id);
        cursor = page.body.next;
      }
      expect(
        acked.filter((n) => !seen.has(n.id)),
        `notes lost from ${key}`,
      ).toEqual([]);
    }
  } finally {
    await server.stop();
  }

  // Each acknowledged change committed together with its audit entry.
  const db = new Database(path.join(dir, 'tocsin.db'), { readonly: true });
  try {
    const created = new Set(
      db.prepare("select target_id from audit_log where action = 'incident.create'").pluck().all() as string[],
    );
    expect(incidents.filter((i) => !created.has(i.key))).toEqual([]);
    const appended = new Set(
      (db.prepare("select after_json from audit_log where action = 'timeline.append'").pluck().all() as string[]).map(
        (j) => (JSON.parse(j) as { entryId: string }).entryId,
      ),
    );
    expect(notes.filter((n) => !appended.has(n.id))).toEqual([]);
  } finally {
    db.close();
  }

  const verify = await tocsin(['audit', 'verify'], env);
  expect(verify.code, verify.stderr).toBe(0);
  expect(verify.stdout).toMatch(/audit chain intact/);
}, 60_000);
