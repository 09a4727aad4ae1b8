/**
 * What an upload must pass before anything is stored: readable YAML holding rules, each with an id,
 * no id or name already taken, and a clean compile together with the existing rules it refers to.
 */
import type { RuleUpload } from '../../../shared/rule-schemas.js';
import { conflict, invalid } from '../../platform/errors.js';
import {
  readCatalogFile,
  referencedClosure,
  type Catalog,
  type CatalogFile,
  type CatalogRule,
} from './rule-catalog.js';
import { createSigmaEngine } from '@tocsin/sigma';

/** 422 listing each rule that did not compile and why; nothing is stored. */
function rejectUpload(fileName: string, errors: { ruleId?: string; reason: string }[]): never {
  const lines = errors.map((e) => `${e.ruleId ? `rule ${e.ruleId}: ` : ''}${e.reason}`);
  const detail = `${fileName} was not stored: ${errors.length === 1 ? 'a rule does' : `${errors.length} rules do`} not compile: ${lines.join('; ')}`;
  throw invalid(
    detail.length > 2000 ? `${detail.slice(0, 1999)}…` : detail,
    errors.map((e) => ({ path: e.ruleId ? `yaml.${e.ruleId}` : 'yaml', message: e.reason })),
    { code: 'rule.compile_failed', params: { count: errors.length } },
  );
}

/**
 * Checks an upload against the catalogue; throws the problem that refuses it (422, or 409 for an id or
 * name already in use). Returns the uploaded file as read and the rules it names.
 */
export function checkUpload(cat: Catalog, input: RuleUpload): { file: CatalogFile; named: CatalogRule[] } {
  const fileName = input.fileName;
  const errorsOf = (sources: { file: string; text: string }[]) =>
    createSigmaEngine({ rules: sources }).report.errors.filter((e) => e.file === fileName);
  const file = readCatalogFile(fileName, input.yaml, 'uploaded', () => '');
  if (!file.parseable) {
    const errs = errorsOf([{ file: fileName, text: input.yaml }]);
    rejectUpload(fileName, errs.length ? errs : [{ reason: 'the YAML could not be read' }]);
  }
  if (!file.docs.length)
    throw invalid(`${fileName} holds no rule`, [{ path: 'yaml', message: 'no YAML document', code: 'required' }], {
      code: 'rule.upload_empty',
      params: { file: fileName },
    });
  const named = file.docs.flatMap((d) => (d.rule ? [d.rule] : []));
  const noId = named.filter((r) => !r.sigmaId);
  if (noId.length) {
    rejectUpload(
      fileName,
      noId.map((r) => ({
        reason: `rule "${r.title}" has no id; an uploaded rule needs one (a random UUID) so alerts, suppressions and the API can refer to it`,
      })),
    );
  }
  const clashes: string[] = [];
  for (const r of named) {
    for (const [what, key] of [
      ['id', r.sigmaId],
      ['name', r.name],
    ] as const) {
      const owner = key ? cat.byRef.get(key) : undefined;
      if (key && owner)
        clashes.push(
          `${what} ${key} is already used by ${owner.kind} rule "${owner.title}" (${owner.origin === 'file' ? owner.file : `uploaded as ${owner.file}`})`,
        );
    }
  }
  if (clashes.length)
    throw conflict(
      `${clashes.join('; ')}; give the uploaded rule a new ${clashes.length > 1 ? 'ids and names' : 'id or name'}, or delete the uploaded one first`,
      {
        code: 'rule.id_taken',
        params: {
          refs: named
            .flatMap((r) => [r.sigmaId, r.name])
            .filter((k): k is string => !!k && cat.byRef.has(k))
            .join(', '),
        },
      },
    );
  const existing = referencedClosure(
    cat,
    named.flatMap((r) => r.refs),
  );
  const errs = errorsOf([
    { file: fileName, text: input.yaml },
    ...existing.map((r, i) => ({ file: `existing:${i}`, text: r.yaml })),
  ]);
  if (errs.length) rejectUpload(fileName, errs);
  return { file, named };
}
