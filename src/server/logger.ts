// JSON logs (pino). Emails, account names, tokens and credentials are redacted wherever they appear by name,
// as a safety net: the code already never passes them to a log call.
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

const REDACTED_KEYS = [
  'email',
  'Email',
  'name',
  'accountName',
  'AccountName',
  'managementAccountEmail',
  'authorization',
  'Authorization',
  'token',
  'secretAccessKey',
  'sessionToken',
  'password',
  'variables',
];

export function createLogger(level: LevelWithSilent, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'statusgraph' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((key) => `*.${key}`), 'req.headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
