import type { OrgInviteCollectionDto, OrgInviteDto, SuccessDto } from '../contract/types';

/**
 * Checks that a 2xx body is shaped like an `orgInviteCollection` before the GraphQL layer reads it.
 * Deliberately shallow and tolerant: unknown properties pass through, and only what the gateway
 * relies on (an object with an `items` array of objects) is required.
 */
export function isOrgInviteCollection(body: unknown): body is OrgInviteCollectionDto {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const items = (body as { items?: unknown }).items;
  return Array.isArray(items) && items.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item));
}

/** An `orgInvite`: an object with a string id; the rest is read tolerantly like collection items. */
export function isOrgInvite(body: unknown): body is OrgInviteDto {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as { id?: unknown }).id === 'string';
}

/** A `success` body: `{ "success": true }`. */
export function isSuccess(body: unknown): body is SuccessDto {
  return typeof body === 'object' && body !== null && (body as { success?: unknown }).success === true;
}
