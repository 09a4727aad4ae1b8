/**
 * Safe previews of evidence items (issue 15, "Bad input and security"): evidence is never rendered as it
 * is. A picture (JPEG, PNG, WebP, GIF, TIFF by its sniffed type) is decoded and re-encoded by sharp as a
 * PNG of at most 1600 px, its metadata (EXIF, GPS, ICC, XMP) left behind, with a pixel limit so a
 * decompression bomb is refused before it is decoded; text is at most its first 64 KiB, decoded as UTF-8
 * and answered as text/plain for the console to show in a <pre>; anything else has no preview (415).
 */
import { sharpLib } from '../../platform/heavy-libs.js';
import type { Readable } from 'node:stream';
import { AppError } from '../../platform/errors.js';

/** Pictures previewed, by the media type sniffed from their bytes, and the decoder sharp must agree on. */
const IMAGE_TYPES: Record<string, string> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/tiff': 'tiff',
};
/** Text previewed (the sniffer's plain text, and Tocsin's own JSON snapshots). */
const TEXT_TYPES = new Set(['text/plain', 'application/json']);

export const PREVIEW_MAX_PX = 1600;
export const PREVIEW_TEXT_BYTES = 64 * 1024;
/** At most 50 megapixels are decoded (a 1 kB PNG may claim 100,000 × 100,000). */
export const PREVIEW_MAX_PIXELS = 50_000_000;
/** A picture file larger than this is not read for a preview (download it instead). */
export const PREVIEW_MAX_INPUT = 64 * 1024 * 1024;

export type Preview =
  | { type: 'image/png'; body: Buffer; truncated: false }
  | { type: 'text/plain; charset=utf-8'; body: string; truncated: boolean };

export const noPreview = (mediaType: string) =>
  new AppError(
    415,
    'unsupported-media-type',
    'Unsupported media type',
    `no preview for this type (${mediaType}): download the item to examine it`,
    undefined,
    undefined,
    { code: 'evidence.no_preview', params: { type: mediaType } },
  );

const refused = (reason: string) =>
  new AppError(422, 'preview-refused', 'Preview refused', `no preview: ${reason}`, undefined, undefined, {
    code: 'evidence.preview_refused',
    params: { reason },
  });

/** Whether an item of this type has a preview. */
export const hasPreview = (mediaType: string) => mediaType in IMAGE_TYPES || TEXT_TYPES.has(mediaType);

/** Reads at most `max` bytes of a stream; `over` tells whether there was more. The stream is closed. */
async function readHead(stream: Readable, max: number): Promise<{ head: Buffer; over: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size > max) break;
    }
  } finally {
    stream.destroy();
  }
  const all = Buffer.concat(chunks);
  return { head: all.subarray(0, max), over: size > max };
}

/** The preview of an item's bytes of the given (sniffed) type; 415 for a type without one, 422 when refused. */
export async function renderPreview(mediaType: string, stream: Readable): Promise<Preview> {
  const format = IMAGE_TYPES[mediaType];
  if (format) {
    const { head, over } = await readHead(stream, PREVIEW_MAX_INPUT);
    if (over) throw refused(`the picture is larger than ${PREVIEW_MAX_INPUT / 1024 / 1024} MiB`);
    // Loaded outside the try: a failure to load the library is not the picture's fault (not a 422).
    const sharp = await sharpLib();
    try {
      const image = sharp(head, { limitInputPixels: PREVIEW_MAX_PIXELS, failOn: 'error', animated: false });
      const meta = await image.metadata();
      if (meta.format !== format) throw refused(`the bytes do not decode as ${format}`);
      if ((meta.width ?? 0) * (meta.height ?? 0) > PREVIEW_MAX_PIXELS)
        throw refused(`the picture has more than ${PREVIEW_MAX_PIXELS / 1_000_000} megapixels`);
      const body = await image
        .rotate()
        .resize({ width: PREVIEW_MAX_PX, height: PREVIEW_MAX_PX, fit: 'inside', withoutEnlargement: true })
        .png()
        .toBuffer();
      return { type: 'image/png', body, truncated: false };
    } catch (err) {
      if (err instanceof AppError) throw err;
      const message = (err as Error).message ?? '';
      throw refused(
        /pixel limit/i.test(message)
          ? `the picture has more than ${PREVIEW_MAX_PIXELS / 1_000_000} megapixels`
          : 'the picture cannot be decoded',
      );
    }
  }
  if (TEXT_TYPES.has(mediaType)) {
    const { head, over } = await readHead(stream, PREVIEW_TEXT_BYTES);
    // `stream: true` holds back a character cut at the 64 KiB boundary instead of showing U+FFFD for it.
    const body = new TextDecoder('utf-8').decode(head, { stream: over });
    return { type: 'text/plain; charset=utf-8', body, truncated: over };
  }
  stream.destroy();
  throw noPreview(mediaType);
}
