import type { GatewayExecutionResult, GatewayExecutor, GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import {
  DocumentNode,
  execute,
  FragmentDefinitionNode,
  getVariableValues,
  GraphQLError,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  printSchema,
  SelectionSetNode,
} from 'graphql';
import { CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import { inputsWithoutStableCoercion } from './stableCoercion';

export interface CompiledExecutionOptions {
  /** Compiled operations kept; the least recently used is dropped past this. */
  readonly maxCompiledOperations?: number;
}

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
 *   top-level field even after one has failed, so a write the client never hears of could be
 *   sent), `_entities` (a rejected item shifts the list by one) and any request with a variable
 *   explicitly null (it skips `@skip(if: $v)` instead of refusing the null).
 * test/graphql/execution holds the requests that showed each difference, answered by both executors.
 *
 * Each distinct operation (document hash and operation name) is compiled once, on first use, and
 * cached. An operation graphql-jit cannot compile runs on graphql-js.
 */
export function compiledExecution(schema: GraphQLSchema, { maxCompiledOperations = 1000 }: CompiledExecutionOptions = {}): GatewayInterface {
  const compiled = new LRUCache<string, CompiledQuery | 'interpreted'>({ max: maxCompiledOperations });
  const listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  const canCompile = inputsWithoutStableCoercion(schema).length === 0;

  const executor: GatewayExecutor = async ({ document, queryHash, operation, request, context }) => {
    const operationName = request.operationName ?? undefined;
    const interpret = () => execute({ schema, document, operationName, contextValue: context, variableValues: request.variables });
    if (!operation) return interpret();
    const key = `${queryHash}\u0000${operationName ?? ''}`;
    let query = compiled.get(key);
    if (query === undefined) {
      const result = canCompile && !interpretedOnly(document, operation) ? compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true }) : undefined;
      query = result !== undefined && isCompiledQuery(result) ? result : 'interpreted';
      compiled.set(key, query);
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
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl });
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
  if (operation.operation !== 'query') return true;
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
