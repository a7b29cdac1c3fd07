import { hostname } from 'node:os';
import pino, { Logger } from 'pino';
import { REDACTED } from '../errors/redact';

/**
 * Structured JSON logs. Header and token fields are redacted wherever they appear, as a second
 * line of defence: the code also avoids logging them in the first place. The fields censored:
 * `authorization`, `token` and `headers.authorization`, at the top of a line's object (or a
 * child's bindings) and one level down (`*.authorization`, `*.token`, `*.headers.authorization`).
 *
 * Done in a formatter rather than with pino's `redact` paths: with a wildcard path, pino runs
 * every value of every line through its redactor, which clones and stringifies it again (about
 * 15 KB allocated per request at info). The formatter only reads the few names, and copies an
 * object only when one of them is there.
 */
export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  const logger = pino(
    {
      level,
      // pid and hostname tell replicas apart once their lines are collected in one place.
      base: { service: 'invites-gateway', pid: process.pid, hostname: hostname() },
      formatters: { log: redactCredentials, bindings: redactCredentials },
    },
    destination,
  );
  // pino applies a bindings formatter to the root's bindings only, never to a child's: children
  // (which inherit from the root, and from each other) censor theirs here.
  // pino's own `child`, read off the instance to be called with each logger as `this`.
  const pinoChild: unknown = Reflect.get(logger, 'child');
  const child = pinoChild as (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => Logger;
  Object.defineProperty(logger, 'child', {
    value: function censoredChild(this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions): Logger {
      return child.call(this, redactCredentials(bindings), options);
    },
    writable: true,
    configurable: true,
  });
  return logger;
}

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null;

/**
 * A copy that keeps the prototype and every own property (an Error's message and stack too).
 * Accessors are copied as the values they read on the original: V8 gives an Error an own `stack`
 * accessor that reads the object it is called on, so on a copy it would read nothing (Node 24).
 */
function copyOf(value: Fields): Fields {
  const descriptors = Object.getOwnPropertyDescriptors(value);
  for (const [name, descriptor] of Object.entries(descriptors)) {
    if (descriptor.get) descriptors[name] = { value: value[name], enumerable: descriptor.enumerable, writable: true, configurable: true };
  }
  return Object.create(Object.getPrototypeOf(value) as object | null, descriptors) as Fields;
}

/** `value` with its own `authorization`, `token` and `headers.authorization` censored; `value` itself when it has none. */
function censorLevel(value: Fields, nested: boolean): Fields {
  let copy: Fields | undefined;
  for (const name of ['authorization', 'token']) {
    if (Object.hasOwn(value, name) && value[name] !== undefined) (copy ??= copyOf(value))[name] = REDACTED;
  }
  const headers = value.headers;
  if (isObject(headers) && Object.hasOwn(headers, 'authorization') && headers.authorization !== undefined) {
    const censored = copyOf(headers);
    censored.authorization = REDACTED;
    (copy ??= copyOf(value)).headers = censored;
  }
  if (nested) return copy ?? value;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || key === 'headers') continue;
    const inner = value[key];
    if (!isObject(inner)) continue;
    const censored = censorLevel(inner, true);
    if (censored !== inner) (copy ??= copyOf(value))[key] = censored;
  }
  // `headers` is one level down too: its own `token` and nested `headers.authorization`.
  if (isObject(headers)) {
    const current = (copy ?? value).headers as Fields;
    const censored = censorLevel(current, true);
    if (censored !== current) (copy ??= copyOf(value)).headers = censored;
  }
  return copy ?? value;
}

/** The log object (or child bindings) with credential fields censored; the same object when it holds none. */
export function redactCredentials(record: Fields): Fields {
  return censorLevel(record, false);
}
