/** Reading a configuration file named by an environment variable: size-capped, YAML (JSON is YAML too), bounded aliases. */
import fs from 'node:fs';
import { parse } from 'yaml';

const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Reads `file` (named by `envName`) as YAML; returns its data, or problems each naming the variable
 * and the file. Few aliases: a "billion laughs" file fails instead of expanding.
 */
export function readConfigFile(
  file: string,
  envName: string,
): { data: unknown; where: string } | { problems: string[] } {
  const where = `${envName} (${file})`;
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_FILE_BYTES) return { problems: [`${where}: is ${size} bytes; the limit is ${MAX_FILE_BYTES}`] };
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return {
      problems: [`${where}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`],
    };
  }
  try {
    return { data: parse(text, { maxAliasCount: 100, prettyErrors: false }) as unknown, where };
  } catch (err) {
    return { problems: [`${where}: is not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`] };
  }
}
