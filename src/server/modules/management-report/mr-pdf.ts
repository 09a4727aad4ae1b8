/**
 * The management report as a PDF: A4, Noto Sans SC embedded (the report module's `cjkFontPath`),
 * the content's sections with ruled tables, the charts as PNG (mr-charts.ts), the placeholder the firm
 * must write boxed and marked, and "page n / N" with the title in every footer.
 */
import { pdfKit } from '../../platform/heavy-libs.js';
import { cjkFontPath } from '../report/index.js';
import type { Block, ReportContent } from './mr-content.js';

const MARGIN = 56;
const ACCENT = '#1c5d99';

type Doc = PDFKit.PDFDocument;

function ensureRoom(doc: Doc, h: number): void {
  if (doc.y + h > doc.page.height - MARGIN - 20) doc.addPage();
}

function table(doc: Doc, b: Extract<Block, { type: 'table' }>): void {
  const width = doc.page.width - 2 * MARGIN;
  const n = b.columns.length;
  const first = n > 4 ? width * 0.28 : width * 0.4;
  const rest = (width - first) / Math.max(1, n - 1);
  const widths = b.columns.map((_, i) => (i === 0 ? first : rest));
  const pad = 4;
  const drawRow = (cells: string[], header: boolean) => {
    doc.fontSize(header ? 8.5 : 9);
    const h = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 2 * pad }))) + 2 * pad;
    ensureRoom(doc, h);
    const y = doc.y;
    if (header) doc.rect(MARGIN, y, width, h).fill('#e8eef6');
    let x = MARGIN;
    doc.fillColor(header ? '#1a2b3c' : '#000000');
    cells.forEach((c, i) => {
      doc.text(c, x + pad, y + pad, { width: widths[i]! - 2 * pad, align: i === 0 ? 'left' : 'right' });
      x += widths[i]!;
    });
    doc
      .moveTo(MARGIN, y + h)
      .lineTo(MARGIN + width, y + h)
      .lineWidth(0.5)
      .strokeColor('#b8c4d2')
      .stroke();
    doc.x = MARGIN;
    doc.y = y + h;
  };
  drawRow(b.columns, true);
  for (const r of b.rows) drawRow(r, false);
  doc.fillColor('#000000');
  doc.moveDown(0.8);
}

/** The PDF of `content`; `charts` holds the PNG of each chart block by id. */
export async function reportPdf(content: ReportContent, charts: Map<string, Buffer>): Promise<Buffer> {
  const PDFDocument = await pdfKit();
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      bufferPages: true,
      info: { Title: content.title, Creator: 'Tocsin', Subject: content.period.key },
      lang: content.lang === 'zh' ? 'zh-CN' : 'en',
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('cjk', cjkFontPath());
    doc.font('cjk');
    const width = doc.page.width - 2 * MARGIN;

    doc.rect(0, 0, doc.page.width, 8).fill(ACCENT);
    doc.fillColor('#000000');
    doc.y = MARGIN + 10;
    doc.fontSize(18).text(content.title, MARGIN, doc.y, { align: 'center', width });
    doc.moveDown(0.6);
    doc.fontSize(9).fillColor('#555555');
    for (const line of content.preamble) doc.text(line, { align: 'center', width });
    doc.fillColor('#000000').moveDown(1.2);

    for (const s of content.sections) {
      ensureRoom(doc, 80);
      doc.fontSize(13).fillColor(ACCENT).text(s.heading, MARGIN, doc.y, { width });
      const y = doc.y + 2;
      doc
        .moveTo(MARGIN, y)
        .lineTo(MARGIN + width, y)
        .lineWidth(1)
        .strokeColor(ACCENT)
        .stroke();
      doc.fillColor('#000000');
      doc.y = y + 8;
      for (const b of s.blocks) {
        if (b.type === 'paragraph') {
          doc.fontSize(10.5).text(b.text, MARGIN, doc.y, { width, lineGap: 2 });
          doc.moveDown(0.6);
        } else if (b.type === 'table') {
          table(doc, b);
        } else if (b.type === 'chart') {
          const png = charts.get(b.id);
          if (!png) continue;
          const h = (width * 380) / 900;
          ensureRoom(doc, h + 10);
          doc.image(png, MARGIN, doc.y, { width, height: h });
          doc.y += h + 10;
        } else {
          doc.fontSize(10.5);
          const h = doc.heightOfString(b.text, { width: width - 20, lineGap: 2 }) + 20;
          ensureRoom(doc, h);
          const top = doc.y;
          doc.rect(MARGIN, top, width, h).dash(4, { space: 3 }).lineWidth(1).strokeColor('#b00020').stroke().undash();
          doc.fillColor('#b00020').text(b.text, MARGIN + 10, top + 10, { width: width - 20, lineGap: 2 });
          doc.fillColor('#000000');
          doc.x = MARGIN;
          doc.y = top + h + 10;
        }
      }
      doc.moveDown(0.6);
    }

    const range = doc.bufferedPageRange();
    for (let i = 0; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc
        .fontSize(8)
        .fillColor('#777777')
        .text(`${content.title} · ${i + 1} / ${range.count}`, MARGIN, doc.page.height - MARGIN + 18, {
          width,
          align: 'center',
          lineBreak: false,
        });
      doc.page.margins.bottom = bottom;
    }
    doc.end();
  });
}
