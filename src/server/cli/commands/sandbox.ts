/** `tocsin sandbox`: stand-ins for a firm's systems on loopback (docs/sandbox.md), until Ctrl-C or SIGTERM. */
import type { Command } from 'commander';
import { CliError } from '../context.js';
import { out, table } from '../table.js';
import { DEFAULT_SANDBOX_PORT_BASE } from '../../sandbox/ports.js';

/** The value of `--port-base`: the first of nine consecutive ports, 1024 to 65527, or `auto` (free ports). */
function portBaseArg(v: string): number | 'auto' {
  if (v === 'auto') return 'auto';
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1024 || n > 65_527)
    throw new CliError('--port-base must be a whole number from 1024 to 65527, or auto');
  return n;
}

const LABELS = {
  overview: 'Overview (what each received) / 总览（各系统收到的请求）',
  trading: 'Trading core / 交易核心',
  edr: 'EDR / 终端检测与响应',
  firewall: 'Firewall / 防火墙',
  mail: 'Mailbox (HTTP) / 邮箱（HTTP）',
  smtp: 'SMTP server / 邮件服务器',
  robots: 'WeCom, DingTalk, Feishu robots; Slack, Teams, webhooks / 企业微信、钉钉、飞书机器人及 Webhook',
  sms: 'SMS gateway (Alibaba, Tencent) / 短信网关（阿里云、腾讯云）',
  notify: 'Notify gateway of customer campaigns (SMS, push) / 客户通知网关（短信、推送）',
} as const;

export function addSandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description(
      "run stand-ins for a firm's systems on 127.0.0.1 (trading core, EDR, firewall, SMTP mailbox, group robots and webhooks, SMS gateway, customer-notify gateway), each speaking the JSON contract of docs/sandbox.md and recording what it receives; prints their URLs and runs until Ctrl-C or SIGTERM",
    )
    .option(
      '--port-base <n>',
      `listen on nine consecutive ports from N (default ${DEFAULT_SANDBOX_PORT_BASE}, where \`tocsin demo\` points the connectors; auto: free ports)`,
      portBaseArg,
    )
    .option('--json', 'print the URLs as one JSON object')
    .action(async (o: { portBase?: number | 'auto'; json?: boolean }) => {
      const { startSandbox } = await import('../../sandbox/index.js');
      const portBase = o.portBase === 'auto' ? undefined : (o.portBase ?? DEFAULT_SANDBOX_PORT_BASE);
      const sandbox = await startSandbox({ portBase }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE')
          throw new CliError(
            `cannot listen on 127.0.0.1:${(err as { port?: number }).port ?? '?'}: the port is in use; choose another --port-base`,
          );
        throw err;
      });
      if (o.json) out(JSON.stringify(sandbox.urls));
      else {
        out('Tocsin sandbox is running / 沙箱已启动 (Ctrl-C to stop / 按 Ctrl-C 停止)');
        for (const line of table(
          ['STAND-IN / 系统', 'URL'],
          Object.entries(LABELS).map(([k, label]) => [label, sandbox.urls[k as keyof typeof LABELS]]),
        ))
          out(line);
      }
      const stop = async () => {
        await sandbox.stop();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
