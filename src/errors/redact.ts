const BEARER = /\bBearer\s+[^\s"',;)\]}]+/gi;
const JWT_LIKE = /\beyJ[\w-]+\.[\w-]+\.[\w-]*/g;

/**
 * Removes credentials from text that may reach a client or a log: anything shaped like a bearer
 * token or a JWT, and each of the given secrets verbatim. Upstream messages are not trusted to be
 * free of the caller's token.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let clean = text.replace(BEARER, 'Bearer [REDACTED]').replace(JWT_LIKE, '[REDACTED]');
  for (const secret of secrets) {
    if (secret && secret.length >= 4) clean = clean.split(secret).join('[REDACTED]');
  }
  return clean;
}

/** The token part of an `Authorization` header value, for redaction. */
export function tokenOf(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^\s*\S+\s+(\S+)\s*$/.exec(authorization);
  return match ? match[1] : authorization.trim();
}
