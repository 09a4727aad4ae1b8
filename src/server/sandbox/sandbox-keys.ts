/**
 * The fixed demo credentials the sandbox's robot, SMS and webhook stand-ins accept (docs/sandbox.md).
 * They are public on purpose: the sandbox is a loopback demo, never a place for real keys.
 */
export const SANDBOX_KEYS = {
  wecomKey: 'sandbox-wecom-key',
  dingtalkAccessToken: 'sandbox-dingtalk-token',
  dingtalkSecret: 'SECsandbox-dingtalk-secret',
  feishuHookToken: 'sandbox-feishu-hook',
  feishuSecret: 'sandbox-feishu-secret',
  slackPath: '/services/TSANDBOX/BSANDBOX/sandbox-slack-token',
  teamsPath: '/workflows/sandbox/triggers/manual/paths/invoke?sig=sandbox-teams-sig',
  webhookSecret: 'sandbox-webhook-signing-secret',
  aliyunAccessKeyId: 'sandbox-aliyun-id',
  aliyunAccessKeySecret: 'sandbox-aliyun-secret',
  tencentSecretId: 'AKIDsandboxtencent',
  tencentSecretKey: 'sandbox-tencent-key',
  /** The notify gateway's signing secret (TOCSIN_NOTIFY_GATEWAY_SECRET of a Tocsin pointed at the sandbox). */
  notifySecret: 'sandbox-notify-signing-secret',
} as const;

export type SandboxKeys = { [K in keyof typeof SANDBOX_KEYS]: string };
