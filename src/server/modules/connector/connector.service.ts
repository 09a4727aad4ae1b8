/**
 * Connectors: named, configured instances of a kind (connector-kind.ts). The configuration is checked
 * by the kind's schema (422 naming each field), the secret fields are sealed (platform/secret-box.ts,
 * bound to the connector's id) and never returned — only which are set — and a secret left out of an
 * update keeps its stored value. For other modules, `context(name)` gives a kind what it runs with.
 */
import { z } from 'zod';
import type {
  Connector,
  ConnectorCreate,
  ConnectorKindInfo,
  ConnectorTestResult,
  ConnectorUpdate,
} from '../../../shared/connector-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { AppError, conflict, invalid, notFound, type FieldError } from '../../platform/errors.js';
import { iso, newId, type Clock } from '../../platform/ids.js';
import type { SecretBox } from '../../platform/secret-box.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { findAction, type ActionDef, type ActionKindSpec } from './action-kind.js';
import { connectorContext, type GuardSettings } from './connector-context.js';
import type { ConnectorContext, ConnectorKindSpec } from './connector-kind.js';
import {
  deleteConnector,
  findConnector,
  insertConnector,
  listConnectors,
  updateConnector,
  type ConnectorRow,
} from './connector.repository.js';

export interface ConnectorServiceDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  secretBox: SecretBox;
  guard?: GuardSettings;
  // biome-ignore lint/suspicious/noExplicitAny: kinds have their own config and secret types
  kinds: ConnectorKindSpec<any, any>[];
}

/** What the action service needs of a connector to run one of its actions. */
export interface ResolvedConnector {
  spec: ConnectorKindSpec;
  context: ConnectorContext<unknown, unknown>;
  action(name: string): ActionDef | undefined;
  maxAttempts: number;
}

const jsonSchema = (s: z.ZodType) =>
  z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;

/** The issues of a kind's schema as field errors under `prefix` (config, secrets). */
const FIELD_ISSUES = new Set([
  'invalid_type',
  'too_small',
  'too_big',
  'invalid_format',
  'invalid_value',
  'invalid_union',
]);

const issuesOf = (err: z.ZodError, prefix: string): FieldError[] =>
  err.issues.flatMap((i): FieldError[] => {
    const at = [prefix, ...i.path.map(String)];
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) => ({
        path: [...at, k].join('.'),
        message: `unknown field "${k}"`,
        code: 'unrecognized_keys' as const,
        params: { key: k },
      }));
    return [
      {
        path: at.join('.'),
        message: i.message,
        code: FIELD_ISSUES.has(i.code) ? (i.code as FieldError['code']) : 'custom',
      },
    ];
  });

const merge = (base: Record<string, unknown>, patch: Record<string, unknown>) => {
  const out = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
};

export function createConnectorService(deps: ConnectorServiceDeps) {
  const { store, audit, clock, secretBox } = deps;
  const guard = deps.guard ?? {};
  const kinds = new Map<string, ConnectorKindSpec>();
  for (const k of deps.kinds) {
    if (kinds.has(k.kind)) throw new Error(`connector kind ${k.kind} is registered twice`);
    kinds.set(k.kind, k);
  }

  const specOf = (kind: string): ConnectorKindSpec => {
    const spec = kinds.get(kind);
    if (!spec)
      throw invalid(`unknown connector kind "${kind}" (known: ${[...kinds.keys()].join(', ')})`, [
        { path: 'kind', message: 'unknown kind', code: 'invalid_value' },
      ]);
    return spec;
  };

  const openSecrets = (row: ConnectorRow): Record<string, unknown> =>
    row.secrets ? secretBox.open<Record<string, unknown>>(row.secrets, row.id) : {};

  /** The kind's parsed configuration and secrets, or a 422 naming every field at fault. */
  function validate(spec: ConnectorKindSpec, config: unknown, secrets: unknown) {
    const c = spec.config.safeParse(config);
    const s = spec.secrets.safeParse(secrets);
    const errors = [
      ...(c.success ? [] : issuesOf(c.error, 'config')),
      ...(s.success ? [] : issuesOf(s.error, 'secrets')),
    ];
    if (errors.length)
      throw invalid(
        `the ${spec.kind} connector is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
        errors,
      );
    return { config: c.data as Record<string, unknown>, secrets: (s.data ?? {}) as Record<string, unknown> };
  }

  function view(row: ConnectorRow): Connector {
    const spec = kinds.get(row.kind);
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      purpose: spec?.purpose ?? 'action',
      config: JSON.parse(row.config) as Record<string, unknown>,
      secretsSet: Object.keys(openSecrets(row)).sort(),
      allowedHosts: JSON.parse(row.allowed_hosts) as string[],
      enabled: row.enabled === 1,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
  }

  /** What the audit log keeps of a connector: never a secret value. */
  const auditView = (c: Connector) => ({
    kind: c.kind,
    config: c.config,
    secretsSet: c.secretsSet,
    allowedHosts: c.allowedHosts,
    enabled: c.enabled,
  });

  async function load(name: string): Promise<ConnectorRow> {
    const row = await findConnector(store.db, name);
    if (!row) throw notFound(`connector ${name}`, { code: 'connector.not_found', params: { name } });
    return row;
  }

  function contextOf(row: ConnectorRow): ConnectorContext<unknown, unknown> {
    return connectorContext({
      name: row.name,
      config: JSON.parse(row.config),
      secrets: openSecrets(row),
      allowedHosts: JSON.parse(row.allowed_hosts) as string[],
      guard,
      clock,
    });
  }

  return {
    kinds(p: Principal): ConnectorKindInfo[] {
      assertCan(p, 'connector.read');
      return [...kinds.values()].map((k) => ({
        kind: k.kind,
        purpose: k.purpose,
        title: k.title,
        config: jsonSchema(k.config),
        secrets: jsonSchema(k.secrets),
        actions:
          k.purpose === 'action' && 'actions' in k
            ? (k as ActionKindSpec).actions.map((a) => ({
                name: a.name,
                rollback: typeof a.rollback === 'function',
                parameters: jsonSchema(a.parameters),
              }))
            : [],
      }));
    },

    async list(p: Principal): Promise<Connector[]> {
      assertCan(p, 'connector.read');
      return (await listConnectors(store.db)).map(view);
    },

    async get(p: Principal, name: string): Promise<Connector> {
      assertCan(p, 'connector.read');
      return view(await load(name));
    },

    async create(p: Principal, input: ConnectorCreate): Promise<Connector> {
      assertCan(p, 'connector.manage');
      const spec = specOf(input.kind);
      const { config, secrets } = validate(spec, input.config, input.secrets ?? {});
      return store.transaction(async (tx) => {
        if (await findConnector(tx, input.name))
          throw conflict(`a connector named ${input.name} exists`, {
            code: 'connector.exists',
            params: { name: input.name },
          });
        const now = clock.now();
        const id = newId();
        const row: ConnectorRow = {
          id,
          name: input.name,
          kind: spec.kind,
          config: JSON.stringify(config),
          secrets: Object.keys(secrets).length ? secretBox.seal(secrets, id) : null,
          allowed_hosts: JSON.stringify(input.allowedHosts ?? spec.hosts(config)),
          enabled: input.enabled === false ? 0 : 1,
          created_by: p.user.id,
          created_at: now,
          updated_by: p.user.id,
          updated_at: now,
        };
        await insertConnector(tx, row);
        const c = view(row);
        await audit.append(tx, actorOf(p), {
          action: 'connector.create',
          targetType: 'connector',
          targetId: c.name,
          after: auditView(c),
        });
        return c;
      });
    },

    async update(p: Principal, name: string, input: ConnectorUpdate): Promise<Connector> {
      assertCan(p, 'connector.manage');
      return store.transaction(async (tx) => {
        const row = await findConnector(tx, name);
        if (!row) throw notFound(`connector ${name}`, { code: 'connector.not_found', params: { name } });
        const spec = specOf(row.kind);
        const before = view(row);
        const { config, secrets } = validate(
          spec,
          input.config ? merge(before.config, input.config) : before.config,
          input.secrets ? merge(openSecrets(row), input.secrets) : openSecrets(row),
        );
        // Allowed hosts that were the configuration's own follow it; ones set by hand stay.
        const wasDefault =
          JSON.stringify([...spec.hosts(before.config as never)].sort()) ===
          JSON.stringify([...before.allowedHosts].sort());
        const hosts = input.allowedHosts ?? (wasDefault ? spec.hosts(config) : before.allowedHosts);
        const patch: Partial<ConnectorRow> = {
          config: JSON.stringify(config),
          secrets: Object.keys(secrets).length ? secretBox.seal(secrets, row.id) : null,
          allowed_hosts: JSON.stringify(hosts),
          enabled: input.enabled === undefined ? row.enabled : input.enabled ? 1 : 0,
          updated_by: p.user.id,
          updated_at: clock.now(),
        };
        await updateConnector(tx, row.id, patch);
        const after = view({ ...row, ...patch });
        await audit.append(tx, actorOf(p), {
          action: 'connector.update',
          targetType: 'connector',
          targetId: name,
          before: auditView(before),
          after: { ...auditView(after), secretsChanged: Object.keys(input.secrets ?? {}).sort() },
        });
        return after;
      });
    },

    async remove(p: Principal, name: string): Promise<void> {
      assertCan(p, 'connector.manage');
      await store.transaction(async (tx) => {
        const row = await findConnector(tx, name);
        if (!row) throw notFound(`connector ${name}`, { code: 'connector.not_found', params: { name } });
        await deleteConnector(tx, row.id);
        await audit.append(tx, actorOf(p), {
          action: 'connector.delete',
          targetType: 'connector',
          targetId: name,
          before: auditView(view(row)),
        });
      });
    },

    /** "Test connection": the kind's test (nothing changed on the far side); the result is audited. */
    async test(p: Principal, name: string): Promise<ConnectorTestResult> {
      assertCan(p, 'connector.manage');
      const row = await load(name);
      const spec = specOf(row.kind);
      let result: { ok: boolean; detail: string };
      if (!spec.test) result = { ok: false, detail: `the ${spec.kind} kind has no connection test` };
      else {
        try {
          result = await spec.test(contextOf(row));
        } catch (err) {
          result = { ok: false, detail: (err as Error).message };
        }
      }
      const at = clock.now();
      await store.transaction((tx) =>
        audit.append(tx, actorOf(p), {
          action: 'connector.test',
          targetType: 'connector',
          targetId: name,
          after: { ok: result.ok, detail: result.detail.slice(0, 500) },
        }),
      );
      return { ok: result.ok, detail: result.detail, at: iso(at) };
    },

    /** For other modules (the action service, paging): the context a kind runs in, secrets decrypted. */
    async context(name: string): Promise<ConnectorContext<unknown, unknown>> {
      return contextOf(await load(name));
    },

    /** For the action service: the connector `name` ready to run actions; 422 when it is missing or disabled. */
    async resolve(name: string, db: Db = store.db): Promise<ResolvedConnector> {
      const row = await findConnector(db, name);
      if (!row)
        throw invalid(
          `there is no connector named ${name}`,
          [{ path: 'connector', message: 'unknown connector', code: 'invalid_value' }],
          {
            code: 'connector.not_found',
            params: { name },
          },
        );
      if (row.enabled !== 1)
        throw new AppError(409, 'conflict', 'Conflict', `connector ${name} is disabled`, undefined, undefined, {
          code: 'connector.disabled',
          params: { name },
        });
      const spec = specOf(row.kind);
      const config = JSON.parse(row.config) as unknown;
      return {
        spec,
        context: contextOf(row),
        action: (a) => findAction(spec, config, a),
        maxAttempts: spec.purpose === 'action' ? ((spec as ActionKindSpec).maxAttempts?.(config) ?? 4) : 1,
      };
    },

    /** Whether `action` of connector `name` has a rollback (false when either is gone). */
    async hasRollback(name: string, action: string, db: Db = store.db): Promise<boolean> {
      const row = await findConnector(db, name);
      if (!row || !kinds.has(row.kind)) return false;
      return typeof findAction(kinds.get(row.kind)!, JSON.parse(row.config), action)?.rollback === 'function';
    },
  };
}

export type ConnectorService = ReturnType<typeof createConnectorService>;
