/**
 * Keeps docs/glossary.md applied: the words it says to avoid appear nowhere a person reads Chinese from
 * Tocsin (console catalog and components, CLI and server-written texts, bundled rules, docs), and the
 * console never calls a raw event plain 事件 nor an incident's grade 级别.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-CN.js';

const root = join(import.meta.dirname, '..', '..');
const glossaryText = readFileSync(join(root, 'docs', 'glossary.md'), 'utf8');

interface Avoided {
  entry: string;
  preferred: string;
  pattern: RegExp;
}

/** The "Avoid (zh)" column of every table in the glossary. */
function avoidedTerms(markdown: string): Avoided[] {
  const out: Avoided[] = [];
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|') || line.startsWith('| ---') || line.startsWith('| 中文')) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length !== 4) continue;
    const [preferred, , , avoid] = cells as [string, string, string, string];
    for (const entry of avoid
      .split('、')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const pattern =
        entry.startsWith('/') && entry.endsWith('/')
          ? new RegExp(entry.slice(1, -1), 'gu')
          : new RegExp(escapeRegExp(entry), 'gu');
      out.push({ entry, preferred, pattern });
    }
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function walk(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out;
}

/** Every file a person reads Chinese from: sources (not tests), bundled rules and plans, docs. */
function scannedFiles(): string[] {
  const source = (p: string) => /\.(ts|tsx|mjs)$/.test(p) && !/\.test\.ts$/.test(p);
  return [
    ...walk(join(root, 'src'), source),
    ...walk(join(root, 'rules', 'tocsin'), (p) => /\.(yml|md)$/.test(p)),
    ...walk(join(root, 'plans'), (p) => p.endsWith('.yml')),
    ...walk(join(root, 'drills'), (p) => p.endsWith('.yml')),
    ...walk(join(root, 'docs'), (p) => p.endsWith('.md') && !p.endsWith('glossary.md')),
    join(root, 'README.md'),
  ];
}

function leaves(o: unknown, prefix = ''): Array<[string, string]> {
  if (typeof o === 'string') return [[prefix, o]];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

describe('glossary (docs/glossary.md) applied', () => {
  const avoided = avoidedTerms(glossaryText);

  it('lists the words to avoid', () => {
    const entries = avoided.map((a) => a.entry);
    for (const word of ['宣布事件', '业务系统', '指挥官', '两步验证', '/(?<!扫描)探测/'])
      expect(entries).toContain(word);
  });

  it('no avoided word in the console, CLI, server texts, rules or docs', () => {
    const found: string[] = [];
    for (const file of scannedFiles()) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const a of avoided) {
          a.pattern.lastIndex = 0;
          if (a.pattern.test(line))
            found.push(
              `${relative(root, file)}:${i + 1}: "${a.entry}" (write ${a.preferred}): ${line.trim().slice(0, 120)}`,
            );
        }
      });
    }
    expect(found).toEqual([]);
  });

  it('the zh-CN console calls a raw event 原始事件 wherever the English speaks of events', () => {
    const zh = new Map(leaves(zhCN));
    const wrong = leaves(en)
      .filter(([key, text]) => /\bevents?\b/i.test(text.replace(/\{\{\w+\}\}/g, '')) && !key.startsWith('timeline.'))
      .filter(([key]) => !(zh.get(key) ?? '').includes('原始事件'))
      .map(([key]) => `${key}: ${zh.get(key)}`);
    expect(wrong).toEqual([]);
  });

  it("the zh-CN console calls an incident's grade 等级, never 级别 (that is an alert's level)", () => {
    const zh = new Map(leaves(zhCN));
    const wrong = leaves(en)
      .filter(([, text]) => /\bgrade\b/i.test(text.replace(/\{\{\w+\}\}/g, '')))
      .filter(([key]) => !(zh.get(key) ?? '').includes('等级') || (zh.get(key) ?? '').includes('级别'))
      .map(([key]) => `${key}: ${zh.get(key)}`);
    expect(wrong).toEqual([]);
  });
});
