/**
 * The command action: a configured executable (absolute path) with an argument list whose items are
 * `{{ name }}` templates over the run's parameters, run with execFile — never through a shell, so an
 * argument such as `; rm -rf /` reaches the program as that text. The environment is only PATH, LANG
 * and what is configured (`env`, and secret `env`); stdout and stderr are kept up to 64 KiB each.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { renderTemplate, TemplateError, type TemplateValue } from '../../../../shared/template.js';
import { ActionFailure, type ActionDef, type ActionKindSpec } from '../action-kind.js';
import { TemplateParameters } from './http.kind.js';

const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,63}$/, 'an environment variable name (A-Z, 0-9, _)');

const CommandConfig = z.strictObject({
  path: z
    .string()
    .max(1000)
    .refine((p) => path.isAbsolute(p), 'must be an absolute path to an executable'),
  args: z.array(z.string().max(4000)).max(100).default([]),
  env: z.record(EnvName, z.string().max(4000)).default({}),
  // Well within the job lease (5 min): a run must finish before another runner may take it over.
  timeoutMs: z.int().min(100).max(240_000).default(30_000),
  retries: z.int().min(0).max(9).default(0),
  actions: z
    .array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/))
    .max(20)
    .default([]),
});
type CommandConfig = z.infer<typeof CommandConfig>;

const CommandSecrets = z.strictObject({ env: z.record(EnvName, z.string().max(4096)).optional() });
type CommandSecrets = z.infer<typeof CommandSecrets>;

const commandAction: ActionDef<CommandConfig, CommandSecrets, Record<string, TemplateValue>> = {
  name: 'command',
  parameters: TemplateParameters,
  async run(ctx, params) {
    let args: string[];
    try {
      args = ctx.config.args.map((a) => renderTemplate(a, params));
    } catch (err) {
      if (err instanceof TemplateError) throw new ActionFailure(err.message, false);
      throw err;
    }
    const res = await ctx.exec(ctx.config.path, args, {
      timeoutMs: ctx.config.timeoutMs,
      env: { ...ctx.config.env, ...(ctx.secrets.env ?? {}) },
    });
    return res;
  },
};

export const commandKind: ActionKindSpec<CommandConfig, CommandSecrets> = {
  kind: 'command',
  purpose: 'action',
  title: { 'zh-CN': '命令动作（不经 shell）', en: 'Command action (no shell)' },
  config: CommandConfig,
  secrets: CommandSecrets,
  hosts: () => [],
  aliases: (c) => c.actions,
  maxAttempts: (c) => c.retries + 1,
  async test(ctx) {
    try {
      await fs.promises.access(ctx.config.path, fs.constants.X_OK);
      return { ok: true, detail: `${ctx.config.path} exists and is executable (not run)` };
    } catch {
      return { ok: false, detail: `${ctx.config.path} is missing or not executable` };
    }
  },
  actions: [commandAction],
};
