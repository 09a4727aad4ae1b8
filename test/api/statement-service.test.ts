/** The statement service: the approval path, its refusals, the emergency path, fact flags, the inbox. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserRole } from '../../src/shared/enums.js';
import type { StatementKind } from '../../src/shared/plan-schemas.js';
import type { Services } from '../../src/server/compose.js';
import type { Principal } from '../../src/server/modules/auth/index.js';
import { buildIncident, buildPrincipal, buildService } from '../helpers/fixtures.js';
import { STORE_KINDS, testConfig } from '../helpers/store.js';
import { compose } from '../../src/server/compose.js';
import type { StatusPublishRequest } from '../../src/server/modules/status/index.js';

const T0 = Date.UTC(2026, 11, 3, 6, 0);

describe.each(STORE_KINDS)('statements (%s)', (kind) => {
  let s: Services;
  let drop: () => Promise<void>;
  let published: StatusPublishRequest[];
  let falseClaims: { id: string; claim: { zh: string; en: string } }[];
  let incidentKey: string;
  const people = new Map<string, Principal>();
  const as = async (name: string, role: UserRole) => {
    if (!people.has(name)) people.set(name, await buildPrincipal(s, { role, name }));
    return people.get(name)!;
  };

  beforeEach(async () => {
    published = [];
    falseClaims = [];
    people.clear();
    const t = testConfig(kind);
    drop = t.drop;
    s = await compose(t.config, {
      clock: { now: () => T0 },
      statementPorts: {
        status: {
          publish: async (_tx, _actor, req) => {
            published.push(req);
            return { announcementId: 'a1', slug: 'inc-slug', path: '/status/incidents/inc-slug' };
          },
        },
        facts: {
          contradictions: async (_db, _incident, text) =>
            falseClaims.filter((f) => text.toLowerCase().includes(f.claim.en.toLowerCase())),
        },
      },
    });
    await buildService(s, { key: 'online-trading' });
    incidentKey = (
      await buildIncident(s, { title: 'Credential stuffing', category: 'network_attack', services: ['online-trading'] })
    ).key;
  });
  afterEach(async () => {
    await s.close();
    await drop();
  });

  const draft = async (k: StatementKind = 'holding_statement', by = 'author') =>
    s.statements.create(await as(by, 'communications'), incidentKey, { kind: k });

  it('drafts from the template, goes through review and publishes to the status site', async () => {
    const heard: string[] = [];
    const sub = s.bus.subscribe((e) => {
      if (e.event === 'statement.changed') heard.push(e.statement!.state);
    });
    const st = await draft();
    expect(st).toMatchObject({ kind: 'holding_statement', scenario: 'credential_stuffing', state: 'draft' });
    expect(st.version.body.zh).toContain(incidentKey);
    expect(st.version.body.en).toContain('Online trading');
    expect(st.reviewsRequired).toEqual([{ review: 'communications', by: null }]);

    const submitted = await s.statements.submit(await as('author', 'communications'), st.id);
    expect(submitted.state).toBe('in_review');
    const approved = await s.statements.review(await as('reviewer', 'communications'), st.id, {
      verdict: 'approve',
      comment: '',
    });
    expect(approved.state).toBe('approved');
    expect(approved.reviewsRequired[0]!.by?.name).toBe('reviewer');

    const out = await s.statements.publish(await as('publisher', 'communications'), st.id, {
      emergency: false,
      acknowledgeFlags: false,
    });
    expect(out.state).toBe('published');
    sub.close();
    // Consoles hear every change live.
    expect(heard).toEqual(['draft', 'in_review', 'approved', 'published']);
    expect(out.publication).toEqual({ announcementId: 'a1', slug: 'inc-slug', path: '/status/incidents/inc-slug' });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      kind: 'holding_statement',
      statementId: st.id,
      title: st.version.title,
      fields: { status: 'investigating', services: ['online-trading'] },
    });
    const actions = (await s.audit.list({}, 50)).items.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['statement.create', 'statement.submit', 'statement.review', 'statement.publish']),
    );
  });

  it('refuses the author approving their own version', async () => {
    const st = await draft('holding_statement', 'writer');
    await s.statements.submit(await as('writer', 'communications'), st.id);
    await expect(
      s.statements.review(await as('writer', 'communications'), st.id, { verdict: 'approve', comment: '' }),
    ).rejects.toMatchObject({ status: 403, code: 'statement.self_review' });
  });

  it('needs every configured review from distinct people, and a new version starts the approvals over', async () => {
    const st = await draft('media_statement');
    await s.statements.submit(await as('author', 'communications'), st.id);
    const comms = await as('comms', 'communications');
    const compliance = await as('compliance', 'compliance');
    await s.statements.review(comms, st.id, { verdict: 'approve', comment: '' });
    let now = await s.statements.review(compliance, st.id, { verdict: 'approve', comment: '' });
    expect(now.state).toBe('in_review'); // legal is still open
    // The same person cannot fill legal too; a second compliance person can.
    await expect(s.statements.review(compliance, st.id, { verdict: 'approve', comment: '' })).rejects.toMatchObject({
      code: 'statement.already_reviewed',
    });
    await expect(
      s.statements.review(await as('comms2', 'communications'), st.id, { verdict: 'approve', comment: '' }),
    ).rejects.toMatchObject({ code: 'statement.no_open_review' });
    now = await s.statements.review(await as('legal', 'compliance'), st.id, { verdict: 'approve', comment: '' });
    expect(now.state).toBe('approved');

    const edited = await s.statements.newVersion(await as('author', 'communications'), st.id, {
      title: { zh: '声明', en: 'Statement' },
      body: { zh: '新的文字', en: 'New words' },
    });
    expect(edited.state).toBe('in_review');
    expect(edited.version.n).toBe(2);
    expect(edited.reviewsRequired.every((r) => r.by === null)).toBe(true);
    await expect(
      s.statements.publish(await as('publisher', 'communications'), st.id, {
        emergency: false,
        acknowledgeFlags: false,
      }),
    ).rejects.toMatchObject({ status: 409, code: 'statement.not_approved' });
    const diff = await s.statements.diff(comms, st.id, 2, 1);
    expect(diff.diff).toContain('+New words');
  });

  it('request changes sends it back to draft', async () => {
    const st = await draft();
    await s.statements.submit(await as('author', 'communications'), st.id);
    const back = await s.statements.review(await as('comms', 'communications'), st.id, {
      verdict: 'request_changes',
      comment: 'Say when the next update comes',
    });
    expect(back.state).toBe('draft');
    expect(back.reviews[0]).toMatchObject({ verdict: 'request_changes', comment: 'Say when the next update comes' });
  });

  it('never publishes an unapproved statement', async () => {
    const st = await draft();
    const publisher = await as('publisher', 'communications');
    const attempt = () => s.statements.publish(publisher, st.id, { emergency: false, acknowledgeFlags: false });
    await expect(attempt()).rejects.toMatchObject({ status: 409, code: 'statement.not_approved' });
    await s.statements.submit(await as('author', 'communications'), st.id);
    await expect(attempt()).rejects.toMatchObject({ status: 409 });
    expect(published).toEqual([]);
    expect((await s.statements.get(publisher, st.id)).state).toBe('in_review');
  });

  it('publishes by the emergency path only once two different people approved the version', async () => {
    const st = await draft();
    const publisher = await as('publisher', 'communications');
    const emergency = () =>
      s.statements.publish(publisher, st.id, { emergency: true, reason: 'Rumors spreading', acknowledgeFlags: false });
    await s.statements.emergencyApprove(await as('one', 'compliance'), st.id, '');
    await expect(s.statements.emergencyApprove(await as('one', 'compliance'), st.id, '')).rejects.toMatchObject({
      code: 'statement.already_reviewed',
    });
    await expect(emergency()).rejects.toMatchObject({ code: 'statement.emergency_needs_two' });
    await expect(s.statements.emergencyApprove(await as('author', 'communications'), st.id, '')).rejects.toMatchObject({
      code: 'statement.self_review',
    });
    await s.statements.emergencyApprove(await as('two', 'incident_commander'), st.id, 'ok');
    const out = await emergency();
    expect(out.state).toBe('published');
    expect(out.emergency).toMatchObject({ reason: 'Rumors spreading' });
    expect(out.emergency!.approvers.map((a) => a.name).sort()).toEqual(['one', 'two']);
    expect(published).toHaveLength(1);
    const audit = (await s.audit.list({}, 50)).items.filter((e) => e.action === 'statement.emergency_approve');
    expect(audit).toHaveLength(2);
  });

  it('flags a statement repeating a claim marked false and publishes it only when acknowledged', async () => {
    falseClaims = [{ id: 'fact-1', claim: { zh: '客户资金被盗', en: 'Online trading' } }];
    const st = await draft();
    const submitted = await s.statements.submit(await as('author', 'communications'), st.id);
    expect(submitted.flags).toEqual([{ kind: 'contradicts_fact', factId: 'fact-1', claim: falseClaims[0]!.claim }]);
    await s.statements.review(await as('comms', 'communications'), st.id, { verdict: 'approve', comment: '' });
    const publisher = await as('publisher', 'communications');
    await expect(
      s.statements.publish(publisher, st.id, { emergency: false, acknowledgeFlags: false }),
    ).rejects.toMatchObject({ status: 409, code: 'statement.contradicts_fact' });
    expect(published).toEqual([]);
    const out = await s.statements.publish(publisher, st.id, { emergency: false, acknowledgeFlags: true });
    expect(out.state).toBe('published');
  });

  it('publishes a media statement without the status site, and withdraws only what is not published', async () => {
    const st = await draft('internal_briefing');
    await s.statements.submit(await as('author', 'communications'), st.id);
    await s.statements.review(await as('comms', 'communications'), st.id, { verdict: 'approve', comment: '' });
    const out = await s.statements.publish(await as('publisher', 'communications'), st.id, {
      emergency: false,
      acknowledgeFlags: false,
    });
    expect(out).toMatchObject({ state: 'published', publication: null });
    expect(published).toEqual([]);
    await expect(s.statements.withdraw(await as('author', 'communications'), st.id, 'no')).rejects.toMatchObject({
      code: 'statement.wrong_state',
    });
    const other = await draft('qa_pack');
    expect((await s.statements.withdraw(await as('author', 'communications'), other.id, 'duplicate')).state).toBe(
      'withdrawn',
    );
  });

  it('lists the approval inbox: statements waiting for a review the caller can give', async () => {
    const media = await draft('media_statement');
    const holding = await draft('holding_statement');
    await draft('qa_pack'); // a draft: not in review
    for (const st of [media, holding]) await s.statements.submit(await as('author', 'communications'), st.id);
    const ids = async (p: Principal) =>
      (await s.statements.list(p, { reviewer: 'me', limit: 50 })).items.map((x) => x.id).sort();
    expect(await ids(await as('compliance', 'compliance'))).toEqual([media.id]);
    expect(await ids(await as('comms', 'communications'))).toEqual([media.id, holding.id].sort());
    expect(await ids(await as('author', 'communications'))).toEqual([]);
  });
});
