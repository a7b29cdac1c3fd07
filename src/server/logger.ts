import pino, { Logger } from 'pino';

/**
 * Structured JSON logs. Header and token fields are redacted wherever they appear, as a second
 * line of defence: the code also avoids logging them in the first place.
 */
export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'invites-gateway' },
      redact: {
        paths: ['authorization', '*.authorization', '*.headers.authorization', 'token', '*.token', 'headers.authorization'],
        censor: '[REDACTED]',
      },
    },
    destination,
  );
}
