import { UnauthenticatedError } from '../errors/gatewayErrors';
import type { CallerCredentials } from '../rest/invitesApi';
import type { GatewayContext } from '../context/gatewayContext';
import { assertDomain } from '../validation/inputValidation';

/**
 * The caller's credentials for an upstream call: their own `Authorization` header (the gateway has
 * no token of its own) and the domain from the argument, else from the `losantdomain` header.
 * Throws `UNAUTHENTICATED` before anything is sent when no token came with the request.
 */
export function callerCredentials(context: GatewayContext, losantdomainArgument: string | null | undefined): CallerCredentials {
  assertDomain(losantdomainArgument);
  const authorization = context.authorization?.trim();
  if (!authorization) {
    throw new UnauthenticatedError('Send your Losant API token as "Authorization: Bearer <token>"');
  }
  if (losantdomainArgument === undefined || losantdomainArgument === null) assertDomain(context.losantdomain, 'the losantdomain header');
  const losantdomain = losantdomainArgument ?? context.losantdomain;
  return losantdomain ? { authorization, losantdomain } : { authorization };
}
