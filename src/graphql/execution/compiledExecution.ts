import type { GatewayExecutionResult, GatewayExecutor, GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { mapSchema } from '@graphql-tools/utils';
import {
  DocumentNode,
  execute,
  FragmentDefinitionNode,
  getVariableValues,
  GraphQLError,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  OperationTypeNode,
  printSchema,
  SelectionSetNode,
} from 'graphql';
import { CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import { documentBytes, ENTRY_OVERHEAD_BYTES } from '../documentBytes';
import { inputsWithoutStableCoercion } from './stableCoercion';

export interface CompiledExecutionOptions {
  /** Estimated heap bytes of compiled operations kept; the least recently used are dropped past this. */
  readonly maxBytes: number;
  /** An operation whose document is estimated above this is never compiled nor kept: it runs interpreted. */
  readonly maxEntryBytes: number;
}

/**
 * What a compiled operation holds besides its document (generated code, field plans): about 8 KB
 * for a list of invites with every field, measured on graphql-jit 0.8.9; twice that is counted.
 */
const COMPILED_OVERHEAD_BYTES = 16 * 1024;

/** What graphql-js's `execute` allows before it stops collecting variable errors. */
const MAX_VARIABLE_ERRORS = 50;

/**
 * Executes operations with graphql-jit instead of graphql-js's interpreter, plugged into Apollo
 * through its gateway interface so parsing, validation, the document cache, plugins and
 * `formatError` all stay Apollo's. The profile of a 500-invite list showed graphql-js's per-field
 * work (argument values, completion, null-prototype result objects that `JSON.stringify` walks
 * slowly) as its largest cost; a compiled operation does that work in straight-line code.
 *
 * Where graphql-jit 0.8.9 differs from graphql-js, graphql-js stays:
 * - Variables are coerced by graphql-js, so defaults of non-null variables apply and errors carry
 *   the messages and nodes Apollo turns into BAD_USER_INPUT. graphql-jit then coerces the coerced
 *   values again, which is only harmless when that changes nothing: `stableCoercion.ts` checks it
 *   for every input of the schema, and a schema where it does not hold runs on graphql-js.
 * - graphql-jit's errors lack the `extensions` object Apollo's error formatting relies on; they
 *   are rebuilt as graphql-js errors with the same message, locations, path and cause.
 * - Operations it gets wrong run interpreted (`interpretedOnly`): mutations (it runs every
 *   top-level field even after a non-null one has failed, so a write the client never hears of
 *   could be sent; this schema's mutation fields are nullable now, yet a non-null one added later
 *   would bring that back), `_entities` (a rejected item shifts the list by one) and any request with a variable
 *   explicitly null (it skips `@skip(if: $v)` instead of refusing the null).
 * test/graphql/execution holds the requests that showed each difference, answered by both executors.
 *
 * - A request whose fields are being timed (a router's inline trace, ftv1) runs interpreted, on
 *   Apollo's own copy of the schema (below): compiled code calls no resolver for a plain field, so
 *   Apollo could time none of them.
 *
 * Apollo gets a copy of the schema rather than the schema itself. The first time a plugin times
 * fields, Apollo wraps the resolver of every field of the schema it holds, for good; on the
 * schema operations are compiled from, that would give every plain field a resolver to call in
 * every operation compiled afterwards, whether or not anyone asks for a trace.
 *
 * Each distinct operation (document hash and operation name) is compiled once, on first use, and
 * cached. An operation graphql-jit cannot compile runs on graphql-js. A compiled operation keeps
 * its whole document alive (the field nodes it hands resolvers hold locations, and through them
 * the source text and every token), so the cache is capped by the documents' estimated bytes, not
 * by a count: a thousand 900 KB documents would be a gigabyte.
 */
export function compiledExecution(schema: GraphQLSchema, { maxBytes, maxEntryBytes }: CompiledExecutionOptions): GatewayInterface {
  // Never an entry larger than the cache: lru-cache 11 would admit it and lose count of its size.
  const largestEntry = Math.min(maxEntryBytes, maxBytes);
  const compiled = new LRUCache<string, CompiledQuery | 'interpreted'>({ maxSize: maxBytes, maxEntrySize: largestEntry });
  const listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  const canCompile = inputsWithoutStableCoercion(schema).length === 0;
  // New types and fields, the same resolvers and extensions.
  const apolloSchema = mapSchema(schema);

  const executor: GatewayExecutor = async ({ document, queryHash, operation, request, context, metrics, schema: instrumented }) => {
    const operationName = request.operationName ?? undefined;
    if (metrics.captureTraces) return execute({ schema: instrumented, document, operationName, contextValue: context, variableValues: request.variables });
    const interpret = () => execute({ schema, document, operationName, contextValue: context, variableValues: request.variables });
    if (!operation) return interpret();
    const key = `${queryHash}\u0000${operationName ?? ''}`;
    let query = compiled.get(key);
    if (query === undefined) {
      const size = documentBytes(document) + COMPILED_OVERHEAD_BYTES + key.length + ENTRY_OVERHEAD_BYTES;
      // Too large to keep: compiling it on every request would cost more than interpreting it.
      if (size > largestEntry) return interpret();
      const result = canCompile && !interpretedOnly(document, operation) ? compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true }) : undefined;
      query = result !== undefined && isCompiledQuery(result) ? result : 'interpreted';
      // The 'interpreted' marker holds no document: only its key counts.
      compiled.set(key, query, { size: query === 'interpreted' ? key.length + ENTRY_OVERHEAD_BYTES : size });
    }
    if (query === 'interpreted') return interpret();
    const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: MAX_VARIABLE_ERRORS });
    if (variables.errors) return { errors: variables.errors };
    if (Object.values(variables.coerced).includes(null)) return interpret();
    return asGraphQLJsResult(await query.query(undefined, context, variables.coerced));
  };

  return {
    async load() {
      const coreSupergraphSdl = printSchema(schema);
      for (const listener of listeners) listener({ apiSchema: apolloSchema, coreSupergraphSdl });
      return { executor };
    },
    onSchemaLoadOrUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      compiled.clear();
    },
  };
}

/** Root fields graphql-jit answers wrongly; see `compiledExecution`. */
const INTERPRETED_ROOT_FIELDS: ReadonlySet<string> = new Set(['_entities']);

/** Whether an operation must run on graphql-js whatever its variables: a mutation, or `_entities`. */
function interpretedOnly(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  if (operation.operation !== OperationTypeNode.QUERY) return true;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const seen = new Set<string>();
  const selectsInterpreted = (selectionSet: SelectionSetNode): boolean =>
    selectionSet.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return INTERPRETED_ROOT_FIELDS.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return selectsInterpreted(selection.selectionSet);
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) return false;
      seen.add(fragment.name.value);
      return selectsInterpreted(fragment.selectionSet);
    });
  return selectsInterpreted(operation.selectionSet);
}

function asGraphQLJsResult(result: GatewayExecutionResult): GatewayExecutionResult {
  if (!result.errors) return result;
  return { ...result, errors: result.errors.map(asGraphQLJsError) };
}

function asGraphQLJsError(error: GraphQLError): GraphQLError {
  const rebuilt = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions ?? undefined,
  });
  // graphql-js computes locations from AST nodes, which graphql-jit's errors do not keep; the
  // property is a plain one (readonly only in the typings), so the computed locations are copied.
  if (error.locations) Object.assign(rebuilt, { locations: error.locations });
  return rebuilt;
}
