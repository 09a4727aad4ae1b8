/** The process logger (pino). Never log PII: emails, phone numbers, passwords, tokens. */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    // Query strings can carry what people searched for (names, account numbers): log the path only.
    // Headers are not logged at all (cookies, tokens).
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({
        method: req.method,
        path: req.url.split('?')[0],
        ip: req.ip,
      }),
    },
    redact: { paths: ['*.password', '*.email', '*.token', '*.secret'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
