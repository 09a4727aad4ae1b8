/**
 * `tocsin incidents list|show|declare|ack|transition`: a running Tocsin's incidents through its API
 * (api-client.ts), as the console shows them: tables by default, `--json` for scripts.
 */
import { Argument, Option, type Command } from 'commander';
import { CATEGORIES, GRADES, STATUSES, type Status } from '../../../shared/enums.js';
import type { Incident, Task, TimelineEntry } from '../../../shared/incident-schemas.js';
import { apiCall, apiTarget, listAll, SERVER_HELP, type ApiTarget } from '../api-client.js';
import { localTime, out, table, zoneLabel } from '../table.js';
import { JSON_OPT, limitArg } from './options.js';

const TOKEN = [
  '--token <token>',
  'API token (default: TOCSIN_TOKEN); reading needs the read scope, changing the write scope',
] as const;

const keyPath = (key: string) => `/api/v1/incidents/${encodeURIComponent(key.trim().toUpperCase())}`;
const consoleLink = (t: ApiTarget, key: string) =>
  new URL(`/incidents/${encodeURIComponent(key)}`, t.baseUrl).toString();

function incidentRows(items: Incident[]): string[] {
  return table(
    ['KEY', 'GRADE', 'STATUS', `DETECTED (${zoneLabel()})`, 'COMMANDER', 'TITLE'],
    items.map((i) => [
      i.key,
      i.grade,
      i.status,
      localTime(i.milestones.detectedAt),
      i.commander?.name ?? '-',
      `${i.title}${i.restricted ? '  [restricted]' : ''}`,
    ]),
  );
}

/** One incident as a person reads it: facts, people, milestones, tasks, timeline. */
function printIncident(i: Incident, timeline: TimelineEntry[], tasks: Task[], link: string): void {
  out(`${i.key}  ${i.title}`);
  const facts: [string, string][] = [
    ['status', i.status],
    ['grade', `${i.grade} (severity ${i.severity})`],
    ['category', i.category],
    ['restricted', i.restricted ? 'yes (need-to-know)' : 'no'],
    ['services', i.services.map((s) => s.key).join(', ') || '-'],
    ['commander', i.commander?.name ?? '-'],
    ['participants', i.participants.map((p) => `${p.name} (${p.role})`).join(', ') || '-'],
    ['detected', localTime(i.milestones.detectedAt)],
    ['acknowledged', localTime(i.milestones.acknowledgedAt)],
    ['contained', localTime(i.milestones.containedAt)],
    ['recovered', localTime(i.milestones.recoveredAt)],
    ['closed', localTime(i.milestones.closedAt)],
    ['tags', i.tags.join(', ') || '-'],
    ['console', link],
  ];
  for (const [k, v] of facts) out(`  ${`${k}:`.padEnd(14)}${v}`);
  out(`  times in ${zoneLabel()}`);
  if (i.summary) out(`  summary:      ${i.summary.replace(/\s*\n\s*/g, ' ')}`);
  out('');
  out(tasks.length ? `Tasks (${tasks.length}):` : 'Tasks: none');
  if (tasks.length)
    for (const line of table(
      ['STATUS', 'DUE', 'OWNER', 'TASK'],
      tasks.map((t) => [t.status, localTime(t.dueAt), t.owner?.name ?? t.ownerRole ?? '-', t.title]),
    ))
      out(`  ${line}`);
  out('');
  out(`Timeline (${timeline.length}):`);
  for (const line of table(
    ['TIME', 'KIND', 'BY', 'TEXT'],
    timeline.map((e) => [localTime(e.at), e.kind, e.actor?.name ?? 'Tocsin', e.text.replace(/\s*\n\s*/g, ' ')]),
  ))
    out(`  ${line}`);
}

export function addIncidentsCommands(program: Command): void {
  const incidents = program
    .command('incidents')
    .summary(
      'incidents of a running Tocsin through its API: list, show, declare, acknowledge, move through the lifecycle',
    )
    .description(
      `incidents of a running Tocsin (${SERVER_HELP}), through its API with TOCSIN_TOKEN: list, show, declare, acknowledge, move through the lifecycle`,
    );

  incidents
    .command('list')
    .description(
      'incidents, newest detection first: key, grade, status, detection time, commander, title; --json for JSON lines',
    )
    .option(...TOKEN)
    .addOption(
      new Option('--status <status>', 'only this status, or "active" (every status before closed)').choices([
        'active',
        ...STATUSES,
      ]),
    )
    .addOption(new Option('--grade <grade>', 'only this grade').choices([...GRADES]))
    .addOption(new Option('--category <category>', 'only this category').choices([...CATEGORIES]))
    .option('--service <key>', 'only incidents affecting this service (catalog key)')
    .option('-q, --query <words>', 'only incidents whose key, title or summary contain these words')
    .addOption(
      new Option('--sort <order>', 'detected: newest first; severity: most severe first')
        .choices(['detected', 'severity'])
        .default('detected'),
    )
    .option('--limit <n>', 'at most this many', limitArg, 50)
    .option(...JSON_OPT)
    .action(
      async (o: {
        token?: string;
        status?: string;
        grade?: string;
        category?: string;
        service?: string;
        query?: string;
        sort: string;
        limit: number;
        json?: boolean;
      }) => {
        const t = apiTarget(o, 'incidents list', 'read');
        const q = new URLSearchParams({ sort: o.sort });
        for (const [k, v] of [
          ['status', o.status],
          ['grade', o.grade],
          ['category', o.category],
          ['service', o.service],
          ['q', o.query],
        ] as const)
          if (v) q.set(k, v);
        const { items, more } = await listAll<Incident>(t, '/api/v1/incidents', q, o.limit);
        if (o.json) for (const i of items) out(JSON.stringify(i));
        else if (!items.length) out('no incidents');
        else for (const line of incidentRows(items)) out(line);
        if (more)
          process.stderr.write(`tocsin: more incidents than --limit ${o.limit}; raise it or narrow the filters\n`);
      },
    );

  incidents
    .command('show')
    .description(
      'one incident: status, grade, category, services, commander and participants, milestones, tasks and its timeline; --json for the incident with its timeline and tasks',
    )
    .argument('<key>', 'the incident key, e.g. INC-2026-0042')
    .option(...TOKEN)
    .option(...JSON_OPT)
    .action(async (key: string, o: { token?: string; json?: boolean }) => {
      const t = apiTarget(o, 'incidents show', 'read');
      const base = keyPath(key);
      const inc = await apiCall<Incident>(t, 'GET', base, undefined, { scope: 'read' });
      const [timeline, tasks] = await Promise.all([
        allTimeline(t, base),
        listAll<Task>(t, `${base}/tasks`, new URLSearchParams(), 1000).then((r) => r.items),
      ]);
      if (o.json) out(JSON.stringify({ ...inc, timeline, tasks }));
      else printIncident(inc, timeline, tasks, consoleLink(t, inc.key));
    });

  incidents
    .command('declare')
    .description(
      "declare an incident, recorded as declared by the token's user (name a commander in the console or the API); prints its key and console link",
    )
    .requiredOption('--title <title>', 'what is happening, in a line')
    .addOption(
      new Option('--category <category>', 'GB/T 20986-2023 category').choices([...CATEGORIES]).makeOptionMandatory(),
    )
    .addOption(new Option('--grade <grade>', 'I (most severe) to IV').choices([...GRADES]).makeOptionMandatory())
    .option('--summary <text>', 'what is known so far', '')
    .option('--service <keys...>', 'affected services (catalog keys)')
    .option('--tag <tags...>', 'tags')
    .option('--restricted', 'need-to-know: only participants, commanders and administrators see it')
    .option(...TOKEN)
    .option(...JSON_OPT)
    .action(
      async (o: {
        title: string;
        category: string;
        grade: string;
        summary: string;
        service?: string[];
        tag?: string[];
        restricted?: boolean;
        token?: string;
        json?: boolean;
      }) => {
        const t = apiTarget(o, 'incidents declare', 'write');
        const inc = await apiCall<Incident>(
          t,
          'POST',
          '/api/v1/incidents',
          {
            title: o.title,
            summary: o.summary,
            category: o.category,
            grade: o.grade,
            services: o.service ?? [],
            tags: o.tag ?? [],
            restricted: o.restricted === true,
          },
          { scope: 'write' },
        );
        if (o.json) return out(JSON.stringify(inc));
        out(`declared ${inc.key} (grade ${inc.grade}, ${inc.status}): ${inc.title}`);
        out(`  console: ${consoleLink(t, inc.key)}`);
      },
    );

  const move = async (
    key: string,
    to: Status,
    o: { note?: string; token?: string; json?: boolean },
    command: string,
  ) => {
    const t = apiTarget(o, `incidents ${command}`, 'write');
    const before = await apiCall<Incident>(t, 'GET', keyPath(key), undefined, { scope: 'read' });
    const after = await apiCall<Incident>(
      t,
      'POST',
      `${keyPath(key)}/transitions`,
      o.note ? { to, note: o.note } : { to },
      { scope: 'write' },
    );
    if (o.json) return out(JSON.stringify(after));
    out(`${after.key}: ${before.status} -> ${after.status}${o.note ? ` (${o.note})` : ''}`);
  };

  incidents
    .command('ack')
    .description('acknowledge an incident (detected -> acknowledged): someone is on it')
    .argument('<key>', 'the incident key')
    .option('--note <text>', 'a note for the timeline')
    .option(...TOKEN)
    .option(...JSON_OPT)
    .action((key: string, o: { note?: string; token?: string; json?: boolean }) => move(key, 'acknowledged', o, 'ack'));

  incidents
    .command('transition')
    .description(
      'move an incident to STATUS: detected -> acknowledged -> contained -> (eradicated ->) recovered -> closed; false_positive before containment; acknowledged again reopens a closed one',
    )
    .argument('<key>', 'the incident key')
    .addArgument(new Argument('<status>', 'the new status').choices([...STATUSES]))
    .option('--note <text>', 'a note for the timeline (why)')
    .option(...TOKEN)
    .option(...JSON_OPT)
    .action((key: string, to: Status, o: { note?: string; token?: string; json?: boolean }) =>
      move(key, to, o, 'transition'),
    );
}

/** The whole timeline, oldest first (following `next`). */
async function allTimeline(t: ApiTarget, base: string): Promise<TimelineEntry[]> {
  const all: TimelineEntry[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ limit: '200' });
    if (cursor) q.set('cursor', cursor);
    const page: { items: TimelineEntry[]; next: string | null } = await apiCall(
      t,
      'GET',
      `${base}/timeline?${q}`,
      undefined,
      { scope: 'read' },
    );
    all.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return all;
}
