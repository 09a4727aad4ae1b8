/**
 * The context of one attempt of a run: the connector's context plus recording. Every request is
 * recorded as it is (or, in a dry run, would be) sent, with secrets redacted — secret headers by name,
 * and any secret value wherever it appears — and every answer with its status and body (64 KiB at most).
 */
import { execFile } from 'node:child_process';
import { GuardRefusal } from '../../platform/outbound-guard.js';
import { ActionFailure, type ActionContext, type CommandResult } from './action-kind.js';
import type { ConnectorContext } from './connector-kind.js';
import { TransportError } from './outbound-http.js';

const MAX_RECORDED = 64 * 1024;
const REDACTED = '[redacted]';
const SECRET_HEADER =
  /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token)$|signature|secret|token/i;

export interface Recording {
  requests: unknown[];
  answers: unknown[];
}

const truncate = (text: string) => (text.length > MAX_RECORDED ? `${text.slice(0, MAX_RECORDED)}…[truncated]` : text);

/** A body as recorded: the parsed JSON when it is JSON (and not cut), else the text. */
const recordedBody = (text: string | undefined): unknown => {
  if (text === undefined || text === '') return null;
  const cut = truncate(text);
  if (cut !== text) return cut;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Every string of the secrets (nested), longest first, for redaction. */
export function secretValues(secrets: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string' && v.length >= 4) out.push(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(secrets);
  return [...new Set(out)].sort((a, b) => b.length - a.length);
}

/** `value` with every secret replaced (deep, on the JSON text). */
export function redact<T>(value: T, secrets: string[]): T {
  if (value === undefined || secrets.length === 0) return value;
  let text = JSON.stringify(value);
  for (const s of secrets) {
    const inJson = JSON.stringify(s).slice(1, -1);
    text = text.split(inJson).join(REDACTED);
  }
  return JSON.parse(text) as T;
}

const redactHeaders = (h: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k, SECRET_HEADER.test(k) ? REDACTED : v]));

const classify = (err: unknown): ActionFailure => {
  if (err instanceof ActionFailure) return err;
  if (err instanceof GuardRefusal) return new ActionFailure(`refused by the outbound guard: ${err.message}`, false);
  if (err instanceof TransportError) return new ActionFailure(`no answer: ${err.message}`, true);
  return new ActionFailure((err as Error).message ?? String(err), true);
};

export function actionContext<C, S>(
  base: ConnectorContext<C, S>,
  run: { key: string; dryRun: boolean },
  recording: Recording,
): ActionContext<C, S> {
  const secrets = secretValues(base.secrets);
  return {
    ...base,
    key: run.key,
    dryRun: run.dryRun,
    async send(req, opts = {}) {
      const key = opts.key ?? run.key;
      const headers = { ...(req.headers ?? {}), 'Idempotency-Key': key };
      recording.requests.push(
        redact(
          { method: req.method, url: req.url, headers: redactHeaders(headers), body: recordedBody(req.body) },
          secrets,
        ),
      );
      if (run.dryRun) return null;
      let res: Awaited<ReturnType<typeof base.http>>;
      try {
        res = await base.http({ ...req, headers });
      } catch (err) {
        recording.answers.push({ error: classify(err).message });
        throw classify(err);
      }
      recording.answers.push(redact({ status: res.status, body: recordedBody(res.body) }, secrets));
      const expect = opts.expect ?? null;
      const ok = expect ? expect.includes(res.status) : res.status >= 200 && res.status < 300;
      if (ok) return res;
      const retry = res.status >= 500 || res.status === 408 || res.status === 429 || res.status < 200;
      throw new ActionFailure(
        `${req.method} ${new URL(req.url).pathname} answered HTTP ${res.status}${retry ? '' : ' (not retried: the request was refused)'}`,
        retry,
      );
    },
    async exec(file, args, opts) {
      recording.requests.push(redact({ command: file, args }, secrets));
      if (run.dryRun) return null;
      const result = await new Promise<CommandResult>((resolve, reject) => {
        execFile(
          file,
          args,
          {
            shell: false,
            timeout: opts.timeoutMs,
            maxBuffer: MAX_RECORDED,
            env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', ...opts.env },
            windowsHide: true,
          },
          (err, stdout, stderr) => {
            if (err && (err as NodeJS.ErrnoException).code === 'ENOENT')
              return reject(new ActionFailure(`${file} does not exist`, false));
            if (err && (err as { killed?: boolean }).killed)
              return reject(new ActionFailure(`${file} did not finish within ${opts.timeoutMs} ms`, true));
            const exitCode = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
            resolve({ exitCode, stdout: truncate(String(stdout)), stderr: truncate(String(stderr)) });
          },
        );
      });
      recording.answers.push(redact(result, secrets));
      if (result.exitCode !== 0)
        throw new ActionFailure(`${file} exited with ${result.exitCode}: ${result.stderr.slice(0, 300)}`, true);
      return result;
    },
  };
}
