/** `tocsin sigma regress`: rules scored on a SigmaHQ-style regression_data tree (the work is runRegress's, ../detect.ts). */
import type { Command } from 'commander';
import { type EngineOpts, runRegress } from '../detect.js';

export function addSigmaCommands(program: Command): void {
  const sigma = program.command('sigma').description('Sigma rule tooling');
  sigma
    .command('regress')
    .description(
      'score rules on a SigmaHQ-style regression_data tree (folders with info.yml and event JSON); prints {"folders","passed","failed"} then one JSON line per failure; exits 1 when any test fails',
    )
    .requiredOption('--rules <paths...>', 'rule files or directories')
    .requiredOption('--data <dir>', 'the regression_data directory')
    .option('--mapping <file>', 'log-source mapping (default: the bundled Windows mapping)')
    .option('--placeholders <file>', 'YAML map of |expand placeholder values')
    .option('--verbose', 'list every rule that did not compile')
    .action((o: EngineOpts & { data: string }) => runRegress(o));
}
