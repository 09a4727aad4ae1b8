/**
 * `tocsin alerts list|show|ack`: a running Tocsin's alert queue through its API (api-client.ts): tables
 * by default, `--json` for scripts.
 */
import { Option, type Command } from 'commander';
import { ALERT_LEVELS, ALERT_STATUSES } from '../../../shared/enums.js';
import type { Alert, AlertDetail } from '../../../shared/alert-schemas.js';
import { apiCall, apiTarget, listAll, SERVER_HELP } from '../api-client.js';
import { localTime, out, table, zoneLabel } from '../table.js';
import { JSON_OPT, limitArg } from './options.js';

const TOKEN = [
  '--token <token>',
  'API token (default: TOCSIN_TOKEN); reading needs the read scope, acknowledging the write scope',
] as const;
const idPath = (id: string) => `/api/v1/alerts/${encodeURIComponent(id.trim())}`;

/** The alert's accounts, hosts and IPs, the first ten of them. */
function entities(a: Alert): string {
  const all = [...a.entities.ips, ...a.entities.hosts, ...a.entities.accounts];
  return all.length > 10
    ? `${all.slice(0, 10).join(', ')} … (${all.length} in all; --json lists them)`
    : all.join(', ');
}

export function addAlertsCommands(program: Command): void {
  const alerts = program
    .command('alerts')
    .summary('alerts of a running Tocsin through its API: the queue, one alert with its events, acknowledge')
    .description(
      `alerts of a running Tocsin (${SERVER_HELP}), through its API with TOCSIN_TOKEN: the queue, one alert with its events, acknowledge`,
    );

  alerts
    .command('list')
    .description(
      'alerts, most recently seen first: id, level, status, count, last seen, incident, rule title; --json for JSON lines',
    )
    .option(...TOKEN)
    .addOption(
      new Option('--status <status>', 'only this status, or "active" (open or acknowledged)').choices([
        'active',
        ...ALERT_STATUSES,
      ]),
    )
    .addOption(new Option('--level <level>', 'only this level').choices([...ALERT_LEVELS]))
    .option('--incident <key>', 'only alerts of this incident')
    .option('-q, --query <words>', 'words in the rule title or id, or an entity (account, host, IP)')
    .option('--limit <n>', 'at most this many', limitArg, 50)
    .option(...JSON_OPT)
    .action(
      async (o: {
        token?: string;
        status?: string;
        level?: string;
        incident?: string;
        query?: string;
        limit: number;
        json?: boolean;
      }) => {
        const t = apiTarget(o, 'alerts list', 'read');
        const q = new URLSearchParams();
        for (const [k, v] of [
          ['status', o.status],
          ['level', o.level],
          ['incident', o.incident?.toUpperCase()],
          ['q', o.query],
        ] as const)
          if (v) q.set(k, v);
        const { items, more } = await listAll<Alert>(t, '/api/v1/alerts', q, o.limit);
        if (o.json) for (const a of items) out(JSON.stringify(a));
        else if (!items.length) out('no alerts');
        else {
          const rows = items.map((a) => [
            a.id,
            a.level,
            a.status,
            String(a.count),
            localTime(a.lastSeenAt),
            a.incident?.key ?? '-',
            a.ruleTitle,
          ]);
          for (const line of table(
            ['ID', 'LEVEL', 'STATUS', 'COUNT', `LAST SEEN (${zoneLabel()})`, 'INCIDENT', 'RULE'],
            rows,
          ))
            out(line);
        }
        if (more) process.stderr.write(`tocsin: more alerts than --limit ${o.limit}; raise it or narrow the filters\n`);
      },
    );

  alerts
    .command('show')
    .description(
      'one alert: rule, level, status, counts, first and last seen, entities, services, incident, and its kept events (one JSON line each); --json for the whole alert',
    )
    .argument('<id>', 'the alert id, as `tocsin alerts list` shows it')
    .option(...TOKEN)
    .option(...JSON_OPT)
    .action(async (id: string, o: { token?: string; json?: boolean }) => {
      const t = apiTarget(o, 'alerts show', 'read');
      const a = await apiCall<AlertDetail>(t, 'GET', idPath(id), undefined, { scope: 'read' });
      if (o.json) return out(JSON.stringify(a));
      out(`${a.id}  [${a.level}] ${a.ruleTitle}`);
      const facts: [string, string][] = [
        ['rule', a.ruleId],
        [
          'status',
          `${a.status}${a.acknowledged ? ` (by ${a.acknowledged.by?.name ?? 'Tocsin'} at ${localTime(a.acknowledged.at)})` : ''}${a.heldBy ? ` (held by a ${a.heldBy.kind})` : ''}`,
        ],
        ['count', `${a.count} match(es), ${a.eventCount} event(s)`],
        ['first seen', localTime(a.firstSeenAt)],
        ['last seen', localTime(a.lastSeenAt)],
        ['entities', entities(a) || '-'],
        ['services', a.services.join(', ') || '-'],
        [
          'incident',
          a.incident
            ? `${a.incident.key} ${a.incident.title}`
            : `- (suggested: ${a.suggested.category}, grade ${a.suggested.grade})`,
        ],
        ['console', new URL(`/alerts/${encodeURIComponent(a.id)}`, t.baseUrl).toString()],
      ];
      for (const [k, v] of facts) out(`  ${`${k}:`.padEnd(12)}${v}`);
      out(`  times in ${zoneLabel()}`);
      out('');
      out(`Events kept (${a.events.length} of ${a.eventCount}):`);
      for (const e of a.events) out(`  ${localTime(e.time)}  ${e.source}  ${JSON.stringify(e.fields)}`);
    });

  alerts
    .command('ack')
    .description('acknowledge an open alert: someone is looking at it')
    .argument('<id>', 'the alert id')
    .option(...TOKEN)
    .option(...JSON_OPT)
    .action(async (id: string, o: { token?: string; json?: boolean }) => {
      const t = apiTarget(o, 'alerts ack', 'write');
      const a = await apiCall<Alert>(t, 'POST', `${idPath(id)}/acknowledge`, undefined, { scope: 'write' });
      if (o.json) return out(JSON.stringify(a));
      out(`${a.id}: ${a.status}  [${a.level}] ${a.ruleTitle}${a.incident ? `  (${a.incident.key})` : ''}`);
    });
}
