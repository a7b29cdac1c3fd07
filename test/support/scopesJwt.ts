import { createHmac } from 'node:crypto';

/**
 * An HS256 JWT (RFC 7519) carrying `scope`, space-separated as Losant's API tokens carry it, for
 * the router's scope check (`SCOPES_JWT_HEADER` in `hiveGateway.config.ts`). Signed here with
 * node:crypto, so the tests depend on no JWT library of their own; it expires in ten minutes.
 */
export function signScopesJwt(key: string, scopes: readonly string[], subject = 'test-caller'): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const issuedAt = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: subject, scope: scopes.join(' '), iat: issuedAt, exp: issuedAt + 600 })}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}
