import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import type { RequestLimits } from '../config/settings';
import { OperationLimitError } from '../errors/gatewayErrors';
import { SATURATED } from './measureOperation';

export type DocumentLimits = Pick<RequestLimits, 'maxDepth' | 'maxAliases' | 'maxDirectives'>;

/**
 * Depth, alias and directive limits as validation rules (graphql-armor's), so they run with
 * graphql-js's own rules, once per document (Apollo caches validated documents), before any
 * resolver. Every field counts, `__typename` and introspection fields included: nothing is left
 * out for an attacker to repeat. Each fragment is measured once and its count reused wherever it
 * is spread, so the checks stay linear in the document however fragments fan out.
 *
 * A refusal is reported as an `OperationLimitError` (`OPERATION_LIMIT_EXCEEDED` with `limit`,
 * `max`, `actual`); `formatLimitErrors` keeps that code when Apollo wraps it as a validation error.
 */
export function documentLimitRules(limits: DocumentLimits): ValidationRule[] {
  return [
    maxDepthRule({
      n: limits.maxDepth,
      ignoreIntrospection: false,
      // Fragments and inline fragments add no level: depth is the nesting of fields, as executed.
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [
        refuse('depth', limits.maxDepth, (actual, max) => `The operation is nested ${actual} levels deep; at most ${max} are allowed`),
      ],
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      // armor leaves `__typename` out by default; thousands of `aN: __typename` are still work.
      allowList: [],
      propagateOnRejection: false,
      onReject: [refuse('aliases', limits.maxAliases, (actual, max) => `The operation uses ${actual} aliases; at most ${max} are allowed`)],
    }),
    maxDirectivesRule({
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: [
        refuse('directives', limits.maxDirectives, (actual, max) => `The operation uses ${actual} directives; at most ${max} are allowed`),
      ],
    }),
  ];
}

/**
 * armor's rules hand their callbacks only an error whose message ends "…, found N." (with the
 * default `exposeLimits`); N is read back from it. The pinned armor versions and the tests in
 * test/limits keep that true.
 */
function refuse(limit: string, max: number, message: (actual: number, max: number) => string) {
  return (context: ValidationContext | null, error: GraphQLError): void => {
    const found = Number(/found (\S+)\.$/.exec(error.message)?.[1]);
    // Fragments spread many times over can multiply a count past what a number holds exactly.
    const actual = Number.isNaN(found) ? max + 1 : Math.min(found, SATURATED);
    context?.reportError(new OperationLimitError(message(actual, max), limit, max, actual));
  };
}
