/** Assertions on RFC 9457 problem responses. */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

export interface ProblemJson {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code?: string;
  errors?: { path: string; message: string }[];
}

/** Checks `res` is a problem+json of `status` with type/title/status/detail and nothing internal in it. */
export function expectProblem(res: LightMyRequestResponse, status: number): ProblemJson {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as ProblemJson;
  expect(body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
  });
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  expectNothingInternal(res.body);
  return body;
}

/** No stack frame, source path or driver error leaks in a response body. */
export function expectNothingInternal(body: string): void {
  expect(body).not.toMatch(/\bat [^\s]+ \(|\.(ts|js|mjs):\d+/); // stack frames
  expect(body).not.toMatch(/"stack"|node_modules|\/work\/|src\/server/);
  expect(body).not.toMatch(/SQLITE_|sqlite3|relation "|syntax error at|violates|duplicate key/i);
}

/** The paths named in a problem's `errors`. */
export const errorPaths = (res: LightMyRequestResponse): string[] =>
  ((res.json() as ProblemJson).errors ?? []).map((e) => e.path);
