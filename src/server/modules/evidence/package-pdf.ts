/**
 * manifest.pdf: the package's manifest as a printable document (pdfkit, Noto Sans SC embedded as a
 * subset, as the regulator reports are), headings in Chinese and English: the package, then each item
 * with its hashes, provenance and chain of custody. Streamed: a few items at a time, yielding to the
 * event loop between them (a package may hold 10,000 items; the server keeps answering meanwhile).
 */
import { pdfKit } from '../../platform/heavy-libs.js';
import type { Readable } from 'node:stream';
import { setImmediate as turn } from 'node:timers/promises';
import { cjkFontPath } from '../report/index.js';
import type { ManifestBody } from './package-manifest.js';

const KIND: Record<string, string> = {
  file: '文件 file',
  alert_events: '告警及原始事件 alert with its events',
  timeline: '时间线 timeline',
  connector_response: '连接器响应 connector response',
};

export async function manifestPdf(m: ManifestBody): Promise<Readable> {
  const PDFDocument = await pdfKit();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    info: { Title: `证据移交清单 Evidence package ${m.package.id}`, Creator: 'Tocsin' },
    lang: 'zh-CN',
  });
  doc.registerFont('cjk', cjkFontPath());
  doc.font('cjk');
  const field = (zh: string, en: string, value: string) =>
    doc.fontSize(9).text(`${zh}${en ? ` ${en}` : ''}: ${value}`, { lineGap: 1 });

  doc.fontSize(16).text('证据移交清单 · Evidence package manifest', { align: 'center' });
  doc.moveDown(0.6);
  field('包编号', 'Package', m.package.id);
  field('事件', 'Incident', `${m.incident.key} ${m.incident.title}`);
  field('接收方', 'Recipient', m.package.recipient);
  if (m.package.purpose) field('用途', 'Purpose', m.package.purpose);
  if (m.request)
    field(
      '调取请求',
      'Request',
      `${m.request.requesterName} (${m.request.requesterKind})${m.request.reference ? ` ${m.request.reference}` : ''} · ${m.request.id}`,
    );
  field('制作人', 'Created by', `${m.package.createdBy.name} (${m.package.createdBy.id})`);
  field('制作时间', 'Created at', m.package.createdAt);
  field('签名密钥指纹', 'Signing key fingerprint (SHA-256)', `${m.signingKey.algorithm} ${m.signingKey.fingerprint}`);
  field('证据数量', 'Items', String(m.items.length));
  doc.moveDown(0.3);
  doc
    .fontSize(8)
    .fillColor('#444444')
    .text(
      '核验 Verify: manifest.sig 为对 manifest.json 的 Ed25519 签名；SHA256SUMS 列出各证据文件及本 PDF 的 SHA-256。' +
        ' manifest.sig is an Ed25519 signature over manifest.json; SHA256SUMS lists the SHA-256 of every item and of this PDF.',
    )
    .fillColor('#000000');

  // Each item: a heading, its fields in one block, its custody in another.
  const line = (zh: string, en: string, value: string) => `${zh}${en ? ` ${en}` : ''}: ${value}`;
  const items = async () => {
    for (const [i, it] of m.items.entries()) {
      if (i % 25 === 24) await turn();
      doc.moveDown(0.7);
      doc.fontSize(11).text(`证据 Item ${i + 1}: ${it.fileName}`);
      const lines = [
        line('路径', 'Path', it.path),
        line('类型', 'Kind', `${KIND[it.kind] ?? it.kind} · ${it.mediaType} · ${it.bytes} bytes`),
        line('SHA-256', '', it.sha256),
        line('MD5', '', it.md5),
      ];
      if (it.description) lines.push(line('描述', 'Description', it.description));
      if (it.sourceSystem) lines.push(line('来源系统', 'Source system', it.sourceSystem));
      if (it.acquisitionMethod) lines.push(line('获取方式', 'Acquisition method', it.acquisitionMethod));
      if (it.acquirerSha256)
        lines.push(
          line(
            '获取方 SHA-256',
            "Acquirer's SHA-256",
            `${it.acquirerSha256}${it.hashMismatch ? ' (不一致 MISMATCH)' : ''}`,
          ),
        );
      lines.push(
        line('上传', 'Uploaded', `${it.uploadedAt} ${it.uploadedBy ? (it.uploadedBy.name ?? it.uploadedBy.id) : '—'}`),
      );
      doc.fontSize(9).text(lines.join('\n'), { lineGap: 1 });
      doc
        .fontSize(7.5)
        .text(
          [
            '保管链 Chain of custody:',
            ...it.custody.map((c) => `  #${c.seq} ${c.at} ${c.action} ${c.actor.label}`),
          ].join('\n'),
        );
    }
  };
  items().then(
    () => doc.end(),
    (err: Error) => doc.emit('error', err),
  );
  return doc as unknown as Readable;
}
