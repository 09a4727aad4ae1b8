/** `tocsin plans lint FILE...`: emergency plan documents checked against the plan schema (docs/plans.md). */
import type { Command } from 'commander';
import { CliError } from '../context.js';

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
}
