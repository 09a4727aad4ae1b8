/**
 * Lower-casing one code unit at a time, so the prefilter can read field values as they are instead
 * of lower-casing whole strings. `LOWER[c]` is the code unit c lower-cases to; that equals
 * String.prototype.toLowerCase() character by character except for the code units `UNSAFE` marks:
 * surrogates (astral characters lower-case as pairs), U+0130 (İ becomes two code units) and U+03A3
 * (Σ depends on its neighbours). A value holding one of those is lower-cased whole instead.
 */
export const LOWER = new Uint16Array(65536);
export const UNSAFE = new Uint8Array(65536);
/** Code units that lower-case to another code unit (ASCII A-Z first). */
export const FOLDED: number[] = [];

for (let c = 0; c < 65536; c++) {
  LOWER[c] = c;
  if (c >= 0xd800 && c <= 0xdfff) {
    UNSAFE[c] = 1;
    continue;
  }
  if (c < 128) {
    if (c >= 65 && c <= 90) {
      LOWER[c] = c + 32;
      FOLDED.push(c);
    }
    continue;
  }
  const l = String.fromCharCode(c).toLowerCase();
  if (l.length !== 1 || c === 0x3a3) UNSAFE[c] = 1;
  else if (l.charCodeAt(0) !== c) {
    LOWER[c] = l.charCodeAt(0);
    FOLDED.push(c);
  }
}
