/**
 * An investigation report's current revision as PDF or DOCX, in zh-CN or English, through the regulator
 * reports' printing (`documentPdf`, `documentDocx`): "DRAFT" / "草稿" across the pages unless approved.
 */
import type { InvestigationReport, WrittenSection } from '../../../shared/investigation-report-schemas.js';
import { markdownToPlain } from '../../platform/markdown.js';
import { documentDocx, documentPdf, type PrintableDoc } from '../report/index.js';

type Lang = 'zh' | 'en';

const HEADINGS: Record<
  Lang,
  Record<WrittenSection | 'timeline' | 'attackPath' | 'filledImpact' | 'evidence' | 'iocs', string>
> = {
  en: {
    summary: '1. Summary',
    scope: '2. Scope',
    method: '3. Method (tools and data sources)',
    timeline: '4. Timeline',
    rootCause: '5. Root cause',
    attackPath: '6. Attack path (MITRE ATT&CK)',
    filledImpact: '7. Impact: systems and customers',
    impact: '8. Impact: data and systems (analysis)',
    evidence: '9. Evidence',
    iocs: '10. Indicators of compromise',
    recommendations: '11. Recommendations',
  },
  zh: {
    summary: '一、概述',
    scope: '二、调查范围',
    method: '三、调查方法（工具与数据来源）',
    timeline: '四、时间线',
    rootCause: '五、根本原因',
    attackPath: '六、攻击路径（MITRE ATT&CK）',
    filledImpact: '七、影响：系统与客户',
    impact: '八、影响：数据与系统（分析）',
    evidence: '九、证据清单',
    iocs: '十、入侵指标（IOC）',
    recommendations: '十一、改进建议',
  },
};

const STATE: Record<Lang, Record<InvestigationReport['state'], string>> = {
  en: { draft: 'draft', in_review: 'in review', approved: 'approved' },
  zh: { draft: '草稿', in_review: '审核中', approved: '已批准' },
};

const MARKS: Record<Lang, Record<keyof InvestigationReport['filled']['timeline']['marks'], string>> = {
  en: { firstCompromise: 'First compromise', detection: 'Detected', containment: 'Contained', recovery: 'Recovered' },
  zh: { firstCompromise: '首次失陷', detection: '发现', containment: '遏制', recovery: '恢复' },
};

function filledTexts(r: InvestigationReport, lang: Lang) {
  const zh = lang === 'zh';
  const none = zh ? '（无）' : '(none)';
  const withheld = zh ? '（您无权查看此部分）' : '(not shown: you may not read this part)';
  const f = r.filled;
  const or = (name: InvestigationReport['filled']['withheld'][number], lines: string[]) =>
    f.withheld.includes(name) ? withheld : lines.length ? lines.join('\n') : none;
  const marks = Object.entries(f.timeline.marks)
    .filter(([, at]) => at)
    .map(([k, at]) => `${MARKS[lang][k as keyof typeof f.timeline.marks]}: ${at}`);
  const timeline = or('timeline', [...marks, ...f.timeline.items.map((i) => `${i.at}  ${i.title}`)]);
  const attackPath = or(
    'attackPath',
    f.attackPath.map(
      (t) =>
        `${zh ? t.tactic.nameZh : t.tactic.name} (${t.tactic.id}): ${t.techniques.map((x) => `${x.id} ${x.name}`).join('; ')}`,
    ),
  );
  const im = f.impact;
  const impactLines = [
    `${zh ? '受影响的业务' : 'Services affected'}: ${im.services.map((s) => (zh ? s.nameZh : s.nameEn)).join(zh ? '、' : ', ') || none}`,
    ...im.sets.map((s) => `${zh ? '受影响客户集' : 'Affected set'} "${s.name}": ${s.customerCount}`),
  ];
  if (im.customersAffected !== null)
    impactLines.push(`${zh ? '受影响客户数' : 'Customers affected'}: ${im.customersAffected}`);
  if (im.recordsExposed !== null) impactLines.push(`${zh ? '泄露记录数' : 'Records exposed'}: ${im.recordsExposed}`);
  const impact = or('impact', impactLines);
  const evidence = or(
    'evidence',
    f.evidence.map((e) => `${e.name} — ${e.bytes} ${zh ? '字节' : 'bytes'}\n  SHA-256 ${e.sha256}\n  MD5 ${e.md5}`),
  );
  const countLine = Object.entries(f.iocs.counts)
    .map(([type, n]) => `${type} ${n}`)
    .join(', ');
  const iocs = or(
    'iocs',
    countLine ? [countLine, ...f.iocs.items.map((i) => `${i.type}  ${i.value}  TLP:${i.tlp.toUpperCase()}`)] : [],
  );
  return { timeline, attackPath, filledImpact: impact, evidence, iocs };
}

/** The report as a printable document in one language. */
export function investigationDoc(r: InvestigationReport, lang: Lang): PrintableDoc {
  const zh = lang === 'zh';
  const h = HEADINGS[lang];
  const written = (s: WrittenSection) => ({
    heading: h[s],
    text: markdownToPlain(r.sections[s]) || (zh ? '（未填写）' : '(not written)'),
  });
  const filled = filledTexts(r, lang);
  const c = zh ? '：' : ': ';
  const preamble = [
    `${zh ? '事件' : 'Incident'}${c}${r.incidentKey} — ${r.incidentTitle}`,
    `${zh ? '状态' : 'State'}${c}${STATE[lang][r.state]} · ${zh ? '修订' : 'revision'} ${r.revision}`,
  ];
  if (r.approved) preamble.push(`${zh ? '批准' : 'Approved'}${c}${r.approved.by?.name ?? '—'} · ${r.approved.at}`);
  return {
    title: zh ? `调查报告 ${r.incidentKey}` : `Investigation report ${r.incidentKey}`,
    lang,
    preamble,
    watermark: r.state === 'approved' ? null : zh ? '草稿' : 'DRAFT',
    sections: [
      written('summary'),
      written('scope'),
      written('method'),
      { heading: h.timeline, text: filled.timeline },
      written('rootCause'),
      { heading: h.attackPath, text: filled.attackPath },
      { heading: h.filledImpact, text: filled.filledImpact },
      written('impact'),
      { heading: h.evidence, text: filled.evidence },
      { heading: h.iocs, text: filled.iocs },
      written('recommendations'),
    ],
  };
}

export async function exportInvestigationReport(r: InvestigationReport, format: 'pdf' | 'docx', lang: Lang) {
  const doc = investigationDoc(r, lang);
  const name = `${r.incidentKey}-investigation-report-r${r.revision}-${lang === 'zh' ? 'zh-CN' : 'en'}.${format}`;
  return format === 'pdf'
    ? { name, type: 'application/pdf', content: await documentPdf(doc) }
    : {
        name,
        type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        content: await documentDocx(doc),
      };
}
