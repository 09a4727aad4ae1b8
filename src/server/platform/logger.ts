/** The process logger (pino). Never log PII: emails, phone numbers, passwords, tokens. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.email', '*.token'],
      censor: '[redacted]',
    },
  });
}
