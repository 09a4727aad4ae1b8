/** `tocsin detect`: Sigma rules over event files, offline (the work is runDetect's, ../detect.ts). */
import type { Command } from 'commander';
import { type EngineOpts, runDetect } from '../detect.js';

export function addDetectCommand(program: Command): void {
  program
    .command('detect')
    .description(
      'run Sigma rules (detection, correlation and filter rules together) over event files and print one JSON line per match; offline, no server or store needed',
    )
    .option(
      '--rules <paths...>',
      'rule files or directories (searched recursively for .yml/.yaml); default, as the server: TOCSIN_RULES_DIRS, else the bundled rules/tocsin',
    )
    .requiredOption('--events <files...>', 'raw event files: NDJSON, a JSON array, or evtx_dump JSON output')
    .option(
      '--mapping <file>',
      'log-source mapping in the format of SigmaHQ tests/thor.yml (default: TOCSIN_MAPPING_FILE, else the bundled Windows mapping)',
    )
    .option('--placeholders <file>', 'YAML map of |expand placeholder values, e.g. `Administrators: [admin, "adm_*"]`')
    .option('--verbose', 'list every rule that did not compile, and every unreadable event')
    .addHelpText(
      'after',
      '\nEach line: {"rule_id","rule_title","level","kind","tags","time","group"?,"events":[{"id","time","source","logsource","fields"}]}\nExamples:\n  tocsin detect --events events.ndjson   (the bundled rules)\n  tocsin detect --rules rules/ ../sigma/rules/windows --events events.ndjson',
    )
    .action((o: EngineOpts & { events: string[] }) => runDetect(o));
}
