/** Statements over HTTP: drafting, the approval path with permissions, the inbox, versions, diff, preview. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusPublishRequest } from '../../src/server/modules/status/index.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildIncident, buildService } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

describe.each(STORE_KINDS)('statements API (%s)', (kind) => {
  let t: TestApp;
  let key: string;
  let author: Session;
  let reviewer: Session;
  let support: Session;
  const published: StatusPublishRequest[] = [];

  beforeAll(async () => {
    t = await createTestApp(
      kind,
      {},
      {
        statementPorts: {
          status: {
            publish: async (_tx, _actor, req) => {
              published.push(req);
              return { announcementId: 'a1', slug: 'outage', path: '/status/incidents/outage' };
            },
          },
        },
      },
    );
    await buildService(t.s, { key: 'online-trading' });
    key = (await buildIncident(t.s, { category: 'equipment_failure', grade: 'III', services: ['online-trading'] })).key;
    author = await t.login('communications');
    reviewer = await t.login('communications');
    support = await t.login('customer_service');
  });
  afterAll(() => t.close());

  const create = async (who: Session, body: Record<string, unknown>) =>
    t.as(who, { method: 'POST', url: `/api/v1/incidents/${key}/statements`, payload: body });

  it('drafts, reviews and publishes a holding statement; the author cannot approve it', async () => {
    const created = await create(author, { kind: 'holding_statement' });
    expect(created.statusCode, created.body).toBe(201);
    const st = created.json();
    expect(st).toMatchObject({ incidentKey: key, kind: 'holding_statement', scenario: 'outage', state: 'draft' });
    expect(st.version.title.en).toBe('About the interruption of Online trading');

    const early = await t.as(reviewer, { method: 'POST', url: `/api/v1/statements/${st.id}/publish`, payload: {} });
    expect(expectProblem(early, 409)).toMatchObject({ code: 'statement.not_approved' });

    expect((await t.as(author, { method: 'POST', url: `/api/v1/statements/${st.id}/submit` })).json().state).toBe(
      'in_review',
    );
    const own = await t.as(author, {
      method: 'POST',
      url: `/api/v1/statements/${st.id}/reviews`,
      payload: { verdict: 'approve' },
    });
    expect(expectProblem(own, 403)).toMatchObject({ code: 'statement.self_review' });

    const inbox = await t.as(reviewer, { method: 'GET', url: '/api/v1/statements?state=in_review&reviewer=me' });
    expect(inbox.json().items.map((x: { id: string }) => x.id)).toContain(st.id);

    const ok = await t.as(reviewer, {
      method: 'POST',
      url: `/api/v1/statements/${st.id}/reviews`,
      payload: { verdict: 'approve' },
    });
    expect(ok.json().state).toBe('approved');
    const out = await t.as(reviewer, { method: 'POST', url: `/api/v1/statements/${st.id}/publish`, payload: {} });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toMatchObject({ state: 'published', publication: { path: '/status/incidents/outage' } });
    expect(published.at(-1)).toMatchObject({ statementId: st.id, kind: 'holding_statement' });

    const list = await t.as(support, { method: 'GET', url: `/api/v1/incidents/${key}/statements` });
    expect(list.json().items.find((x: { id: string }) => x.id === st.id).state).toBe('published');
  });

  it('lets customer service draft but not approve or publish', async () => {
    const st = (await create(support, { kind: 'qa_pack' })).json();
    expect(st.state).toBe('draft');
    await t.as(support, { method: 'POST', url: `/api/v1/statements/${st.id}/submit` });
    const review = await t.as(support, {
      method: 'POST',
      url: `/api/v1/statements/${st.id}/reviews`,
      payload: { verdict: 'approve' },
    });
    expect(expectProblem(review, 403)).toMatchObject({ code: 'permission.denied' });
    const emergency = await t.as(support, {
      method: 'POST',
      url: `/api/v1/statements/${st.id}/emergency-approve`,
      payload: {},
    });
    expectProblem(emergency, 403);
    const publish = await t.as(support, { method: 'POST', url: `/api/v1/statements/${st.id}/publish`, payload: {} });
    expectProblem(publish, 403);
    // Customer service may withdraw its own draft, not someone else's.
    const others = (await create(author, { kind: 'qa_pack' })).json();
    const withdraw = (id: string) =>
      t.as(support, { method: 'POST', url: `/api/v1/statements/${id}/withdraw`, payload: { reason: 'duplicate' } });
    expectProblem(await withdraw(others.id), 403);
    expect((await withdraw(st.id)).json().state).toBe('withdrawn');
  });

  it('keeps every version with a diff, and asks for a comment when changes are requested', async () => {
    const st = (await create(author, { kind: 'status_update' })).json();
    const v2 = await t.as(author, {
      method: 'POST',
      url: `/api/v1/statements/${st.id}/versions`,
      payload: {
        title: { zh: '最新进展', en: 'Update' },
        body: { zh: '已恢复', en: 'Service is back' },
        fields: { status: 'monitoring' },
      },
    });
    expect(v2.json().version).toMatchObject({ n: 2, fields: { status: 'monitoring' } });
    const blank = await t.as(author, {
      method: 'POST',
      url: `/api/v1/statements/${st.id}/versions`,
      payload: { title: { zh: '最新进展', en: '' }, body: { zh: '已恢复', en: 'Service is back' } },
    });
    expect(blank.json().version.n).toBe(3);
    const refused = await t.as(author, { method: 'POST', url: `/api/v1/statements/${st.id}/submit` });
    expect(expectProblem(refused, 422).errors?.map((e) => e.path)).toEqual(['title.en']);
    await t.as(author, {
      method: 'POST',
      url: `/api/v1/statements/${st.id}/versions`,
      payload: { title: { zh: '最新进展', en: 'Update' }, body: { zh: '已恢复', en: 'Service is back' } },
    });
    const versions = await t.as(support, { method: 'GET', url: `/api/v1/statements/${st.id}/versions` });
    expect(versions.json().items.map((v: { n: number }) => v.n)).toEqual([4, 3, 2, 1]);
    const diff = await t.as(support, { method: 'GET', url: `/api/v1/statements/${st.id}/versions/2/diff?against=1` });
    expect(diff.json().diff).toContain('+Service is back');
    const missing = await t.as(support, {
      method: 'GET',
      url: `/api/v1/statements/${st.id}/versions/9/diff?against=1`,
    });
    expect(expectProblem(missing, 404)).toMatchObject({ code: 'statement.version_not_found' });

    await t.as(author, { method: 'POST', url: `/api/v1/statements/${st.id}/submit` });
    const bare = await t.as(reviewer, {
      method: 'POST',
      url: `/api/v1/statements/${st.id}/reviews`,
      payload: { verdict: 'request_changes' },
    });
    expect(expectProblem(bare, 400).errors?.[0]?.path).toBe('body.comment');
  });

  it('previews Markdown as sanitized HTML, scripts shown as text', async () => {
    const res = await t.as(support, {
      method: 'POST',
      url: '/api/v1/statements/preview',
      payload: { body: { zh: '**重要**<script>alert(1)</script>', en: '[x](javascript:alert(1)) *ok*' } },
    });
    const { html } = res.json();
    expect(html.zh).toContain('<strong>重要</strong>');
    expect(html.zh).not.toContain('<script>');
    expect(html.en).toContain('<em>ok</em>');
    expect(html.en).not.toContain('href="javascript');
  });

  it('keeps statements of a restricted incident from people outside it', async () => {
    const commander = await t.login('incident_commander');
    const secret = (
      await buildIncident(t.s, { by: commander, title: 'Restricted', restricted: true, category: 'data_security' })
    ).key;
    const st = await t.as(commander, {
      method: 'POST',
      url: `/api/v1/incidents/${secret}/statements`,
      payload: { kind: 'media_statement' },
    });
    expect(st.statusCode, st.body).toBe(201);
    const id = st.json().id as string;
    expectProblem(await t.as(support, { method: 'GET', url: `/api/v1/statements/${id}` }), 404);
    expectProblem(
      await t.as(reviewer, {
        method: 'POST',
        url: `/api/v1/statements/${id}/reviews`,
        payload: { verdict: 'approve' },
      }),
      404,
    );
    const all = await t.as(support, { method: 'GET', url: '/api/v1/statements?limit=200' });
    expect(all.json().items.map((x: { id: string }) => x.id)).not.toContain(id);
    const admin = await t.login('admin');
    expect((await t.as(admin, { method: 'GET', url: `/api/v1/statements/${id}` })).statusCode).toBe(200);
  });

  it('answers 404 for a statement that does not exist', async () => {
    const res = await t.as(support, { method: 'GET', url: '/api/v1/statements/0190f0f0-0000-7000-8000-000000000000' });
    expect(expectProblem(res, 404)).toMatchObject({ code: 'statement.not_found' });
  });
});
