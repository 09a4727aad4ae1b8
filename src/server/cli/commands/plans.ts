/**
 * `tocsin plans lint FILE...`: emergency plan documents checked against the plan schema;
 * `tocsin plans import DIR`: every plan file of a folder stored as a version (docs/plans.md);
 * `tocsin plans activate INCIDENT PLAN`: a plan started on an incident through a running Tocsin's API.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { PlanActivation } from '../../../shared/activation-schemas.js';
import { apiCall, apiTarget, SERVER_HELP } from '../api-client.js';
import { CliError, cliActor, withServices } from '../context.js';
import { out } from '../table.js';
import { JSON_OPT } from './options.js';

const isPlanFile = (f: string) => /\.ya?ml$/i.test(f);

export function addPlansCommands(program: Command): void {
  const plans = program.command('plans').description('emergency plans (应急预案)');
  plans
    .command('lint')
    .description(
      'check plan documents (YAML); prints one line per problem, FILE:LINE:COLUMN: reason, and exits 1 when there is any',
    )
    .argument('<files...>', 'plan files')
    .action(async (files: string[]) => {
      const { lintPlanFile } = await import('../../modules/plan/index.js');
      let count = 0;
      for (const file of files) {
        for (const p of lintPlanFile(file).problems) {
          process.stdout.write(`${file}:${p.line}:${p.column}: ${p.reason}\n`);
          count++;
        }
      }
      if (count > 0) throw new CliError(`${count} problem${count === 1 ? '' : 's'} in plan files`);
      process.stdout.write(`${files.length} plan file${files.length === 1 ? '' : 's'} valid\n`);
    });
  plans
    .command('import')
    .description(
      'store the plan files (*.yml, *.yaml) of a folder in the store, each as a new draft version unless it is ' +
        'the same as the plan\'s latest version; prints "ID vN STATUS" per file (draft, approved, active, or ' +
        'unchanged); files with problems are not stored: their FILE:LINE:COLUMN: reason lines are printed and the exit is 1',
    )
    .argument('<dir>', 'folder of plan files')
    .option('--approve', "approve each file's version (as the CLI's operating-system account) when it is a draft")
    .option('--activate', 'make each version the active one (approving it first if it is a draft); implies --approve')
    .action(async (dir: string, o: { approve?: boolean; activate?: boolean }) => {
      let entries: string[];
      try {
        entries = fs.readdirSync(dir).filter(isPlanFile).sort();
      } catch (err) {
        throw new CliError(`cannot read ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
      if (entries.length === 0) throw new CliError(`no plan files (*.yml, *.yaml) in ${dir}`);
      const { lintPlanFile } = await import('../../modules/plan/index.js');
      const valid: string[] = [];
      let problems = 0;
      for (const name of entries) {
        const file = path.join(dir, name);
        const r = lintPlanFile(file);
        for (const p of r.problems) process.stdout.write(`${file}:${p.line}:${p.column}: ${p.reason}\n`);
        problems += r.problems.length;
        if (r.plan) valid.push(file);
      }
      await withServices(async (s) => {
        for (const file of valid) {
          const source = fs.readFileSync(file, 'utf8');
          const { plan, version, changed } = await s.plans.importSource(cliActor, source, {
            file: path.basename(file),
          });
          let status: string = version.status;
          let touched = changed;
          if ((o.approve || o.activate) && status === 'draft') {
            status = (await s.plans.approve(cliActor, plan.id, version.version)).status;
            touched = true;
          }
          if (o.activate && status === 'approved') {
            status = (await s.plans.activate(cliActor, plan.id, version.version)).status;
            touched = true;
          }
          process.stdout.write(`${plan.id} v${version.version} ${touched ? status : 'unchanged'}\n`);
        }
      });
      if (problems > 0)
        throw new CliError(
          `${problems} problem${problems === 1 ? '' : 's'} in ${entries.length - valid.length} plan file${entries.length - valid.length === 1 ? '' : 's'}; those were not stored`,
        );
    });
  plans
    .command('activate')
    .description(
      `start an active plan on an incident through the API of a running Tocsin (${SERVER_HELP}): tasks, roles from on-call, pages and actions as when it starts by itself; a plan already running there is shown as it is`,
    )
    .argument('<incident>', 'the incident key, e.g. INC-2026-0042')
    .argument('<plan>', 'the plan id, e.g. account-takeover')
    .option('--note <text>', 'why (kept on the activation and the timeline)')
    .option('--token <token>', 'API token with the write scope (default: TOCSIN_TOKEN)')
    .option(...JSON_OPT)
    .action(async (incident: string, plan: string, o: { note?: string; token?: string; json?: boolean }) => {
      const t = apiTarget(o, 'plans activate', 'write');
      const key = incident.trim().toUpperCase();
      const a = await apiCall<PlanActivation>(t, 'POST', `/api/v1/incidents/${encodeURIComponent(key)}/plans`, {
        planId: plan,
        ...(o.note ? { note: o.note } : {}),
      });
      if (o.json) {
        out(JSON.stringify(a));
        return;
      }
      out(`${a.planId} v${a.planVersion} running on ${a.incidentKey}: ${a.name.en} / ${a.name['zh-CN']}`);
      for (const p of a.progress) if (p.total) out(`  ${p.phase.padEnd(12)}${p.done}/${p.total} tasks done`);
      for (const r of a.roles) out(`  ${r.name.en.padEnd(28)}${r.user?.name ?? '(nobody on call)'}`);
      for (const p of a.details.problems) out(`  problem: ${p.step}: ${p.message}`);
    });
}
