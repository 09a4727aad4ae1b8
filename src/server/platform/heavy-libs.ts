/**
 * Libraries loaded on first use, so that a command or process that never needs them does not pay for
 * loading them. The document and image libraries took 1.4 of the 2.7 s every `tocsin` command spent
 * starting (exceljs 375 ms, echarts 563, pdfkit 206, sharp 157, docx 69). The mail, directory, upload,
 * archive and parser libraries below (with the NATS side, compose-cluster.ts) took another ~0.6 s of CPU
 * in every store command (`tocsin audit verify`: 1.70-1.89 s -> 1.16-1.23 s without them), though only the
 * server, and there only the request or job that mails, signs in through a directory, takes an upload or
 * renders Markdown, uses them. Each is
 * imported once; later calls get the same module.
 */
import { createRequire } from 'node:module';
import type * as EChartsCore from 'echarts/core';
import type MarkdownIt from 'markdown-it';
import type SanitizeHtml from 'sanitize-html';

const require = createRequire(import.meta.url);

const once = <T>(load: () => Promise<T>) => {
  let p: Promise<T> | undefined;
  return () => {
    p ??= load();
    return p;
  };
};

/** exceljs's module (`new (await excelJs()).Workbook()`). */
export const excelJs = once(async () => (await import('exceljs')).default);

/** pdfkit's PDFDocument class. */
export const pdfKit = once(async () => (await import('pdfkit')).default);

/** sharp. */
export const sharpLib = once(async () => (await import('sharp')).default);

/** docx's builders. */
export const docxLib = once(() => import('docx'));

/** ECharts' core with the bar and line charts, grid and title, and the SVG renderer registered (server-side rendering). */
export const echartsCore = once(async (): Promise<typeof EChartsCore> => {
  const [core, charts, components, renderers] = await Promise.all([
    import('echarts/core'),
    import('echarts/charts'),
    import('echarts/components'),
    import('echarts/renderers'),
  ]);
  core.use([
    charts.BarChart,
    charts.LineChart,
    components.GridComponent,
    components.TitleComponent,
    renderers.SVGRenderer,
  ]);
  return core;
});

/** For synchronous callers: a CommonJS package's exports, required once on first call. */
const required = <T>(name: string) => {
  let mod: T | undefined;
  return (): T => {
    mod ??= require(name) as T;
    return mod;
  };
};

/** nodemailer (`(await nodeMailer()).createTransport(...)`). */
export const nodeMailer = once(async () => (await import('nodemailer')).default);
type NodeMailer = Awaited<ReturnType<typeof nodeMailer>>;

/**
 * A pooled SMTP transport to `url`, made at the first `get()` (nodemailer loads then); `close()` closes it
 * if it was made.
 */
export function pooledSmtp(url: string, maxConnections: number) {
  let transport: ReturnType<NodeMailer['createTransport']> | undefined;
  return {
    async get() {
      const mail = await nodeMailer();
      transport ??= mail.createTransport({ url, pool: true, maxConnections } as never);
      return transport;
    },
    close() {
      transport?.close();
    },
  };
}

/** mailparser's `simpleParser`. */
export const mailParser = once(async () => (await import('mailparser')).simpleParser);

/** smtp-server's SMTPServer class. */
export const smtpServerLib = once(async () => (await import('smtp-server')).SMTPServer);

/** ldapts. */
export const ldapTs = once(() => import('ldapts'));

/** openid-client. */
export const openIdClient = once(() => import('openid-client'));

/** file-type. */
export const fileTypeLib = once(() => import('file-type'));

/** diff. */
export const diffLib = once(() => import('diff'));

/** markdown-it's class, for synchronous callers (Markdown is rendered inside synchronous mappers). */
export const markdownItLib = required<typeof MarkdownIt>('markdown-it');

/** sanitize-html's function, for synchronous callers. */
export const sanitizeHtmlLib = required<typeof SanitizeHtml>('sanitize-html');

/** yazl (zip writing). */
export const yazlLib = once(() => import('yazl'));

/** yauzl (zip reading). */
export const yauzlLib = once(async () => (await import('yauzl')).default);

/** saxes (streaming XML). */
export const saxesLib = once(() => import('saxes'));

/** ae-cvss-calculator, for synchronous callers. */
export const cvssCalculatorLib = required<typeof import('ae-cvss-calculator')>('ae-cvss-calculator');

/** Fastify's factory (the public site's own listener; the API's app is made by http/app.ts). */
export const fastifyLib = once(async () => (await import('fastify')).default);

/** @fastify/multipart's plugin, registered by the routes that take uploads. */
export const multipartLib = once(async () => (await import('@fastify/multipart')).default);
