/**
 * RFC 6587 framing of syslog over TCP, decided frame by frame as rsyslog does: a frame starting with
 * a digit 1-9 is octet-counted (`LEN SP MSG`), anything else ends at a line feed. Frames larger than
 * the limit are skipped (the rest of an oversize line, or LEN bytes) and reported, never buffered.
 */

export interface FrameDecoder {
  push(chunk: Buffer): void;
  /** The connection ended: a last line without its line feed is still a frame. */
  end(): void;
}

const LF = 0x0a;
const SP = 0x20;
const MAX_LEN_DIGITS = 9;
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

export function createFrameDecoder(opts: {
  maxFrameBytes: number;
  onFrame: (frame: Buffer) => void;
  onOversize: () => void;
}): FrameDecoder {
  const { maxFrameBytes: max, onFrame, onOversize } = opts;
  let buf: Buffer = Buffer.alloc(0);
  /** Bytes of an oversize octet-counted frame still to skip. */
  let skip = 0;
  /** Inside an oversize line: skip to its line feed. */
  let skipLine = false;

  function drain(): void {
    let pos = 0;
    for (;;) {
      if (skip > 0) {
        const n = Math.min(skip, buf.length - pos);
        skip -= n;
        pos += n;
        if (skip > 0) break;
        continue;
      }
      if (skipLine) {
        const lf = buf.indexOf(LF, pos);
        if (lf === -1) {
          pos = buf.length;
          break;
        }
        skipLine = false;
        pos = lf + 1;
        continue;
      }
      if (pos >= buf.length) break;
      const first = buf[pos]!;
      if (first >= 0x31 && first <= 0x39) {
        let i = pos;
        while (i < buf.length && i - pos <= MAX_LEN_DIGITS && isDigit(buf[i])) i++;
        if (i >= buf.length && i - pos <= MAX_LEN_DIGITS) break; // the length is still arriving
        if (buf[i] === SP && i - pos <= MAX_LEN_DIGITS) {
          const len = Number(buf.toString('latin1', pos, i));
          const start = i + 1;
          if (len > max) {
            onOversize();
            skip = len;
            pos = start;
            continue;
          }
          if (buf.length - start < len) break; // the frame is still arriving
          onFrame(buf.subarray(start, start + len));
          pos = start + len;
          continue;
        }
        // Digits not followed by a space: not a length after all, so a line.
      }
      const lf = buf.indexOf(LF, pos);
      if (lf === -1) {
        if (buf.length - pos > max) {
          onOversize();
          skipLine = true;
          pos = buf.length;
        }
        break;
      }
      if (lf - pos > max) onOversize();
      else if (lf > pos) onFrame(buf.subarray(pos, lf));
      pos = lf + 1;
    }
    // Copy the unread rest: a subarray would keep the whole chunk alive.
    buf = pos >= buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(pos));
  }

  return {
    push(chunk) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      drain();
    },
    end() {
      if (!buf.length || skip > 0 || skipLine) return;
      // An octet-counted frame cut short is dropped; an unterminated line is a message.
      if (/^[1-9]\d{0,8} /.test(buf.toString('latin1', 0, Math.min(buf.length, 11)))) return;
      if (buf.length <= max) onFrame(buf);
      buf = Buffer.alloc(0);
    },
  };
}
