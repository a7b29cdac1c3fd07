import { createHash } from 'node:crypto';
import { version as graphqlVersion } from 'graphql';
import type { RequestLimits } from '../config/settings';
import type { DocumentLimits } from './documentLimits';

/** Every setting that decides whether this replica parses and validates a document. */
export type ValidationSettings = DocumentLimits & Pick<RequestLimits, 'maxTokens'> & { readonly introspection: boolean };

/**
 * A short hash of this replica's validation rules, for the key of a document shared through
 * Redis: Apollo keys a validated document by its schema and its text only, and a replica that
 * reads one back runs it without validating it again. Replicas whose rules differ (introspection,
 * a limit) must not hand each other documents; replicas whose rules agree still share them.
 * The `Record` over every key of `ValidationSettings` makes a new document limit fail to compile
 * here until it is part of the hash. graphql's version is in it because its own rules change with it.
 */
export function validationFingerprint(settings: ValidationSettings): string {
  const decisive: Record<keyof ValidationSettings, unknown> = {
    introspection: settings.introspection,
    maxTokens: settings.maxTokens,
    maxDepth: settings.maxDepth,
    maxAliases: settings.maxAliases,
    maxDirectives: settings.maxDirectives,
  };
  return createHash('sha256')
    .update(JSON.stringify({ ...decisive, graphql: graphqlVersion }))
    .digest('hex')
    .slice(0, 16);
}
