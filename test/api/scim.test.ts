/**
 * SCIM 2.0 provisioning (docs/scim.md), driven as an identity provider's client does (RFC 7644 flows):
 * discovery, create a user, find them by filter, PATCH their name, put them in a group (role mapped),
 * rename the group (role re-mapped), take them out (no access at their next request), deactivate
 * (their session gets 401), DELETE (gone from SCIM, account disabled, history kept); bad input and bad
 * tokens answered in the SCIM error schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/shared/user-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { configFileFixture } from '../helpers/config-file.js';
import { buildToken, buildUser } from '../helpers/fixtures.js';
import { STORE_KINDS } from '../helpers/store.js';

const fixture = configFileFixture('TOCSIN_IDENTITY_FILE', 'identity');
const SCIM = 'application/scim+json';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

const IDENTITY = `providers:
  - id: corp
    kind: oidc
    label: Firm SSO
    issuer: https://login.firm.test/realms/staff
    clientId: tocsin
    scim: true
    roles:
      - { group: tocsin-commanders, role: incident_commander }
      - { group: soc, role: responder }
  - id: lab
    kind: oidc
    label: Lab SSO
    issuer: https://login.lab.test
    clientId: tocsin
    scim: true
    roles: [{ group: soc, role: responder }]
  - id: partner
    kind: oidc
    label: Partner SSO
    issuer: https://login.partner.test
    clientId: tocsin
    roles: [{ group: soc, role: responder }]
`;

describe.each(STORE_KINDS)('SCIM provisioning (%s)', (kind) => {
  let t: TestApp;
  let token: string;
  let labToken: string;
  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, bearer = token) =>
    t.app.inject({
      method,
      url: `/scim/v2${url}`,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': SCIM }),
      },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const patchOp = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });
  /** The SCIM error a response carries, after checking its status, media type and schema. */
  const scimError = (res: Awaited<ReturnType<typeof call>>, status: number) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toBe(SCIM);
    const body = res.json();
    expect(body.schemas).toEqual([ERROR]);
    expect(body.status).toBe(String(status));
    return body as { scimType?: string; detail: string };
  };
  /** A session of `user` opened as a directory sign-in opens it. */
  const sessionFor = async (user: User): Promise<Session> => {
    const { cookie, info } = await t.s.auth.openDirectorySession(user, {
      mfaPassed: true,
      requireTotp: false,
      method: 'corp',
    });
    return { cookie: `tocsin_session=${cookie}`, csrf: info.csrfToken, userId: user.id };
  };
  const incidents = (s: Session) => t.as(s, { method: 'GET', url: '/api/v1/incidents' });

  beforeAll(async () => {
    t = await createTestApp(kind, { TOCSIN_IDENTITY_FILE: fixture.withFile(IDENTITY) });
    const admin = await buildUser(t.s, { role: 'admin' });
    token = (await buildToken(t.s, admin.id, { name: 'scim:corp Entra ID provisioning', scopes: ['scim'] })).token;
    labToken = (await buildToken(t.s, admin.id, { name: 'scim:lab', scopes: ['scim'] })).token;
  });
  afterAll(() => t?.close());

  it('answers discovery in application/scim+json: what it supports, its schemas and resource types', async () => {
    const spc = await call('GET', '/ServiceProviderConfig');
    expect(spc.statusCode, spc.body).toBe(200);
    expect(spc.headers['content-type']).toBe(SCIM);
    expect(spc.json()).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
      etag: { supported: false },
      sort: { supported: false },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
    });
    const schemas = (await call('GET', '/Schemas')).json();
    expect(schemas.totalResults).toBe(2);
    expect(schemas.Resources.map((r: { id: string }) => r.id)).toEqual([USER, GROUP]);
    const userSchema = schemas.Resources[0].attributes.map((a: { name: string }) => a.name);
    expect(userSchema).toEqual(expect.arrayContaining(['userName', 'externalId', 'name', 'emails', 'active']));
    expect((await call('GET', `/Schemas/${USER}`)).json().name).toBe('User');
    const types = (await call('GET', '/ResourceTypes')).json();
    expect(types.Resources.map((r: { endpoint: string; schema: string }) => [r.endpoint, r.schema])).toEqual([
      ['/Users', USER],
      ['/Groups', GROUP],
    ]);
    expect((await call('GET', '/ResourceTypes/Group')).json().endpoint).toBe('/Groups');
    scimError(await call('GET', '/ResourceTypes/Printer'), 404);
  });

  it('lets in only a scim token bound to a provider with scim: true (401 / 403 in the SCIM error schema)', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/scim/v2/Users' });
    scimError(none, 401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(scimError(await call('GET', '/Users', undefined, 'tcs_not-a-real-token'), 401).detail).toMatch(
      /unknown, revoked or expired/,
    );
    const admin = await buildUser(t.s, { role: 'admin' });
    const responder = await buildUser(t.s, { role: 'responder' });
    const readToken = (await buildToken(t.s, admin.id, { name: 'scim:corp', scopes: ['read'] })).token;
    scimError(await call('GET', '/Users', undefined, readToken), 403);
    const unbound = (await buildToken(t.s, admin.id, { name: 'provisioning', scopes: ['scim'] })).token;
    expect(scimError(await call('GET', '/Users', undefined, unbound), 403).detail).toMatch(/scim:<provider id>/);
    const optedOut = (await buildToken(t.s, admin.id, { name: 'scim:partner', scopes: ['scim'] })).token;
    scimError(await call('GET', '/Users', undefined, optedOut), 403);
    // The scope is not enough: only administrators provision.
    const notAdmin = (await buildToken(t.s, responder.id, { name: 'scim:corp', scopes: ['scim'] })).token;
    scimError(await call('GET', '/Users', undefined, notAdmin), 403);
    // A revoked token stops at once.
    const revoked = await buildToken(t.s, admin.id, { name: 'scim:corp', scopes: ['scim'] });
    expect((await call('GET', '/Users', undefined, revoked.token)).statusCode).toBe(200);
    await t.s.tokens.revoke({ id: admin.id, label: 'test' }, revoked.id, undefined);
    scimError(await call('GET', '/Users', undefined, revoked.token), 401);
    // The console's session is not a SCIM client.
    const signedIn = await t.login('admin');
    const bySession = await t.as(signedIn, { method: 'GET', url: '/scim/v2/Users' });
    expect(bySession.statusCode).toBe(403);
    expect(bySession.json().schemas).toEqual([ERROR]);
  });

  it('creates, finds, renames, maps roles from groups, deactivates and deletes a user', async () => {
    // Create (RFC 7644 3.3).
    const created = await call('POST', '/Users', {
      schemas: [USER],
      userName: 'Alice.Chen@firm.test',
      externalId: 'entra-object-alice',
      name: { givenName: 'Alice', familyName: 'Chen' },
      emails: [{ value: 'alice.chen@firm.test', type: 'work', primary: true }],
      active: true,
      title: 'Analyst', // an attribute Tocsin does not keep: ignored
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers['content-type']).toBe(SCIM);
    const alice = created.json();
    expect(created.headers.location).toBe(alice.meta.location);
    expect(alice).toMatchObject({
      schemas: [USER],
      userName: 'Alice.Chen@firm.test',
      externalId: 'entra-object-alice',
      displayName: 'Alice Chen',
      emails: [{ value: 'alice.chen@firm.test', primary: true }],
      active: true,
      groups: [],
      meta: { resourceType: 'User' },
    });
    const account = await t.s.users.get(alice.id);
    expect(account).toMatchObject({ email: 'alice.chen@firm.test', name: 'Alice Chen', disabled: false });
    expect((await t.s.users.credentialsOf(alice.id))!.signInMethod).toBe('corp');
    // The same userName again is a conflict (RFC 7644 3.3: 409 uniqueness).
    const again = await call('POST', '/Users', { schemas: [USER], userName: 'alice.chen@FIRM.test' });
    expect(scimError(again, 409).scimType).toBe('uniqueness');

    // Find by filter (as a client does before creating), and paging.
    const byName = (
      await call('GET', `/Users?filter=${encodeURIComponent('userName eq "alice.chen@firm.test"')}`)
    ).json();
    expect(byName).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(byName.Resources[0].id).toBe(alice.id);
    const byExternal = await call('GET', `/Users?filter=${encodeURIComponent('externalId eq "entra-object-alice"')}`);
    expect(byExternal.json().Resources.map((r: { id: string }) => r.id)).toEqual([alice.id]);
    const nobody = (await call('GET', `/Users?filter=${encodeURIComponent('userName eq "nobody@firm.test"')}`)).json();
    expect(nobody).toMatchObject({ totalResults: 0, Resources: [] });
    const bob = (
      await call('POST', '/Users', { schemas: [USER], userName: 'bob@firm.test', displayName: 'Bob Li' })
    ).json();
    await call('POST', '/Users', { schemas: [USER], userName: 'carol@firm.test' });
    const page = (await call('GET', '/Users?startIndex=2&count=1')).json();
    expect(page).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
    expect(page.Resources[0].id).toBe(bob.id);
    expect((await call('GET', '/Users?count=0')).json()).toMatchObject({ totalResults: 3, Resources: [] });
    const badFilter = await call('GET', `/Users?filter=${encodeURIComponent('title co "Analyst"')}`);
    expect(scimError(badFilter, 400).scimType).toBe('invalidFilter');

    // PATCH replace the name (Entra ID's capitalised op).
    const renamed = await call(
      'PATCH',
      `/Users/${alice.id}`,
      patchOp({ op: 'Replace', path: 'displayName', value: 'Alice Chen-Wang' }),
    );
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().displayName).toBe('Alice Chen-Wang');
    expect((await t.s.users.get(alice.id)).name).toBe('Alice Chen-Wang');

    // In no mapped group: no access, even with a session.
    const early = await sessionFor(await t.s.users.get(alice.id));
    expect((await incidents(early)).statusCode).toBe(401);

    // A group that maps to a role: its members get the role.
    const soc = await call('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'soc',
      externalId: 'entra-group-soc',
      members: [{ value: alice.id }],
    });
    expect(soc.statusCode, soc.body).toBe(201);
    const group = soc.json();
    expect(group.members).toEqual([expect.objectContaining({ value: alice.id, display: 'Alice Chen-Wang' })]);
    expect((await t.s.users.get(alice.id)).role).toBe('responder');
    const session = await sessionFor(await t.s.users.get(alice.id));
    expect((await incidents(session)).statusCode).toBe(200);
    expect((await call('GET', `/Users/${alice.id}`)).json().groups).toEqual([
      expect.objectContaining({ value: group.id, display: 'soc' }),
    ]);
    expect(
      (
        await call('GET', `/Groups?filter=${encodeURIComponent('displayName eq "soc"')}&excludedAttributes=members`)
      ).json().Resources,
    ).toEqual([expect.not.objectContaining({ members: expect.anything() })]);

    // Add a member (Entra ID), then rename the group to one mapped to another role: its members follow.
    const added = await call(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp({ op: 'Add', path: 'members', value: [{ value: bob.id }] }),
    );
    expect(added.statusCode, added.body).toBe(200);
    expect(
      added
        .json()
        .members.map((m: { value: string }) => m.value)
        .sort(),
    ).toEqual([alice.id, bob.id].sort());
    expect((await t.s.users.get(bob.id)).role).toBe('responder');
    await call('PATCH', `/Groups/${group.id}`, patchOp({ op: 'replace', value: { displayName: 'tocsin-commanders' } }));
    expect((await t.s.users.get(alice.id)).role).toBe('incident_commander');
    expect((await t.s.users.get(bob.id)).role).toBe('incident_commander');
    expect((await incidents(session)).statusCode).toBe(200);

    // Out of the group (Okta's remove by filter): no access at the next request.
    const removed = await call(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp({ op: 'remove', path: `members[value eq "${alice.id}"]` }),
    );
    expect(removed.json().members.map((m: { value: string }) => m.value)).toEqual([bob.id]);
    expect((await incidents(session)).statusCode).toBe(401);
    const groupAudit = (await t.s.audit.list({ action: 'scim.group_update' }, 10)).items;
    expect(groupAudit[0]).toMatchObject({ targetId: group.id, actor: { label: expect.stringMatching(/^scim:corp/) } });
    expect(groupAudit[0]!.after).toMatchObject({ removed: [alice.id], added: [] });

    // Back in, then deactivated (Entra ID sends "False"): the session ends at its next request.
    await call('PATCH', `/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: alice.id }] }));
    const back = await sessionFor(await t.s.users.get(alice.id));
    expect((await incidents(back)).statusCode).toBe(200);
    const off = await call('PATCH', `/Users/${alice.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().active).toBe(false);
    expect((await incidents(back)).statusCode).toBe(401);
    expect((await t.s.users.get(alice.id)).disabled).toBe(true);
    const userAudit = (await t.s.audit.list({ action: 'scim.user_update', targetId: alice.id }, 10)).items;
    expect(userAudit[0]!.after).toMatchObject({ active: false });
    // Reactivated (PUT of the whole resource, as Okta does): the account is enabled again.
    const on = await call('PUT', `/Users/${alice.id}`, {
      schemas: [USER],
      userName: 'alice.chen@firm.test',
      externalId: 'entra-object-alice',
      displayName: 'Alice Chen-Wang',
      active: true,
    });
    expect(on.statusCode, on.body).toBe(200);
    expect((await t.s.users.get(alice.id)).disabled).toBe(false);

    // Who signs in how: the account shows it was provisioned by SCIM.
    const admin = await t.login('admin');
    const methods = (await t.as(admin, { method: 'GET', url: '/api/v1/auth/sign-in-methods' })).json().items;
    expect(methods.find((r: { user: { id: string } }) => r.user.id === alice.id)).toMatchObject({
      method: 'oidc',
      provider: 'corp',
      scimProvider: 'corp',
      identities: [],
    });

    // DELETE: gone from SCIM, the account disabled and kept with its history.
    const live = await sessionFor(await t.s.users.get(alice.id));
    expect((await incidents(live)).statusCode).toBe(200);
    const del = await call('DELETE', `/Users/${alice.id}`);
    expect(del.statusCode, del.body).toBe(204);
    scimError(await call('GET', `/Users/${alice.id}`), 404);
    expect((await incidents(live)).statusCode).toBe(401);
    expect(await t.s.users.get(alice.id)).toMatchObject({ disabled: true, email: 'alice.chen@firm.test' });
    expect((await call('GET', `/Groups/${group.id}`)).json().members.map((m: { value: string }) => m.value)).toEqual([
      bob.id,
    ]);
    const history = (await t.s.audit.list({ targetId: alice.id }, 50)).items.map((e) => e.action);
    expect(history).toEqual(
      expect.arrayContaining(['user.create', 'scim.user_create', 'scim.user_update', 'scim.user_delete']),
    );

    // DELETE a group: its members lose the role it gave.
    expect((await call('DELETE', `/Groups/${group.id}`)).statusCode).toBe(204);
    scimError(await call('GET', `/Groups/${group.id}`), 404);
    const bobSession = await sessionFor(await t.s.users.get(bob.id));
    expect((await incidents(bobSession)).statusCode).toBe(401);
    expect((await t.s.audit.list({ action: 'scim.group_delete', targetId: group.id }, 5)).items).toHaveLength(1);
  });

  it('refuses bad input with a SCIM error and its scimType, changing nothing', async () => {
    expect(scimError(await call('POST', '/Users', { schemas: [USER] }), 400).scimType).toBe('invalidValue');
    expect(scimError(await call('POST', '/Users', '{"userName": '), 400).scimType).toBe('invalidSyntax');
    expect(scimError(await call('POST', '/Users', { userName: 'no-email-here' }), 400).detail).toMatch(/email/);
    const dave = (await call('POST', '/Users', { schemas: [USER], userName: 'dave@firm.test' })).json();
    const badOp = await call('PATCH', `/Users/${dave.id}`, patchOp({ op: 'move', path: 'active', value: false }));
    expect(scimError(badOp, 400).scimType).toBe('invalidValue');
    const notPatch = await call('PATCH', `/Users/${dave.id}`, { schemas: [USER], Operations: [] });
    expect(scimError(notPatch, 400).scimType).toBe('invalidValue');
    const badActive = await call(
      'PATCH',
      `/Users/${dave.id}`,
      patchOp({ op: 'replace', path: 'active', value: 'maybe' }),
    );
    expect(scimError(badActive, 400).scimType).toBe('invalidValue');
    const newEmail = await call('PUT', `/Users/${dave.id}`, {
      schemas: [USER],
      userName: 'dave@firm.test',
      emails: [{ value: 'dave.new@firm.test', primary: true }],
    });
    expect(scimError(newEmail, 400).scimType).toBe('mutability');
    const stranger = await call('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'strangers',
      members: [{ value: 'not-a-user' }],
    });
    expect(scimError(stranger, 400).scimType).toBe('invalidValue');
    expect(
      (await call('GET', `/Groups?filter=${encodeURIComponent('displayName eq "strangers"')}`)).json().totalResults,
    ).toBe(0);
    scimError(await call('GET', '/Users/no-such-user'), 404);
    scimError(await call('GET', '/Nothing'), 404);
    expect((await t.s.users.get(dave.id)).disabled).toBe(false);
  });

  it('signs a provisioned person in with the role their SCIM groups give, not the sign-in’s groups', async () => {
    const frank = (await call('POST', '/Users', { schemas: [USER], userName: 'frank@firm.test' })).json();
    const corp = t.s.identity.provider('corp', 'oidc');
    const claims = {
      subject: 'oidc-sub-frank',
      username: null,
      email: 'frank@firm.test',
      name: 'Frank Wu',
      groups: ['soc'], // the ID token's groups would make him a responder...
      providerMfa: true,
      refreshToken: null,
    };
    // ...but SCIM put him in no mapped group: refused, as a sign-in in no mapped group is.
    await expect(t.s.identity.signIn(corp, claims)).rejects.toMatchObject({
      status: 403,
      code: 'auth.directory_no_role',
    });
    await call('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'tocsin-commanders',
      members: [{ value: frank.id }],
    });
    const { info } = await t.s.identity.signIn(corp, claims);
    expect(info.user).toMatchObject({ id: frank.id, role: 'incident_commander' });
  });

  it("keeps providers apart: one provider's client neither sees nor changes another's users", async () => {
    // Sent as clients do, with a charset parameter on the media type.
    const created = await t.app.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json; charset=utf-8' },
      payload: JSON.stringify({ schemas: [USER], userName: 'erin@firm.test' }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const erin = created.json();
    scimError(await call('GET', `/Users/${erin.id}`, undefined, labToken), 404);
    scimError(await call('DELETE', `/Users/${erin.id}`, undefined, labToken), 404);
    expect((await call('GET', '/Users', undefined, labToken)).json().totalResults).toBe(0);
    // Nor takes over an account of another provider by its email.
    const taken = await call('POST', '/Users', { schemas: [USER], userName: 'erin@firm.test' }, labToken);
    expect(scimError(taken, 409).scimType).toBe('uniqueness');
    expect((await t.s.users.get(erin.id)).disabled).toBe(false);
  });
});
