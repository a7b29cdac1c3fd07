import type { UpstreamAction } from '../rest/upstreamActions';
import { HttpProblem } from './HttpProblem';
import { isAllowed } from '../rest/actionScopes';

function bearerToken(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] : undefined;
}

/** The header's scheme, if it has one, without its credential. */
export function redacted(header: string | string[]): string {
  const scheme = typeof header === 'string' ? /^\s*([A-Za-z]+)\s/.exec(header)?.[1] : undefined;
  return scheme ? `${scheme} [redacted]` : '[redacted]';
}

/** The simulator's bearer tokens and what each may do, as the real API's auth checks them. */
export class TokenAuth {
  constructor(private readonly tokens: Readonly<Record<string, readonly string[]>>) {}

  /** The scopes of a bearer token the simulator knows; own keys only, so `Bearer constructor` is unknown. */
  scopesOf(authorization: string | string[] | undefined): readonly string[] | undefined {
    const token = bearerToken(authorization);
    return token !== undefined && Object.hasOwn(this.tokens, token) ? this.tokens[token] : undefined;
  }

  /** 401 without a known token, 403 when its scopes do not allow `action`. */
  authorize(authorization: string | string[] | undefined, action: UpstreamAction): void {
    const scopes = this.scopesOf(authorization);
    if (!scopes) throw new HttpProblem(401, 'Unauthorized', 'A valid API access token is required');
    if (!isAllowed(scopes, action)) {
      throw new HttpProblem(403, 'Forbidden', `The token does not have a scope that allows ${action}`);
    }
  }
}
