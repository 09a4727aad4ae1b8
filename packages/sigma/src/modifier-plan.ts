/** Modifier chains: validation and the string-transforming modifiers, in rule order. */
import { base64, base64offset, utf16, windash, wrapWildcards, type SigmaStr } from './sigma-string.js';
import { SigmaError } from './types.js';

const STRING_MODS = new Set([
  'contains',
  'startswith',
  'endswith',
  'windash',
  'base64',
  'base64offset',
  'utf16le',
  'utf16be',
  'utf16',
  'wide',
  'expand',
  'cased',
]);
const RE_FLAGS: Record<string, 'i' | 'm' | 's'> = {
  i: 'i',
  ignorecase: 'i',
  m: 'm',
  multiline: 'm',
  s: 's',
  dotall: 's',
};
const COMPARE = new Set(['lt', 'lte', 'gt', 'gte']);
const TIME_PARTS = new Set(['minute', 'hour', 'day', 'week', 'month', 'year']);
export const KNOWN_MODIFIERS = new Set([
  ...STRING_MODS,
  ...Object.keys(RE_FLAGS),
  ...COMPARE,
  ...TIME_PARTS,
  'all',
  'neq',
  're',
  'cidr',
  'exists',
  'fieldref',
]);

/** What a modifier chain asks for, checked for consistency. */
export interface Plan {
  kind: 'plain' | 're' | 'cidr' | 'exists' | 'fieldref' | 'compare' | 'time';
  all: boolean;
  negate: boolean;
  cased: boolean;
  expand: boolean;
  reFlags: { i?: boolean; m?: boolean; s?: boolean };
  compare?: string;
  timePart?: string;
  fieldrefMode: { start: boolean; end: boolean };
  /** String transformations in rule order. */
  transforms: string[];
}

/** Reads a modifier chain (`Field|mod1|mod2`), or throws SigmaError naming the problem. */
export function plan(mods: string[]): Plan {
  const p: Plan = {
    kind: 'plain',
    all: false,
    negate: false,
    cased: false,
    expand: false,
    reFlags: {},
    fieldrefMode: { start: false, end: false },
    transforms: [],
  };
  let valueMods = 0;
  for (const raw of mods) {
    const m = raw.toLowerCase();
    if (!KNOWN_MODIFIERS.has(m)) throw new SigmaError(`unknown modifier "${raw}"`);
    if (m === 'all') p.all = true;
    else if (m === 'neq') p.negate = true;
    else if (m === 're' || m === 'cidr' || m === 'exists') {
      if (valueMods > 0) throw new SigmaError(`modifier "${m}" must come before value modifiers`);
      if (p.kind !== 'plain') throw new SigmaError(`modifier "${m}" cannot combine with "${p.kind}"`);
      p.kind = m;
      valueMods++;
    } else if (m in RE_FLAGS) {
      if (p.kind !== 're') throw new SigmaError(`regular expression flag "${m}" without the re modifier`);
      p.reFlags[RE_FLAGS[m]!] = true;
    } else if (m === 'fieldref') {
      if (p.kind !== 'plain') throw new SigmaError(`modifier "fieldref" cannot combine with "${p.kind}"`);
      p.kind = 'fieldref';
      valueMods++;
    } else if (COMPARE.has(m)) {
      if (p.kind !== 'plain' && p.kind !== 'time')
        throw new SigmaError(`modifier "${m}" cannot combine with "${p.kind}"`);
      if (p.compare) throw new SigmaError('more than one comparison modifier');
      p.compare = m;
      if (p.kind === 'plain') p.kind = 'compare';
      valueMods++;
    } else if (TIME_PARTS.has(m)) {
      if (p.kind !== 'plain') throw new SigmaError(`modifier "${m}" cannot combine with "${p.kind}"`);
      p.kind = 'time';
      p.timePart = m;
      valueMods++;
    } else {
      // String modifiers.
      if (p.kind === 're') {
        if (m === 'contains' || m === 'startswith' || m === 'endswith') continue; // a regex is searched anywhere already
        throw new SigmaError(`modifier "${m}" cannot apply to a regular expression`);
      }
      if (p.kind === 'fieldref') {
        if (m === 'contains') p.fieldrefMode = { start: true, end: true };
        else if (m === 'startswith') p.fieldrefMode.start = true;
        else if (m === 'endswith') p.fieldrefMode.end = true;
        else if (m === 'cased') p.cased = true;
        else throw new SigmaError(`modifier "${m}" cannot apply to a field reference`);
        continue;
      }
      if (p.kind !== 'plain') throw new SigmaError(`modifier "${m}" cannot combine with "${p.kind}"`);
      if (m === 'cased') p.cased = true;
      else if (m === 'expand') p.expand = true;
      else p.transforms.push(m);
      valueMods++;
    }
  }
  return p;
}

/** Applies one string-transforming modifier to every value. */
export function transform(values: SigmaStr[], m: string): SigmaStr[] {
  switch (m) {
    case 'contains':
      return values.map((s) => wrapWildcards(s, true, true));
    case 'startswith':
      return values.map((s) => wrapWildcards(s, false, true));
    case 'endswith':
      return values.map((s) => wrapWildcards(s, true, false));
    case 'windash':
      return values.flatMap(windash);
    case 'base64':
      return values.map(base64);
    case 'base64offset':
      return values.flatMap(base64offset);
    case 'utf16le':
    case 'wide':
      return values.map((s) => utf16(s, 'le'));
    case 'utf16be':
      return values.map((s) => utf16(s, 'be'));
    case 'utf16':
      return values.map((s) => utf16(s, 'bom'));
    default:
      throw new SigmaError(`unknown modifier "${m}"`);
  }
}
