import { createHash } from 'node:crypto';
import type { ListInvitesQuery } from '../../contract/types';
import { BadUserInputError } from '../../errors/gatewayErrors';
import type { OrgRef } from '../../rest/invitesApi';
import { isBlankFilter } from '../../validation/inputValidation';
import type { ListPosition } from './inviteOrder';

/*
 * Connection cursors: base64url of a small JSON array `[version, list, key, id]`. `list` is a
 * digest of what the cursor was made for (the organization, the sort, the effective filter), so a
 * cursor handed to another list is refused instead of silently starting somewhere else; `key` and
 * `id` are the edge's position (see `inviteOrder.ts`). Opaque to clients, not secret: a cursor
 * made by hand names a position in a list its maker can read anyway, so only its shape is checked.
 */

const CURSOR_VERSION = 1;

/**
 * Longest cursor accepted, in characters. The longest one made holds a 1,024-character email
 * (the contract's bound), which JSON and base64 can grow to about 8,300 characters in the worst case of
 * escaped characters; anything longer was not made here, and is refused before it is decoded.
 */
export const MAX_CURSOR_LENGTH = 8_500;
const MAX_KEY_LENGTH = 1_024;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const INVITE_ID = /^[A-Fa-f\d]{24}$/;

/** Identifies one list: the same organization, sort and filter give the same digest. */
export function listDigest(org: OrgRef, query: ListInvitesQuery): string {
  const filtered = query.filterField !== undefined && !isBlankFilter(query.filter);
  const made = [
    org.instanceId.toLowerCase(),
    org.orgId.toLowerCase(),
    query.sortField ?? null,
    query.sortDirection ?? null,
    filtered ? query.filterField : null,
    filtered ? query.filter : null,
  ];
  // 96 bits: a cursor of another list matching by chance is not a concern.
  return createHash('sha256').update(JSON.stringify(made)).digest('base64url').slice(0, 16);
}

export function encodeCursor(list: string, position: ListPosition): string {
  return Buffer.from(JSON.stringify([CURSOR_VERSION, list, position.key, position.id]), 'utf8').toString('base64url');
}

/**
 * The position a cursor names, checked against the list it is used on. `argument` (`after` or
 * `before`) names it in the error; `keyIsDate` says whether the list is sorted by date (a number
 * key) or by email or role (a string key).
 */
export function decodeCursor(cursor: string, argument: string, list: string, keyIsDate: boolean): ListPosition {
  if (cursor.length > MAX_CURSOR_LENGTH) {
    throw new BadUserInputError(
      `${argument} is longer than any cursor this list makes (${MAX_CURSOR_LENGTH} characters at most)`,
      argument,
    );
  }
  const parts = parseCursor(cursor);
  if (!parts)
    throw new BadUserInputError(`${argument} is not a cursor: pass a startCursor, endCursor or edge cursor exactly as received`, argument);
  const [version, madeFor, key, id] = parts;
  if (version !== CURSOR_VERSION)
    throw new BadUserInputError(`${argument} is a cursor of another version: ask for the first page again`, argument);
  if (madeFor !== list) {
    throw new BadUserInputError(
      `${argument} was made for another organization, sort or filter: ask for the first page of this one`,
      argument,
    );
  }
  const keyFits = keyIsDate ? Number.isSafeInteger(key) : typeof key === 'string' && key.length <= MAX_KEY_LENGTH;
  if (!keyFits || typeof id !== 'string' || !INVITE_ID.test(id)) {
    throw new BadUserInputError(`${argument} is not a cursor: pass a startCursor, endCursor or edge cursor exactly as received`, argument);
  }
  return { key: key as string | number, id };
}

/** The four parts of a well-formed cursor, or undefined. */
function parseCursor(cursor: string): [unknown, unknown, unknown, unknown] | undefined {
  if (cursor === '' || !BASE64URL.test(cursor)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
  return parsed as [unknown, unknown, unknown, unknown];
}
