/**
 * A post-incident review as PDF or DOCX, in zh-CN or English, through the regulator reports' printing
 * (`documentPdf`, `documentDocx`), as the investigation report is: "DRAFT" / "草稿" across the pages until
 * it is closed. The facts read "no data" where a source has none.
 */
import type { Review } from '../../../shared/review-schemas.js';
import { markdownToPlain } from '../../platform/markdown.js';
import { documentDocx, documentPdf, type PrintableDoc } from '../report/index.js';

type Lang = 'zh' | 'en';

const T = {
  en: {
    title: 'Post-incident review',
    facts: '1. Milestones and durations (from the data)',
    whatHappened: '2. What happened',
    wentWell: '3. What went well',
    wentBadly: '4. What went badly',
    lucky: '5. Where we got lucky',
    factors: '6. Contributing factors (five whys)',
    regulators: '7. Regulator reports against their deadlines',
    work: '8. Plan tasks and containment actions',
    customers: '9. Customers and compensation',
    items: '10. Action items',
    noData: 'no data',
    notWritten: '(not written)',
    state: { draft: 'draft', in_review: 'in review', closed: 'closed' },
    span: {
      toDetect: 'To detect',
      toAcknowledge: 'To acknowledge',
      toContain: 'To contain',
      toRecover: 'To recover',
      toFirstPublicStatement: 'To the first public statement',
      toFirstCustomerNotice: 'To the first customer notice',
    },
    category: { people: 'People', process: 'Process', technology: 'Technology', third_party: 'Third party' },
  },
  zh: {
    title: '事后复盘',
    facts: '一、里程碑与用时（系统数据）',
    whatHappened: '二、发生了什么',
    wentWell: '三、做得好的地方',
    wentBadly: '四、做得不好的地方',
    lucky: '五、侥幸之处',
    factors: '六、促成因素（五问法）',
    regulators: '七、监管报送与时限',
    work: '八、预案任务与遏制操作',
    customers: '九、客户与赔偿',
    items: '十、整改事项',
    noData: '无数据',
    notWritten: '（未填写）',
    state: { draft: '草稿', in_review: '审核中', closed: '已关闭' },
    span: {
      toDetect: '发现用时',
      toAcknowledge: '确认用时',
      toContain: '遏制用时',
      toRecover: '恢复用时',
      toFirstPublicStatement: '首次公开声明用时',
      toFirstCustomerNotice: '首次客户通知用时',
    },
    category: { people: '人员', process: '流程', technology: '技术', third_party: '第三方' },
  },
} as const;

/** A duration as `1d 02:03:04`. */
const hms = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const parts = [Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) =>
    String(n).padStart(2, '0'),
  );
  return `${d ? `${d}d ` : ''}${parts.join(':')}`;
};

export function reviewDoc(r: Review, lang: Lang): PrintableDoc {
  const t = T[lang];
  const zh = lang === 'zh';
  const none = t.noData;
  const f = r.facts;
  const dur = (ms: number | null) => (ms === null ? none : hms(ms));
  const facts = (Object.keys(t.span) as (keyof typeof t.span)[])
    .map((k) => `${t.span[k]}: ${dur(f.durations[k].ms)}${f.durations[k].to ? ` (${f.durations[k].to})` : ''}`)
    .join('\n');
  const written = (s: 'whatHappened' | 'wentWell' | 'wentBadly' | 'lucky') => ({
    heading: t[s],
    text: markdownToPlain(r.sections[s]) || t.notWritten,
  });
  const factors = r.factors.length
    ? r.factors
        .map(
          (x) =>
            `[${t.category[x.category]}] ${x.title}\n${x.whys.map((w, i) => `  ${zh ? '为什么' : 'Why'} ${i + 1}: ${w}`).join('\n')}`,
        )
        .join('\n\n')
    : t.notWritten;
  const regulators = f.regulators
    ? f.regulators
        .map(
          (c) =>
            `${zh ? c.title['zh-CN'] : c.title.en} · ${zh ? c.stageTitle['zh-CN'] : c.stageTitle.en}: ${zh ? '截止' : 'due'} ${c.due ?? none}, ${zh ? '报送' : 'submitted'} ${c.submittedAt ?? none} (${c.status})`,
        )
        .join('\n')
    : none;
  const work = [
    ...(f.tasks ?? []).map((x) => `${x.title} · ${x.status} · ${dur(x.ms)}`),
    ...(f.actions ?? []).map((a) => `${a.connector}/${a.action} · ${a.state} · ${dur(a.ms)}`),
  ];
  const customers = [
    f.customers
      ? `${zh ? '受影响客户' : 'Customers affected'}: ${f.customers.affected ?? none}; ${zh ? '咨询' : 'inquiries'}: ${f.customers.inquiries}; ${zh ? '超时' : 'SLA breaches'}: ${f.customers.slaBreaches}; CSAT: ${f.customers.csatAverage ?? none}`
      : `${zh ? '客户' : 'Customers'}: ${none}`,
    ...(f.compensation
      ? f.compensation.map(
          (c) =>
            `${zh ? '赔偿' : 'Compensation'} ${c.currency}: ${c.claims} ${zh ? '件' : 'claims'}, ${zh ? '已批准' : 'approved'} ${(c.approvedMinor / 100).toFixed(2)}, ${zh ? '已支付' : 'paid'} ${(c.paidMinor / 100).toFixed(2)}`,
        )
      : [`${zh ? '赔偿' : 'Compensation'}: ${none}`]),
  ];
  const items = r.actionItems.length
    ? r.actionItems
        .map(
          (i) =>
            `${i.title} — ${i.owner.name}, ${i.dueAt}, ${i.priority.toUpperCase()}, ${i.status}${i.reason ? ` (${i.reason})` : ''}`,
        )
        .join('\n')
    : t.notWritten;
  const c = zh ? '：' : ': ';
  return {
    title: `${t.title} ${r.incidentKey}`,
    lang,
    preamble: [
      `${zh ? '事件' : 'Incident'}${c}${r.incidentKey} — ${r.incidentTitle} (${zh ? '等级' : 'grade'} ${r.grade})`,
      `${zh ? '状态' : 'State'}${c}${t.state[r.state]} · ${zh ? '截止' : 'due'} ${r.dueAt}`,
    ],
    watermark: r.state === 'closed' ? null : zh ? '草稿' : 'DRAFT',
    sections: [
      { heading: t.facts, text: facts },
      written('whatHappened'),
      written('wentWell'),
      written('wentBadly'),
      written('lucky'),
      { heading: t.factors, text: factors },
      { heading: t.regulators, text: regulators },
      { heading: t.work, text: work.length ? work.join('\n') : none },
      { heading: t.customers, text: customers.join('\n') },
      { heading: t.items, text: items },
    ],
  };
}

export async function exportReview(r: Review, format: 'pdf' | 'docx', lang: Lang) {
  const doc = reviewDoc(r, lang);
  const name = `${r.incidentKey}-review-r${r.revision}-${lang === 'zh' ? 'zh-CN' : 'en'}.${format}`;
  return format === 'pdf'
    ? { name, type: 'application/pdf', content: await documentPdf(doc) }
    : {
        name,
        type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        content: await documentDocx(doc),
      };
}
