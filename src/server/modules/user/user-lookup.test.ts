/** The user service's look-ups for other modules: an active account by id, and names by id; TOTP steps spent once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS, testConfig } from '../../../../test/helpers/store.js';
import { migrate, openStore, type Store } from '../../platform/db/connect.js';
import { createAuditService } from '../audit/index.js';
import { SYSTEM as SYSTEM_ACTOR } from '../../../../test/helpers/fixtures.js';
import { createUserService, type UserService } from './user.service.js';

describe.each(STORE_KINDS)('user look-ups (%s)', (kind) => {
  let store: Store;
  let users: UserService;
  let drop: () => Promise<void>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const t = testConfig(kind);
    drop = t.drop;
    store = await openStore(t.config.database);
    await migrate(store);
    const clock = { now: () => Date.UTC(2026, 0, 5) };
    users = createUserService({ store, audit: createAuditService({ store, clock }), clock });
    for (const name of ['Ada', 'Bo']) {
      const u = await users.create(SYSTEM_ACTOR, {
        email: `${name.toLowerCase()}@test.example`,
        name,
        role: 'responder',
        password: 'correct-horse-battery-staple',
      });
      ids[name] = u.id;
    }
    await users.update(SYSTEM_ACTOR, ids.Bo!, { disabled: true });
  });
  afterAll(async () => {
    await store.close();
    await drop();
  });

  it('finds an active account by id, and nothing for a disabled or unknown one', async () => {
    expect(await users.activeById(ids.Ada!)).toMatchObject({ id: ids.Ada, name: 'Ada', disabled: false });
    expect(await users.activeById(ids.Bo!)).toBeNull();
    expect(await users.activeById('no-such-user')).toBeNull();
  });

  it('looks up inside a transaction of the caller', async () => {
    const found = await store.transaction((tx) => users.activeById(ids.Ada!, tx));
    expect(found?.name).toBe('Ada');
  });

  it('names users by id, disabled ones too, leaving unknown ids out', async () => {
    const names = await users.namesOf([ids.Ada!, ids.Bo!, ids.Ada!, 'no-such-user']);
    expect(names).toEqual(
      new Map([
        [ids.Ada!, 'Ada'],
        [ids.Bo!, 'Bo'],
      ]),
    );
    expect(await users.namesOf([])).toEqual(new Map());
  });

  it('spends a TOTP time step once: a second sign-in with a code of the same or an earlier step is refused', async () => {
    const take = (step: number) => store.transaction((tx) => users.acceptMfaStep(tx, ids.Bo!, step));
    expect(await take(100)).toBe(true);
    // The same step again (two web processes taking one code at once: the later transaction loses).
    expect(await take(100)).toBe(false);
    expect(await take(99)).toBe(false);
    expect(await take(101)).toBe(true);
  });
});
