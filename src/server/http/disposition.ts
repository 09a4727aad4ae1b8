/** `Content-Disposition: attachment` with an ASCII fallback and the UTF-8 form (RFC 6266 / 8187) of the name. */
export const disposition = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
