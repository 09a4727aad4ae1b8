import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { readJsonBody, RecordCounter, type JsonBodyLimits } from './json-body.js';

const count = (body: string | Buffer, shape: 'records' | 'document' = 'records', piece = 0) => {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const c = new RecordCounter(shape);
  if (piece === 0) c.push(buf);
  else for (let i = 0; i < buf.length; i += piece) c.push(buf.subarray(i, i + piece));
  return c.count;
};

const tooMany = (limit: number) =>
  new AppError(413, 'too-many-events', 'Payload too large', `more than ${limit} records`);
const limits = (over: Partial<JsonBodyLimits> = {}): JsonBodyLimits => ({
  maxBytes: 1 << 20,
  maxRecords: 1000,
  shape: 'records',
  tooManyRecords: tooMany,
  ...over,
});

describe('counting records in the bytes', () => {
  it('does not count blank lines', () => {
    expect(count('\n'.repeat(10_000))).toBe(0);
    expect(count(' \r\n\t\n{}\n\n{}\n')).toBe(2);
  });

  it("counts a document's samples: a top-level array, or the arrays a top-level object holds", () => {
    expect(count('[{"name":"a","value":1},{"name":"b","labels":{"x":"[1,2]"},"value":2}]', 'document')).toBe(2);
    expect(count('{"samples":[{"name":"a","value":1},{"name":"b","value":2},{}]}', 'document')).toBe(3);
    // Only arrays directly inside the object: a sample's own arrays are not samples.
    expect(count('{"meta":{"list":[1,2,3]},"samples":[{"v":[1,2,3]}]}', 'document', 3)).toBe(1);
    expect(count('{"a":1}', 'document')).toBe(0);
  });
});

describe('reading a body within limits', () => {
  it('returns the bytes and the count; gzip is inflated', async () => {
    const body = Buffer.from('{"a":1}\n\n{"a":2}\n');
    expect(await readJsonBody(body, undefined, limits())).toEqual({ data: body, records: 2 });
    expect(await readJsonBody(gzipSync(body), 'gzip', limits())).toEqual({ data: body, records: 2 });
  });

  it('refuses one record over the limit, and takes exactly the limit', async () => {
    const at = (n: number) => Buffer.from('{}\n'.repeat(n));
    expect((await readJsonBody(at(1000), undefined, limits())).records).toBe(1000);
    await expect(readJsonBody(at(1001), undefined, limits())).rejects.toMatchObject({
      status: 413,
      message: 'more than 1000 records',
    });
    await expect(readJsonBody(gzipSync(at(1001)), 'gzip', limits())).rejects.toMatchObject({
      status: 413,
      message: 'more than 1000 records',
    });
  });

  it('stops inflating as soon as the count passes the limit, long before the byte limit', async () => {
    // 30 MB of "{}" lines in 30 KB of gzip, against a 16 MB byte limit: the record limit is met first.
    const bomb = gzipSync(Buffer.from('{}\n'.repeat(10_000_000)), { level: 9 });
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expect(readJsonBody(bomb, 'gzip', limits({ maxBytes: 16 << 20, maxRecords: 100_000 }))).rejects.toMatchObject(
      { status: 413, type: 'too-many-events', code: 'too_many_events' },
    );
  });

  it('refuses too many bytes once inflated, broken gzip and other encodings', async () => {
    const blanks = gzipSync(Buffer.alloc(2 << 20, 0x0a));
    await expect(readJsonBody(blanks, 'gzip', limits())).rejects.toMatchObject({
      status: 413,
      type: 'too-large',
      code: 'too_large',
    });
    await expect(readJsonBody(Buffer.alloc((1 << 20) + 1, 0x20), undefined, limits())).rejects.toMatchObject({
      status: 413,
      type: 'too-large',
      code: 'too_large',
    });
    await expect(readJsonBody(Buffer.from('not gzip'), 'gzip', limits())).rejects.toMatchObject({
      status: 400,
      message: 'the body is not valid gzip data',
    });
    await expect(readJsonBody(Buffer.from('{}'), 'br', limits())).rejects.toMatchObject({ status: 415 });
  });
});
