/** Looking inside exported documents without a viewer: the streams of a PDF, one file of a zip (DOCX). */
import { inflateRawSync, inflateSync } from 'node:zlib';

/** The PDF's text with every Flate stream inflated in place (fonts' ToUnicode maps, page contents). */
export function pdfInflated(pdf: Buffer): string {
  const parts: string[] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('stream', at, 'latin1');
    if (start < 0) break;
    let dataStart = start + 'stream'.length;
    if (pdf[dataStart] === 0x0d) dataStart++;
    if (pdf[dataStart] === 0x0a) dataStart++;
    const end = pdf.indexOf('endstream', dataStart, 'latin1');
    if (end < 0) break;
    parts.push(pdf.subarray(at, start).toString('latin1'));
    const data = pdf.subarray(dataStart, end);
    try {
      parts.push(inflateSync(data).toString('latin1'));
    } catch {
      parts.push('[binary stream]');
    }
    at = end + 'endstream'.length;
  }
  parts.push(pdf.subarray(at).toString('latin1'));
  return parts.join('\n');
}

/** The characters a PDF's ToUnicode maps give (what copy and search see): the hex UTF-16 of each, lower case. */
export const hexOf = (text: string) => [...text].map((c) => c.codePointAt(0)!.toString(16).padStart(4, '0')).join('');

/** One file of a zip archive (read through its central directory), or null. */
export function zipEntry(zip: Buffer, name: string): Buffer | null {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) return null;
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entry = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (entry === name) {
      const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(dataAt, dataAt + size);
      return method === 8 ? inflateRawSync(data) : Buffer.from(data);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  return null;
}
