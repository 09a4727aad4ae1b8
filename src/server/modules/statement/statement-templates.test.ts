import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../shared/incident-schemas.js';
import { STATEMENT_KINDS } from '../../../shared/plan-schemas.js';
import { STATEMENT_SCENARIOS } from '../../../shared/statement-schemas.js';
import {
  createTemplateStore,
  fillTemplate,
  guessScenario,
  parseTemplate,
  shanghaiTime,
} from './statement-templates.js';

const incident = {
  id: 'i1',
  key: 'INC-2026-0042',
  title: 'Credential stuffing against online trading',
  titleI18n: { 'zh-CN': '网上交易遭撞库攻击', en: 'Credential stuffing against online trading' },
  category: 'network_attack',
  grade: 'II',
  tags: ['attack.t1110.004'],
  services: [
    { key: 'online-trading', nameZh: '网上交易', nameEn: 'Online trading' },
    { key: 'mobile-app', nameZh: '手机 App', nameEn: 'Mobile app' },
  ],
  impact: { customersAffected: 1234, fundsAtRisk: null, recordsExposed: null, tradingInterrupted: false },
  milestones: { detectedAt: '2026-12-03T06:05:00.000Z' },
  summaryFacts: null,
} as unknown as Incident;

describe('statement templates', () => {
  const store = createTemplateStore();

  it('fills a holding statement in Chinese and English from the incident (times in Asia/Shanghai)', () => {
    const filled = fillTemplate(
      store.get('holding_statement', 'credential_stuffing'),
      incident,
      Date.UTC(2026, 11, 3, 6, 10),
    );
    expect(filled.title.zh).toBe('关于部分客户账户异常登录的说明');
    expect(filled.body.zh).toContain('2026-12-03 14:05（北京时间）');
    expect(filled.body.zh).toContain('网上交易、手机 App');
    expect(filled.body.zh).toContain('INC-2026-0042');
    expect(filled.body.zh).toContain('1,234');
    expect(filled.body.en).toContain('At 2026-12-03 14:05 (Beijing time)');
    expect(filled.body.en).toContain('Online trading, Mobile app');
    expect(filled.body.en).not.toMatch(/[\u4e00-\u9fff]/);
    expect(filled.body.zh).not.toContain('{{');
  });

  it('says a figure is being assessed rather than leaving it empty', () => {
    const unknown = { ...incident, impact: { ...incident.impact, customersAffected: null } } as Incident;
    const filled = fillTemplate(store.get('holding_statement', 'generic'), unknown, 0);
    expect(filled.body.zh).toContain('正在核实');
    expect(filled.body.en).toContain('being assessed');
  });

  it('has a template for every kind and scenario (the generic one where none is specific) that fills without error', () => {
    for (const kind of STATEMENT_KINDS)
      for (const scenario of STATEMENT_SCENARIOS) {
        const t = store.get(kind, scenario);
        expect(t.title.zh, `${kind}.${scenario}`).not.toBe('');
        const filled = fillTemplate(t, incident, 0);
        expect(filled.body.en.length, `${kind}.${scenario}`).toBeGreaterThan(20);
      }
  });

  it('refuses a template without its sections', () => {
    expect(() => parseTemplate('---\ntitle: { zh: a, en: b }\n---\n<!-- zh -->\n文字\n')).toThrow(/en/);
    expect(() => parseTemplate('no front matter')).toThrow(/front matter/);
  });

  it('guesses the scenario from the incident', () => {
    expect(guessScenario(incident)).toBe('credential_stuffing');
    expect(guessScenario({ category: 'network_attack', tags: [], title: 'DDoS at market open' })).toBe('ddos');
    expect(guessScenario({ category: 'data_security', tags: [], title: 'x' })).toBe('data_leak');
    expect(guessScenario({ category: 'malicious_program', tags: [], title: 'x' })).toBe('ransomware');
    expect(guessScenario({ category: 'equipment_failure', tags: [], title: 'x' })).toBe('outage');
    expect(guessScenario({ category: 'other', tags: [], title: 'x' })).toBe('generic');
  });

  it('formats times in Beijing time', () => {
    expect(shanghaiTime(Date.UTC(2026, 11, 31, 17, 30))).toBe('2027-01-01 01:30');
  });
});
