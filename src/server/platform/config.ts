/** Configuration from environment variables, validated once at start with every error listed. */
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { loadSourcesFile, type IngestSourceConfig } from './ingest-sources.js';
import { type IdentityConfig, loadIdentityFile, NO_IDENTITY } from './identity-file.js';
import { loadMetricsFile, type MetricsFileConfig } from './metrics-file.js';
import { describeSettings } from './settings.js';
import { ENGINE_YOUNG_GENERATION_MB } from './worker.js';
import type { Setting } from '../../shared/settings-schemas.js';
import { DEFAULT_OWNER_SLA, parseOwnerSla, type OwnerSla } from '../../shared/owner-sla.js';
import { parseStatementReviews, type StatementReviewsConfig } from '../../shared/statement-schemas.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Comma-separated CIDR ranges (`10.0.0.0/8, fd00::/8`), each checked. */
const cidrList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .refine((l) => l.every((c) => ipaddr.isValidCIDR(c)), {
    message: 'must be CIDR ranges separated by commas, e.g. 10.0.0.0/8,fd00::/8',
  })
  .optional();

/** The most TOCSIN_INGEST_MAX_EVENTS may be (detection holds at least that many events waiting, see compose.ts). */
const MAX_INGEST_EVENTS = 1_000_000;

const splitList = (v: string) =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const isTimeZone = (v: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return true;
  } catch {
    return false;
  }
};
const isSecretKey = (v: string) => /^[0-9a-fA-F]{64}$/.test(v.trim()) || Buffer.from(v.trim(), 'base64').length === 32;

const EnvSchema = z.object({
  TOCSIN_PORT: z.coerce
    .number({ error: 'must be a port number 0–65535' })
    .int('must be a port number 0–65535')
    .min(0, 'must be a port number 0–65535')
    .max(65535, 'must be a port number 0–65535')
    .default(8080),
  TOCSIN_HOST: z.string().min(1).default('127.0.0.1'),
  TOCSIN_DATA_DIR: z.string().min(1).default('./data'),
  TOCSIN_DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v) || /^sqlite:/.test(v), 'must start with postgres:// or sqlite:')
    .optional(),
  TOCSIN_PUBLIC_URL: z.url().optional(),
  TOCSIN_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  TOCSIN_ADMIN_EMAIL: z.email().optional(),
  TOCSIN_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  TOCSIN_REQUIRE_MFA: z.enum(['none', 'admins', 'all']).default('none'),
  TOCSIN_SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  TOCSIN_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  TOCSIN_WEB_DIR: z.string().optional(),
  TOCSIN_SOURCES_FILE: z.string().optional(),
  TOCSIN_IDENTITY_FILE: z.string().optional(),
  TOCSIN_IDENTITY_RECHECK_S: z.coerce.number().int().min(10).max(86_400).default(300),
  TOCSIN_INGEST_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(16 * 1024 * 1024),
  TOCSIN_INGEST_LINE_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(256)
    .max(16 * 1024 * 1024)
    .default(256 * 1024),
  TOCSIN_INGEST_MAX_EVENTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_INGEST_EVENTS, `must be at most ${MAX_INGEST_EVENTS.toLocaleString('en-US')}`)
    .default(100_000),
  TOCSIN_INGEST_DEDUP_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(24),
  TOCSIN_SYSLOG_PORT: z.coerce
    .number({ error: 'must be a port number 0–65535' })
    .int('must be a port number 0–65535')
    .min(0, 'must be a port number 0–65535')
    .max(65535, 'must be a port number 0–65535')
    .optional(),
  TOCSIN_SYSLOG_HOST: z.string().min(1).default('127.0.0.1'),
  TOCSIN_PUBLIC_PORT: z.coerce
    .number({ error: 'must be a port number 0–65535' })
    .int('must be a port number 0–65535')
    .min(0, 'must be a port number 0–65535')
    .max(65535, 'must be a port number 0–65535')
    .optional(),
  TOCSIN_RULES_DIRS: z.string().optional(),
  TOCSIN_MAPPING_FILE: z.string().optional(),
  TOCSIN_METRICS_FILE: z.string().optional(),
  TOCSIN_METRICS_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(8),
  TOCSIN_METRICS_MAX_SERIES: z.coerce.number().int().min(1).max(10_000_000).default(20_000),
  TOCSIN_PROBE_DENY_CIDRS: cidrList,
  TOCSIN_PROBE_ALLOW_CIDRS: cidrList,
  TOCSIN_TRUSTED_PROXIES: cidrList,
  TOCSIN_PROBE_RETENTION_DAYS: z.coerce.number().positive().max(366).default(7),
  TOCSIN_ACTIVITY_INDEX: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true'),
  TOCSIN_ACTIVITY_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(180),
  TOCSIN_ACTIVITY_FLUSH_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  TOCSIN_ACTIVITY_WAIT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  TOCSIN_OBLIGATIONS_DIR: z.string().trim().min(1).optional(),
  TOCSIN_PROBE_ALLOW_LOOPBACK: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  TOCSIN_DETECTION_THREAD: z.enum(['worker', 'main']).default('worker'),
  TOCSIN_ENGINE_YOUNG_GENERATION_MB: z.coerce.number().int().min(16).max(4096).default(ENGINE_YOUNG_GENERATION_MB),
  TOCSIN_CORRELATION_LATENESS_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  TOCSIN_CORRELATION_MEMORY_MB: z.coerce
    .number()
    .int()
    .min(1)
    .max(64 * 1024)
    .default(64),
  TOCSIN_CORRELATION_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(16),
  TOCSIN_CORRELATION_RETENTION_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  TOCSIN_SECRET_KEY: z
    .string()
    .refine(isSecretKey, 'must be 32 bytes written as base64 or 64 hex digits (e.g. openssl rand -base64 32)')
    .optional(),
  TOCSIN_SECRET_KEYS_OLD: z
    .string()
    .refine((v) => splitList(v).every(isSecretKey), 'must be 32-byte keys (base64 or hex) separated by commas')
    .optional(),
  TOCSIN_PAGING_KEY: z.string().min(32).max(500).optional(),
  TOCSIN_ROLE: z.enum(['all', 'web', 'worker'], { error: 'must be all, web or worker' }).default('all'),
  TOCSIN_NATS_URL: z
    .string()
    .regex(
      /^\s*(nats|tls):\/\/[^\s,]+(\s*,\s*(nats|tls):\/\/[^\s,]+)*\s*$/,
      'must be nats:// or tls:// URLs separated by commas (e.g. nats://127.0.0.1:4222)',
    )
    .optional(),
  TOCSIN_NATS_PREFIX: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'must be a letter then up to 31 letters, digits, _ or -')
    .default('tocsin'),
  TOCSIN_EVENT_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(16),
  TOCSIN_EVENTS_RETENTION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 366)
    .default(24),
  TOCSIN_SHUTDOWN_TIMEOUT_S: z.coerce
    .number({ error: 'must be seconds, 1–3600' })
    .int('must be whole seconds')
    .min(1, 'must be seconds, 1–3600')
    .max(3600, 'must be seconds, 1–3600')
    .default(25),
  TOCSIN_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 24)').optional(),
  TOCSIN_STATUS_NAME_ZH: z.string().trim().min(1).max(120).default('Tocsin 证券'),
  TOCSIN_STATUS_NAME_EN: z.string().trim().min(1).max(120).default('Tocsin Securities'),
  TOCSIN_STATUS_BASE_URL: z.url().optional(),
  TOCSIN_STATUS_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai')
    .default('Asia/Shanghai'),
  TOCSIN_STATEMENT_REVIEWS: z
    .string()
    .superRefine((v, ctx) => {
      const r = parseStatementReviews(v);
      if (typeof r === 'string') ctx.addIssue({ code: 'custom', message: r });
    })
    .optional(),
  TOCSIN_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL (e.g. smtp://user:pass@mail.example.com:587)')
    .optional(),
  TOCSIN_MAIL_FROM: z.string().min(3).max(320).default('Tocsin <status@localhost>'),
  /** Customer campaigns (issue 12): the notify gateway for SMS and app push (docs/campaigns.md). */
  TOCSIN_NOTIFY_GATEWAY_URL: z.url({ protocol: /^https?$/ }).optional(),
  TOCSIN_NOTIFY_GATEWAY_SECRET: z.string().min(16).max(500).optional(),
  /** Customer inquiries by email (issue 12): the inbound SMTP listener (worker and all), off by default. */
  TOCSIN_INBOUND_SMTP_PORT: z.coerce
    .number({ error: 'must be a port number 0–65535' })
    .int('must be a port number 0–65535')
    .min(0, 'must be a port number 0–65535')
    .max(65535, 'must be a port number 0–65535')
    .optional(),
  TOCSIN_INBOUND_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  TOCSIN_INBOUND_ADDRESSES: z
    .string()
    .transform((v) => splitList(v.toLowerCase()))
    .pipe(
      z
        .array(z.string().regex(/^([^\s@]+@[^\s@]+\.[^\s@]+|@?[^\s@]+\.[^\s@]+)$/, 'must be addresses or domains'))
        .min(1, 'must name at least one address or domain'),
    )
    .optional(),
  TOCSIN_INBOUND_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  TOCSIN_PAYOUT_FILE_ENCODING: z.enum(['utf-8', 'gbk']).default('utf-8'),
  TOCSIN_BLOB_DIR: z.string().min(1).optional(),
  TOCSIN_EVIDENCE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(2 ** 50)
    .default(20 * 1024 ** 3),
  TOCSIN_EVIDENCE_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  TOCSIN_REVIEW_DUE_DAYS: z
    .string()
    .regex(/^\s*(I|II|III|IV)=\d{1,3}\s*(,\s*(I|II|III|IV)=\d{1,3}\s*)*$/, 'grade=days pairs, e.g. I=5,II=10,III=15')
    .optional(),
  TOCSIN_ACTION_ITEM_REMIND_DAYS: z.coerce.number().int().min(0).max(365).default(2),
  TOCSIN_VULN_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(2 ** 50)
    .default(2 * 1024 ** 3),
  TOCSIN_DRILL_PERIOD_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  TOCSIN_MGMT_REPORT_RECIPIENTS: z
    .string()
    .transform(splitList)
    .refine((l) => l.every((a) => z.email().safeParse(a).success), {
      message: 'must be e-mail addresses separated by commas, e.g. ciso@firm.example,board@firm.example',
    })
    .default([]),
  TOCSIN_MGMT_REPORT_DAY: z.coerce.number().int().min(1).max(28).default(3),
  TOCSIN_OWNER_SLA: z
    .string()
    .superRefine((v, ctx) => {
      const r = parseOwnerSla(v);
      if (typeof r === 'string') ctx.addIssue({ code: 'custom', message: r });
    })
    .optional(),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL: `?schema=` selects a schema; `?prepare=false` sends every statement unnamed (platform/db/prepared.ts). */
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string; prepare?: boolean };
  publicUrl: string;
  logLevel: (typeof LOG_LEVELS)[number];
  admin: { email?: string; password?: string };
  requireMfa: 'none' | 'admins' | 'all';
  sessionTtlMs: number;
  /** Directories people sign in with (TOCSIN_IDENTITY_FILE); no providers when unset. */
  identity: IdentityConfig;
  /** How often a directory user's session is checked against the directory again (ms). */
  identityRecheckMs: number;
  /** Reverse proxies (CIDR ranges) whose X-Forwarded-For names the client; empty: the peer is the client. */
  trustedProxies: string[];
  bodyLimitBytes: number;
  webDir: string;
  ingest: IngestConfig;
  detection: DetectionConfig;
  metrics: MetricsConfig;
  probes: ProbeConfig;
  /** Every TOCSIN_* variable with the value in use and where it came from, secrets hidden (GET /api/v1/settings). */
  settings: Setting[];
  /** The key that seals connector secrets (TOCSIN_SECRET_KEY; none: `<dataDir>/secret.key`) and older keys that still open. */
  secretKeys: { key?: string; oldKeys: string[] };
  /**
   * Which parts this process runs (`web`: API, console, public pages, streams; `worker`: event
   * consumption, detection, jobs, schedulers; `all`: both) and the NATS JetStream bus of the at-scale
   * mode (null: the embedded in-process bus, one process per store). `prefix` names the streams,
   * subjects and buckets, so several Tocsin installations (or tests) can share one NATS.
   */
  cluster: {
    role: 'all' | 'web' | 'worker';
    nats: { servers: string[]; prefix: string } | null;
    /**
     * Partitions of the ingested-event stream (`<prefix>_events`, TOCSIN_EVENT_PARTITIONS; fixed per
     * installation: a process started with another count is refused) and how long it keeps events (ms).
     */
    eventPartitions: number;
    eventsRetentionMs: number;
  };
  /** The key acknowledge links of pages are signed with; null: a random one per process (links die with it). */
  pagingKey: string | null;
  /** How long a graceful shutdown waits for running jobs (TOCSIN_SHUTDOWN_TIMEOUT_S). */
  shutdownTimeoutMs: number;
  /** The bearer token `GET /metrics` asks for (TOCSIN_METRICS_TOKEN); null: open on a worker's port, closed on the web port. */
  metricsToken: string | null;
  /** The public status site: the firm's name as published, its public base URL (no trailing slash), its time zone. */
  status: { name: { zh: string; en: string }; baseUrl: string; timeZone: string };
  /** The reviews each statement kind needs (TOCSIN_STATEMENT_REVIEWS, over the defaults); null: the defaults. */
  statementReviews: StatementReviewsConfig | null;
  /** Mail to status-site subscribers: the SMTP server (TOCSIN_SMTP_URL; null: no mail is sent) and the From address. */
  mail: { smtpUrl: string | null; from: string };
  /** The notify gateway of customer campaigns (SMS, push); null: those channels fail with `gateway_error`. */
  notifyGateway: { url: string; secret: string } | null;
  /** The public status pages' own listener (TOCSIN_PUBLIC_PORT, on TOCSIN_HOST), null: only under /status of the main one. */
  publicPort: number | null;
  /** The account-activity index (scoping): index ingested events (TOCSIN_ACTIVITY_INDEX), keep rows this long (TOCSIN_ACTIVITY_RETENTION_DAYS), write buffered rows this often (TOCSIN_ACTIVITY_FLUSH_MS); at scale, how long an affected set waits for stage one to index what was accepted (TOCSIN_ACTIVITY_WAIT_MS). */
  activity: { index: boolean; retentionMs: number; flushMs: number; waitMs: number };
  /** The firm's edited copy of the obligation catalog (TOCSIN_OBLIGATIONS_DIR; null: the shipped `obligations/`). */
  obligationsDir: string | null;
  /** How soon a customer's owner must reach them, per tier (ms; `default` for any other tier) — TOCSIN_OWNER_SLA. */
  ownerSla: OwnerSla;
  /** The encoding of compensation payout batches' bank files when a request names none — TOCSIN_PAYOUT_FILE_ENCODING. */
  payoutFileEncoding: 'utf-8' | 'gbk';
  /**
   * Where files kept by their hash live (claims' attachments) — TOCSIN_BLOB_DIR, else `<dataDir>/blobs`.
   * In the at-scale mode every web process must see the same directory (a shared volume).
   */
  blobDir: string;
  /** The largest evidence item an upload may bring (bytes) — TOCSIN_EVIDENCE_MAX_BYTES, 20 GiB by default. */
  evidenceMaxBytes: number;
  /** How long evidence is kept after its incident closed (TOCSIN_EVIDENCE_RETENTION_DAYS; 0: for ever); legal holds override. */
  evidenceRetentionMs: number;
  /** Days a post-incident review is due after the incident is resolved, by grade (TOCSIN_REVIEW_DUE_DAYS; I 5, II 10, III 15, IV 15). */
  reviewDueDays: Record<'I' | 'II' | 'III' | 'IV', number>;
  /** How long before its due date an action item's owner is reminded (TOCSIN_ACTION_ITEM_REMIND_DAYS, 2 days). */
  actionItemRemindMs: number;
  /** The largest scanner file one vulnerability import may bring (bytes) — TOCSIN_VULN_IMPORT_MAX_BYTES, 2 GiB by default. */
  vulnImportMaxBytes: number;
  /** A plan not drilled (a completed drill) within this many months is flagged (TOCSIN_DRILL_PERIOD_MONTHS, 12). */
  drillPeriodMonths: number;
  /**
   * Management reports by email (docs/management-reports.md): on day `day` of each month (in the status
   * site's zone) last month's reports — and last quarter's, last year's at their start — go to
   * `recipients` in both languages (TOCSIN_MGMT_REPORT_RECIPIENTS, none: not sent; TOCSIN_MGMT_REPORT_DAY, 3).
   */
  mgmtReports: { recipients: string[]; day: number };
  /**
   * Customer inquiries by email: the inbound SMTP listener (TOCSIN_INBOUND_SMTP_PORT; null: off) on
   * TOCSIN_INBOUND_SMTP_HOST, for the recipients of TOCSIN_INBOUND_ADDRESSES (addresses, or `@domain`),
   * messages up to TOCSIN_INBOUND_MAX_BYTES.
   */
  inbound: { port: number | null; host: string; allow: string[]; maxBytes: number };
}

/** Metrics: scrape targets and anomaly detectors (TOCSIN_METRICS_FILE) and how long points are kept. */
export interface MetricsConfig extends MetricsFileConfig {
  retentionMs: number;
  /** Most series stored; samples of further new series are refused (label cardinality guard). */
  maxSeries: number;
  /** Whole POST /api/v1/metrics body (the ingest body limit). */
  bodyLimitBytes: number;
}

/** Probes: the outbound guard's extra ranges and how long results are kept. */
export interface ProbeConfig {
  /** Refused besides link-local, cloud metadata and unspecified addresses. */
  denyCidrs: string[];
  /** When not empty, probes may reach only addresses inside these (the deny list still wins). */
  allowCidrs: string[];
  /** Probes and metric scrapes may reach loopback addresses (default: refused; `self` targets always work). */
  allowLoopback: boolean;
  retentionMs: number;
}

/** Where the live detection engine's rules come from. */
export interface DetectionConfig {
  /** Rule files or folders (Sigma rules, correlations, filters); empty: the bundled rules/tocsin. */
  ruleDirs: string[];
  /** Log-source mapping in SigmaHQ's thor.yml format; undefined: the bundled Windows mapping. */
  mappingFile?: string;
  /** Where the rule engine runs: a worker thread (default: both cores, nothing on the request path) or the event loop. */
  thread: 'worker' | 'main';
  /**
   * The engine thread's young generation (MB; V8 splits it into two semi-spaces and a large-object
   * space). Sized so a batch's parsed events die young instead of being copied and promoted: with
   * Node's default the thread spent as much time collecting as evaluating (bench:detect).
   */
  youngGenerationMb: number;
  /**
   * Allowance for late events (ms): while no events arrive, a correlation window with an upper bound
   * closes once the wall clock is this far past its end (event time is taken to go on with the clock).
   */
  latenessMs: number;
  /** Approximate memory for correlation state across all correlations (bytes); least recently hit groups are dropped past it. */
  correlationMemoryBytes: number;
  /**
   * At-scale mode: correlation state is split into this many partitions by group key (stream `P_corr`,
   * subjects `P.corr.<partition>`), each owned by one worker at a time. Same number in every process.
   */
  correlationPartitions: number;
  /** At-scale mode: how long `P_corr` keeps feeds (ms); a new partition owner rebuilds from them. */
  correlationRetentionMs: number;
}

/** Event ingest: configured sources, limits, the idempotency window and the syslog listener (null: off). */
export interface IngestConfig {
  sources: IngestSourceConfig[];
  /** Whole request body, compressed and decompressed alike. */
  bodyLimitBytes: number;
  /** One NDJSON line, array element or syslog frame. */
  lineLimitBytes: number;
  /** Events (records: lines or array elements, blank lines not counted) in one request; 413 beyond. */
  maxEvents: number;
  /** Objects and arrays nested deeper than this are refused. */
  maxDepth: number;
  /** How long an event id is remembered for idempotent re-sending. */
  dedupWindowMs: number;
  syslog: { host: string; port: number } | null;
}

/** Thrown with every problem in the environment at once. */
export { ConfigError } from './config-error.js';

/** Reads and validates the environment; throws ConfigError listing every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('TOCSIN_') && v !== ''));
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.TOCSIN_INBOUND_SMTP_PORT !== undefined && !e.TOCSIN_INBOUND_ADDRESSES)
    throw new ConfigError([
      'TOCSIN_INBOUND_ADDRESSES: must be set when TOCSIN_INBOUND_SMTP_PORT is (the addresses or @domains mail is taken for)',
    ]);
  const sources = e.TOCSIN_SOURCES_FILE ? loadSourcesFile(path.resolve(e.TOCSIN_SOURCES_FILE)) : { sources: [] };
  if ('problems' in sources) throw new ConfigError(sources.problems);
  const identity = e.TOCSIN_IDENTITY_FILE
    ? loadIdentityFile(path.resolve(e.TOCSIN_IDENTITY_FILE), env)
    : { identity: NO_IDENTITY };
  if ('problems' in identity) throw new ConfigError(identity.problems);
  const metricsFile = e.TOCSIN_METRICS_FILE
    ? loadMetricsFile(path.resolve(e.TOCSIN_METRICS_FILE))
    : { targets: [], detectors: [] };
  if ('problems' in metricsFile) throw new ConfigError(metricsFile.problems);
  const dataDir = path.resolve(e.TOCSIN_DATA_DIR);
  let database: Config['database'];
  if (e.TOCSIN_DATABASE_URL?.startsWith('postgres')) {
    const url = new URL(e.TOCSIN_DATABASE_URL);
    const schema = url.searchParams.get('schema') ?? undefined;
    url.searchParams.delete('schema');
    const prepare = url.searchParams.get('prepare');
    if (prepare !== null && prepare !== 'true' && prepare !== 'false')
      throw new ConfigError([`TOCSIN_DATABASE_URL: prepare must be true or false, got "${prepare}"`]);
    url.searchParams.delete('prepare');
    database = { kind: 'postgres', url: url.toString(), schema, ...(prepare === 'false' ? { prepare: false } : {}) };
  } else if (e.TOCSIN_DATABASE_URL?.startsWith('sqlite:')) {
    database = { kind: 'sqlite', file: path.resolve(e.TOCSIN_DATABASE_URL.slice('sqlite:'.length)) };
  } else {
    database = { kind: 'sqlite', file: path.join(dataDir, 'tocsin.db') };
  }
  const port = e.TOCSIN_PORT;
  const publicUrl = (e.TOCSIN_PUBLIC_URL ?? `http://${e.TOCSIN_HOST}:${port}`).replace(/\/$/, '');
  const config: Omit<
    Config,
    'settings' | 'pagingKey' | 'metricsToken' | 'statementReviews' | 'publicPort' | 'ownerSla'
  > = {
    port,
    host: e.TOCSIN_HOST,
    dataDir,
    database,
    publicUrl,
    logLevel: e.TOCSIN_LOG_LEVEL,
    admin: { email: e.TOCSIN_ADMIN_EMAIL, password: e.TOCSIN_ADMIN_PASSWORD },
    requireMfa: e.TOCSIN_REQUIRE_MFA,
    payoutFileEncoding: e.TOCSIN_PAYOUT_FILE_ENCODING,
    blobDir: path.resolve(e.TOCSIN_BLOB_DIR ?? path.join(dataDir, 'blobs')),
    evidenceMaxBytes: e.TOCSIN_EVIDENCE_MAX_BYTES,
    evidenceRetentionMs: e.TOCSIN_EVIDENCE_RETENTION_DAYS * 86_400_000,
    reviewDueDays: {
      I: 5,
      II: 10,
      III: 15,
      IV: 15,
      ...Object.fromEntries(
        (e.TOCSIN_REVIEW_DUE_DAYS ?? '')
          .split(',')
          .filter((x) => x.includes('='))
          .map((x) => x.split('=').map((y) => y.trim()))
          .map(([g, d]) => [g, Number(d)]),
      ),
    },
    actionItemRemindMs: e.TOCSIN_ACTION_ITEM_REMIND_DAYS * 86_400_000,
    vulnImportMaxBytes: e.TOCSIN_VULN_IMPORT_MAX_BYTES,
    drillPeriodMonths: e.TOCSIN_DRILL_PERIOD_MONTHS,
    mgmtReports: { recipients: e.TOCSIN_MGMT_REPORT_RECIPIENTS, day: e.TOCSIN_MGMT_REPORT_DAY },
    sessionTtlMs: e.TOCSIN_SESSION_TTL_HOURS * 3600_000,
    identity: identity.identity,
    identityRecheckMs: e.TOCSIN_IDENTITY_RECHECK_S * 1000,
    trustedProxies: e.TOCSIN_TRUSTED_PROXIES ?? [],
    bodyLimitBytes: e.TOCSIN_BODY_LIMIT_BYTES,
    webDir: path.resolve(e.TOCSIN_WEB_DIR ?? 'dist/web'),
    detection: {
      ruleDirs: (e.TOCSIN_RULES_DIRS ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((d) => path.resolve(d)),
      mappingFile: e.TOCSIN_MAPPING_FILE ? path.resolve(e.TOCSIN_MAPPING_FILE) : undefined,
      thread: e.TOCSIN_DETECTION_THREAD,
      youngGenerationMb: e.TOCSIN_ENGINE_YOUNG_GENERATION_MB,
      latenessMs: e.TOCSIN_CORRELATION_LATENESS_MS,
      correlationMemoryBytes: e.TOCSIN_CORRELATION_MEMORY_MB * 1024 * 1024,
      correlationPartitions: e.TOCSIN_CORRELATION_PARTITIONS,
      correlationRetentionMs: e.TOCSIN_CORRELATION_RETENTION_MINUTES * 60_000,
    },
    probes: {
      denyCidrs: e.TOCSIN_PROBE_DENY_CIDRS ?? [],
      allowCidrs: e.TOCSIN_PROBE_ALLOW_CIDRS ?? [],
      allowLoopback: e.TOCSIN_PROBE_ALLOW_LOOPBACK === 'true',
      retentionMs: e.TOCSIN_PROBE_RETENTION_DAYS * 24 * 3600_000,
    },
    ingest: {
      sources: sources.sources,
      bodyLimitBytes: e.TOCSIN_INGEST_BODY_LIMIT_BYTES,
      lineLimitBytes: e.TOCSIN_INGEST_LINE_LIMIT_BYTES,
      maxEvents: e.TOCSIN_INGEST_MAX_EVENTS,
      maxDepth: 32,
      dedupWindowMs: e.TOCSIN_INGEST_DEDUP_HOURS * 3600_000,
      syslog: e.TOCSIN_SYSLOG_PORT === undefined ? null : { host: e.TOCSIN_SYSLOG_HOST, port: e.TOCSIN_SYSLOG_PORT },
    },
    metrics: {
      ...metricsFile,
      retentionMs: e.TOCSIN_METRICS_RETENTION_DAYS * 86_400_000,
      maxSeries: e.TOCSIN_METRICS_MAX_SERIES,
      bodyLimitBytes: e.TOCSIN_INGEST_BODY_LIMIT_BYTES,
    },
    secretKeys: { key: e.TOCSIN_SECRET_KEY, oldKeys: splitList(e.TOCSIN_SECRET_KEYS_OLD ?? '') },
    cluster: {
      role: e.TOCSIN_ROLE,
      nats: e.TOCSIN_NATS_URL ? { servers: splitList(e.TOCSIN_NATS_URL), prefix: e.TOCSIN_NATS_PREFIX } : null,
      eventPartitions: e.TOCSIN_EVENT_PARTITIONS,
      eventsRetentionMs: e.TOCSIN_EVENTS_RETENTION_HOURS * 3600_000,
    },
    shutdownTimeoutMs: e.TOCSIN_SHUTDOWN_TIMEOUT_S * 1000,
    status: {
      name: { zh: e.TOCSIN_STATUS_NAME_ZH, en: e.TOCSIN_STATUS_NAME_EN },
      baseUrl: (e.TOCSIN_STATUS_BASE_URL ?? `${publicUrl}/status`).replace(/\/$/, ''),
      timeZone: e.TOCSIN_STATUS_TIME_ZONE,
    },
    mail: { smtpUrl: e.TOCSIN_SMTP_URL ?? null, from: e.TOCSIN_MAIL_FROM },
    notifyGateway:
      e.TOCSIN_NOTIFY_GATEWAY_URL && e.TOCSIN_NOTIFY_GATEWAY_SECRET
        ? { url: e.TOCSIN_NOTIFY_GATEWAY_URL, secret: e.TOCSIN_NOTIFY_GATEWAY_SECRET }
        : null,
    inbound: {
      port: e.TOCSIN_INBOUND_SMTP_PORT ?? null,
      host: e.TOCSIN_INBOUND_SMTP_HOST,
      allow: e.TOCSIN_INBOUND_ADDRESSES ?? [],
      maxBytes: e.TOCSIN_INBOUND_MAX_BYTES,
    },
    activity: {
      index: e.TOCSIN_ACTIVITY_INDEX === 'true',
      retentionMs: e.TOCSIN_ACTIVITY_RETENTION_DAYS * 86_400_000,
      flushMs: e.TOCSIN_ACTIVITY_FLUSH_MS,
      waitMs: e.TOCSIN_ACTIVITY_WAIT_MS,
    },
    obligationsDir: e.TOCSIN_OBLIGATIONS_DIR ?? null,
  };
  // What the server derives where a variable is unset (or only a relative path was given).
  const derived = {
    TOCSIN_PUBLIC_URL: config.publicUrl,
    TOCSIN_STATUS_BASE_URL: config.status.baseUrl,
    TOCSIN_DATA_DIR: config.dataDir,
    TOCSIN_BLOB_DIR: config.blobDir,
    TOCSIN_DATABASE_URL: config.database.kind === 'sqlite' ? `sqlite:${config.database.file}` : e.TOCSIN_DATABASE_URL,
    TOCSIN_WEB_DIR: config.webDir,
    TOCSIN_RULES_DIRS: config.detection.ruleDirs.length
      ? config.detection.ruleDirs.join(path.delimiter)
      : 'rules/tocsin (bundled)',
    TOCSIN_MAPPING_FILE: config.detection.mappingFile ?? 'rules/mappings/windows-thor.yml (bundled)',
  };
  return {
    ...config,
    settings: describeSettings(Object.keys(EnvSchema.shape), raw, e, derived),
    pagingKey: e.TOCSIN_PAGING_KEY ?? null,
    metricsToken: e.TOCSIN_METRICS_TOKEN ?? null,
    statementReviews: e.TOCSIN_STATEMENT_REVIEWS
      ? (parseStatementReviews(e.TOCSIN_STATEMENT_REVIEWS) as StatementReviewsConfig)
      : null,
    publicPort: e.TOCSIN_PUBLIC_PORT ?? null,
    ownerSla: e.TOCSIN_OWNER_SLA ? (parseOwnerSla(e.TOCSIN_OWNER_SLA) as OwnerSla) : DEFAULT_OWNER_SLA,
  };
}
