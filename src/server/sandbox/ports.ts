/**
 * Where `tocsin sandbox` listens unless told otherwise, and so where `tocsin demo` points the demo's
 * connectors: the overview on 7100, then trading +1, EDR +2, firewall +3, mail HTTP +4, SMTP +5,
 * robots +6, SMS +7, notify gateway +8 (the order of startSandbox's port base).
 */
export const DEFAULT_SANDBOX_PORT_BASE = 7100;

export const SANDBOX_OFFSETS = {
  overview: 0,
  trading: 1,
  edr: 2,
  firewall: 3,
  mail: 4,
  smtp: 5,
  robots: 6,
  sms: 7,
  notify: 8,
} as const;
