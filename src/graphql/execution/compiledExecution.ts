import type {
  GatewayExecutionResult,
  GatewayExecutor,
  GatewayInterface,
  GatewaySchemaLoadOrUpdateCallback,
} from '@apollo/server-gateway-interface';
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

/**
 * Why an operation ran on graphql-js rather than compiled: a fixed set, fit for a metric label.
 * - `traced`: a router asked for an inline trace, which needs every field's resolver timed.
 * - `no_operation`: Apollo named no operation to run (it refuses such a request before, in practice).
 * - `too_large`: the document is estimated above the compiled cache's largest entry.
 * - `unstable_coercion`: graphql-jit would coerce some input of the schema differently (`stableCoercion.ts`).
 * - `mutation`, `entities`: operations graphql-jit answers wrongly (see `compiledExecution`).
 * - `not_compiled`: graphql-jit refused to compile the operation.
 * - `null_variable`: a variable explicitly null.
 */
export type InterpretedReason =
  'traced' | 'no_operation' | 'too_large' | 'unstable_coercion' | 'mutation' | 'entities' | 'not_compiled' | 'null_variable';

/** Which executor answered one operation, and why it was not the compiled one. */
export type ExecutionMode = { readonly mode: 'compiled' } | { readonly mode: 'interpreted'; readonly reason: InterpretedReason };

export interface CompiledExecutionOptions {
  /** Estimated heap bytes of compiled operations kept; the least recently used are dropped past this. */
  readonly maxBytes: number;
  /** An operation whose document is estimated above this is never compiled nor kept: it runs interpreted. */
  readonly maxEntryBytes: number;
  /** Told, for every operation executed, which executor ran it (metrics, debug logs). */
  readonly onExecution?: (execution: ExecutionMode, operationName: string | undefined) => void;
}

const COMPILED: ExecutionMode = { mode: 'compiled' };

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
export function compiledExecution(
  schema: GraphQLSchema,
  { maxBytes, maxEntryBytes, onExecution }: CompiledExecutionOptions,
): GatewayInterface {
  // Never an entry larger than the cache: lru-cache 11 would admit it and lose count of its size.
  const largestEntry = Math.min(maxEntryBytes, maxBytes);
  // An operation that is never compiled is kept as the reason why, so each request can report it.
  const compiled = new LRUCache<string, CompiledQuery | InterpretedReason>({ maxSize: maxBytes, maxEntrySize: largestEntry });
  const listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  const canCompile = inputsWithoutStableCoercion(schema).length === 0;
  // New types and fields, the same resolvers and extensions.
  const apolloSchema = mapSchema(schema);

  const executor: GatewayExecutor = async ({ document, queryHash, operation, request, context, metrics, schema: instrumented }) => {
    const operationName = request.operationName ?? undefined;
    // The operation's own name: a client that sends a single operation need not name it in the request.
    const report = (execution: ExecutionMode): void => onExecution?.(execution, operation?.name?.value);
    if (metrics.captureTraces) {
      report({ mode: 'interpreted', reason: 'traced' });
      return execute({ schema: instrumented, document, operationName, contextValue: context, variableValues: request.variables });
    }
    const interpret = (reason: InterpretedReason) => {
      report({ mode: 'interpreted', reason });
      return execute({ schema, document, operationName, contextValue: context, variableValues: request.variables });
    };
    if (!operation) return interpret('no_operation');
    const key = `${queryHash}\u0000${operationName ?? ''}`;
    let query = compiled.get(key);
    if (query === undefined) {
      const size = documentBytes(document) + COMPILED_OVERHEAD_BYTES + key.length + ENTRY_OVERHEAD_BYTES;
      // Too large to keep: compiling it on every request would cost more than interpreting it.
      if (size > largestEntry) return interpret('too_large');
      query = compileOrWhyNot(document, operation, operationName);
      // A reason holds no document: only its key counts.
      compiled.set(key, query, { size: typeof query === 'string' ? key.length + ENTRY_OVERHEAD_BYTES : size });
    }
    if (typeof query === 'string') return interpret(query);
    const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, {
      maxErrors: MAX_VARIABLE_ERRORS,
    });
    // Refused before any execution, with the errors graphql-js gives: counted with the compiled ones.
    if (variables.errors) {
      report(COMPILED);
      return { errors: variables.errors };
    }
    if (Object.values(variables.coerced).includes(null)) return interpret('null_variable');
    report(COMPILED);
    return asGraphQLJsResult(await query.query(undefined, context, variables.coerced));
  };

  /** The compiled operation, or why it runs interpreted whatever its variables. */
  function compileOrWhyNot(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    operationName: string | undefined,
  ): CompiledQuery | InterpretedReason {
    if (!canCompile) return 'unstable_coercion';
    const refused = interpretedOnly(document, operation);
    if (refused) return refused;
    const result = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true });
    return isCompiledQuery(result) ? result : 'not_compiled';
  }

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

/**
 * Why an operation must run on graphql-js whatever its variables, if it must: a mutation (the
 * schema has no subscriptions, so validation leaves nothing else that is not a query), or `_entities`.
 */
function interpretedOnly(document: DocumentNode, operation: OperationDefinitionNode): 'mutation' | 'entities' | undefined {
  if (operation.operation !== OperationTypeNode.QUERY) return 'mutation';
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
  return selectsInterpreted(operation.selectionSet) ? 'entities' : undefined;
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
