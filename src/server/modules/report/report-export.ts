/**
 * A report's current version as a file: PDF (pdfkit, with Noto Sans SC embedded as a subset so Chinese
 * renders anywhere), DOCX (the `docx` package), plain text, and for DORA reports JSON in the structure of
 * the ITS reporting template (schemas/dora-incident-report.schema.json).
 */
import { docxLib, pdfKit } from '../../platform/heavy-libs.js';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Report } from '../../../shared/report-schemas.js';
import { conflict } from '../../platform/errors.js';
import type { ReportTemplate } from './report-templates.js';

type Lang = 'zh' | 'en';
export interface ExportFile {
  name: string;
  type: string;
  content: Buffer;
}

const STATE: Record<Lang, Record<Report['state'], string>> = {
  zh: { draft: '草稿', in_review: '审核中', approved: '已批准', submitted: '已报送' },
  en: { draft: 'draft', in_review: 'in review', approved: 'approved', submitted: 'submitted' },
};

/** The lines above the sections: recipient, state, version, filing. */
function preamble(r: Report, lang: Lang): string[] {
  const zh = lang === 'zh';
  const loc = (x: { 'zh-CN': string; en: string }) => (zh ? x['zh-CN'] : x.en);
  const c = zh ? '：' : ': ';
  const lines = [
    `${zh ? '报送对象' : 'To'}${c}${loc(r.regulator)} — ${loc(r.recipient)}`,
    `${zh ? '义务' : 'Obligation'}${c}${loc(r.name)} (${r.obligation}, ${r.stage})`,
    `${zh ? '状态' : 'State'}${c}${STATE[lang][r.state]} · ${zh ? '版本' : 'version'} ${r.version}`,
  ];
  if (r.submission)
    lines.push(
      `${zh ? '报送' : 'Submitted'}${c}${r.submission.submittedAt} · ${r.submission.channel} · ${zh ? '回执编号' : 'reference'} ${r.submission.reference}`,
    );
  if (r.missing.length)
    lines.push(`${zh ? '待补充' : 'Still missing'}${c}${r.missing.map((m) => loc(m.label)).join(zh ? '、' : ', ')}`);
  return lines;
}

const sectionsOf = (r: Report, lang: Lang) =>
  r.sections.map((s) => ({ heading: lang === 'zh' ? s.heading['zh-CN'] : s.heading.en, text: s.text[lang] }));
const titleOf = (r: Report, lang: Lang) => (lang === 'zh' ? r.title['zh-CN'] : r.title.en);

export function reportText(r: Report, lang: Lang): string {
  const out = [titleOf(r, lang), '', ...preamble(r, lang), ''];
  for (const s of sectionsOf(r, lang)) out.push(s.heading, s.text, '');
  return `${out.join('\n').trimEnd()}\n`;
}

let fontFile: string | null = null;
/** Noto Sans SC Regular (SIL OFL 1.1) from @expo-google-fonts/noto-sans-sc. */
export function cjkFontPath(): string {
  if (fontFile) return fontFile;
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
  const file = path.join(dir, '400Regular', 'NotoSansSC_400Regular.ttf');
  if (!fs.existsSync(file)) throw new Error(`the CJK font is missing: ${file}`);
  fontFile = file;
  return file;
}

/**
 * A document to print: title, the lines above the sections, the sections, and an optional watermark
 * drawn across every page of the PDF (and put above the title in the DOCX), e.g. "DRAFT".
 */
export interface PrintableDoc {
  title: string;
  lang: Lang;
  preamble: string[];
  sections: { heading: string; text: string }[];
  watermark?: string | null;
}

/** A PDF of a printable document (A4, the CJK font embedded as a subset). */
export async function documentPdf(d: PrintableDoc): Promise<Buffer> {
  const PDFDocument = await pdfKit();
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 56,
      info: { Title: d.title, Creator: 'Tocsin' },
      lang: d.lang === 'zh' ? 'zh-CN' : 'en',
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('cjk', cjkFontPath());
    doc.font('cjk');
    const watermark = () => {
      if (!d.watermark) return;
      const { x, y } = doc;
      // pdfkit keeps the font size outside the graphics state: put back the one of the text being laid out.
      const size = (doc as unknown as { _fontSize: number })._fontSize;
      const w = doc.page.width;
      const h = doc.page.height;
      doc.save();
      doc.rotate(-40, { origin: [w / 2, h / 2] });
      doc.fontSize(110).fillColor('#c8c8c8').fillOpacity(0.35);
      doc.text(d.watermark, 0, h / 2 - 60, { width: w, align: 'center', lineBreak: false });
      doc.restore();
      doc.fillColor('#000000').fillOpacity(1).fontSize(size);
      doc.x = x;
      doc.y = y;
    };
    watermark();
    doc.on('pageAdded', watermark);
    if (d.watermark) doc.fontSize(12).fillColor('#b00020').text(d.watermark, { align: 'center' }).fillColor('#000000');
    doc.fontSize(16).text(d.title, { align: 'center' });
    doc.moveDown(0.8);
    doc.fontSize(9).fillColor('#444444');
    for (const line of d.preamble) doc.text(line);
    doc.fillColor('#000000').moveDown(0.8);
    for (const s of d.sections) {
      doc.fontSize(12).text(s.heading);
      doc.moveDown(0.2);
      doc.fontSize(10.5).text(s.text, { lineGap: 2 });
      doc.moveDown(0.7);
    }
    doc.end();
  });
}

/** A DOCX of a printable document (the watermark as a line above the title). */
export async function documentDocx(d: PrintableDoc): Promise<Buffer> {
  const { Document, HeadingLevel, Packer, Paragraph, TextRun } = await docxLib();
  const para = (text: string) => text.split('\n').map((line) => new Paragraph({ children: [new TextRun(line)] }));
  const children: InstanceType<typeof Paragraph>[] = [];
  if (d.watermark)
    children.push(new Paragraph({ children: [new TextRun({ text: d.watermark, bold: true, color: 'B00020' })] }));
  children.push(
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(d.title)] }),
    ...d.preamble.flatMap(para),
  );
  for (const s of d.sections)
    children.push(
      new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(s.heading)] }),
      ...para(s.text),
    );
  const doc = new Document({
    creator: 'Tocsin',
    title: d.title,
    styles: { default: { document: { run: { font: { ascii: 'Calibri', eastAsia: 'Microsoft YaHei' } } } } },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}

const printable = (r: Report, lang: Lang): PrintableDoc => ({
  title: titleOf(r, lang),
  lang,
  preamble: preamble(r, lang),
  sections: sectionsOf(r, lang),
});

export const reportPdf = (r: Report, lang: Lang): Promise<Buffer> => documentPdf(printable(r, lang));
export const reportDocx = (r: Report, lang: Lang): Promise<Buffer> => documentDocx(printable(r, lang));

const DORA_TYPE: Record<string, string> = {
  initial: 'initial_notification',
  intermediate: 'intermediate_report',
  final: 'final_report',
};
const MARK = /【待补充：[^】]+】|\[TO BE COMPLETED: [^\]]+\]/g;

/** DORA: the data fields of the ITS template by code; a field whose text is only "to be completed" is null. */
export function reportDoraJson(r: Report, t: ReportTemplate, lang: Lang) {
  const fields = t.sections
    .filter((s) => s.code)
    .map((s) => {
      const text = r.sections.find((x) => x.id === s.id)?.text[lang] ?? '';
      const rest = text.replace(MARK, '').trim();
      return {
        code: s.code!,
        name: s.heading.en.replace(/^\d+\.\d+\s+/, ''),
        value: rest ? text : null,
        complete: (text.match(MARK) ?? []).length === 0,
      };
    });
  return {
    framework: 'DORA',
    template: 'ITS major ICT-related incident report',
    report_type: DORA_TYPE[r.stage] ?? r.stage,
    incident_reference: r.incidentKey,
    language: lang,
    state: r.state,
    version: r.version,
    submission: r.submission ? { reference: r.submission.reference, submitted_at: r.submission.submittedAt } : null,
    fields,
    missing: r.missing.map((m) => ({
      fact: m.fact,
      code: t.sections.find((s) => s.id === m.section)?.code ?? null,
      label: m.label.en,
    })),
  };
}

export async function exportReport(
  r: Report,
  t: ReportTemplate,
  format: 'pdf' | 'docx' | 'txt' | 'json',
  lang: Lang,
): Promise<ExportFile> {
  const base = `${r.incidentKey}-${r.obligation}-${r.stage}-v${r.version}-${lang}`;
  switch (format) {
    case 'pdf':
      return { name: `${base}.pdf`, type: 'application/pdf', content: await reportPdf(r, lang) };
    case 'docx':
      return {
        name: `${base}.docx`,
        type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        content: await reportDocx(r, lang),
      };
    case 'txt':
      return { name: `${base}.txt`, type: 'text/plain; charset=utf-8', content: Buffer.from(reportText(r, lang)) };
    case 'json':
      if (!r.exports.includes('json'))
        throw conflict('only DORA reports have a JSON export (the ITS structure)', { code: 'report.no_json_export' });
      return {
        name: `${base}.json`,
        type: 'application/json',
        content: Buffer.from(`${JSON.stringify(reportDoraJson(r, t, lang), null, 2)}\n`),
      };
  }
}
