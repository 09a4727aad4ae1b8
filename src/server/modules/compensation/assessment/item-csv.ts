/** The item methods (fraud-loss, delayed-funds, fee-refund, fixed) from a CSV file. */
import { type CsvEncoding, readCsv } from './csv.js';
import { ItemAssessment, type ItemMethodName, type ItemParams, type ItemSummary } from './item-methods.js';
import type { CsvProblem } from './outage-csv.js';
import type { CustomerAssessment } from './policy.js';

export async function assessItemsCsv(input: {
  method: ItemMethodName;
  file: string;
  encoding?: CsvEncoding;
  params: ItemParams;
  onProblem: (p: CsvProblem) => void;
}): Promise<{ customers: Generator<CustomerAssessment>; summary: ItemSummary }> {
  const run = new ItemAssessment(input.method, input.params, (line, reason) =>
    input.onProblem({ source: 'orders', file: input.file, line, reason }),
  );
  await readCsv(input.file, {
    name: input.file,
    encoding: input.encoding,
    columns: run.columns,
    optional: run.optional,
    onRow: (v, line) => run.row(v, line),
    onBad: (line, reason) => run.badRow(line, reason),
  });
  return run.results();
}
