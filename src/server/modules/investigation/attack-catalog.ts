/**
 * The bundled ATT&CK catalogue (attack/enterprise-<version>.json, derived from MITRE's STIX bundle by
 * scripts/attack-catalog.mjs; attack/README.md): techniques by id, tactics in the matrix's order, a search
 * for the console's picker, and the reading of Sigma tags (`attack.t1110.004`, `attack.credential_access`).
 */
import fs from 'node:fs';
import type { AttackTactic, AttackTechnique } from '../../../shared/investigation-schemas.js';
import { bundledPath } from '../../platform/bundled.js';

/** The pinned ATT&CK version Tocsin ships (the file's name and the Navigator layer's `versions.attack`). */
export const ATTACK_VERSION = '18.1';

export interface AttackCatalog {
  version: string;
  tactics: (AttackTactic & { order: number })[];
  techniques: AttackTechnique[];
  technique(id: string): AttackTechnique | undefined;
  tactic(shortname: string): (AttackTactic & { order: number }) | undefined;
  search(q: string | undefined, limit: number): AttackTechnique[];
}

interface CatalogFile {
  version: string;
  tactics: (AttackTactic & { order: number })[];
  techniques: AttackTechnique[];
}

export function catalogFrom(file: CatalogFile): AttackCatalog {
  const byId = new Map(file.techniques.map((t) => [t.id, t]));
  const tactics = [...file.tactics].sort((a, b) => a.order - b.order);
  const byTactic = new Map(tactics.map((t) => [t.shortname, t]));
  return {
    version: file.version,
    tactics,
    techniques: file.techniques,
    technique: (id) => byId.get(id.toUpperCase()),
    tactic: (shortname) => byTactic.get(shortname),
    search(q, limit) {
      const needle = q?.trim().toLowerCase();
      if (!needle) return file.techniques.slice(0, limit);
      const exact = byId.get(needle.toUpperCase());
      const hits = file.techniques.filter(
        (t) => t !== exact && (t.id.toLowerCase().startsWith(needle) || t.name.toLowerCase().includes(needle)),
      );
      return [...(exact ? [exact] : []), ...hits].slice(0, limit);
    },
  };
}

let loaded: AttackCatalog | undefined;

/** The bundled catalogue (read once). */
export function attackCatalog(): AttackCatalog {
  if (loaded) return loaded;
  const file = bundledPath('attack', `enterprise-${ATTACK_VERSION}.json`);
  if (!file) throw new Error(`the bundled ATT&CK catalogue attack/enterprise-${ATTACK_VERSION}.json is missing`);
  loaded = catalogFrom(JSON.parse(fs.readFileSync(file, 'utf8')) as CatalogFile);
  return loaded;
}

/** What Sigma tags say of ATT&CK: technique ids (upper-cased) and tactic shortnames (hyphenated). */
export function attackTags(tags: readonly string[]): { techniques: string[]; tactics: string[] } {
  const techniques = new Set<string>();
  const tactics = new Set<string>();
  for (const raw of tags) {
    const tag = raw.trim().toLowerCase();
    if (!tag.startsWith('attack.')) continue;
    const rest = tag.slice('attack.'.length);
    if (/^t\d{4}(\.\d{3})?$/.test(rest)) techniques.add(rest.toUpperCase());
    else if (/^[a-z_-]+$/.test(rest)) tactics.add(rest.replaceAll('_', '-'));
  }
  return { techniques: [...techniques], tactics: [...tactics] };
}
