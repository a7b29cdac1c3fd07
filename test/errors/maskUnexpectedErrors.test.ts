import {
  buildSchema,
  execute,
  FieldNode,
  getVariableValues,
  GraphQLError,
  GraphQLFormattedError,
  locatedError,
  OperationDefinitionNode,
  parse,
} from 'graphql';
import { maskUnexpectedErrors } from '../../src/errors/maskUnexpectedErrors';
import { NotFoundError, UpstreamTimeoutError } from '../../src/errors/gatewayErrors';
import type { Logger } from 'pino';
import { capturingLogger as capturingAt } from '../support/capturedLogs';

/** The gateway's logger at info, its lines collected. */
const capturingLogger = () => capturingAt('info');

/** What graphql-js hands to formatError for an error thrown in the resolver of `orgInvites`. */
function resolverError(original: unknown): GraphQLError {
  const message = original instanceof Error ? original.message : String(original);
  return new GraphQLError(message, { path: ['orgInvites', 'items', 0], originalError: original as Error });
}

function formatted(error: GraphQLError, extensions: Record<string, unknown> = {}): GraphQLFormattedError {
  const json = error.toJSON();
  return { ...json, extensions: { ...json.extensions, ...extensions } };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('maskUnexpectedErrors', () => {
  test('a GatewayError thrown in a resolver reaches the client unchanged', () => {
    const { logger, lines } = capturingLogger();
    const format = maskUnexpectedErrors(logger);
    const wrapped = resolverError(new NotFoundError('Not found: Organization was not found', { status: 404, type: 'NotFound' }));
    const input = formatted(wrapped);

    const output = format(input, wrapped);
    expect(output).toBe(input);
    expect(output.extensions).toStrictEqual({ code: 'NOT_FOUND', upstreamStatus: 404, upstreamType: 'NotFound' });
    expect(output.message).toBe('Not found: Organization was not found');
    expect(lines).toHaveLength(0);
  });

  test('a GatewayError loses only the stacktrace extension', () => {
    const format = maskUnexpectedErrors(capturingLogger().logger);
    const error = new UpstreamTimeoutError('The upstream did not answer in time');
    const output = format(formatted(error, { stacktrace: ['UpstreamTimeoutError: ...', '    at call'] }), error);
    expect(output.extensions).toStrictEqual({ code: 'UPSTREAM_TIMEOUT' });
    expect(output.message).toBe('The upstream did not answer in time');
  });

  test('a plain Error in a resolver becomes INTERNAL_SERVER_ERROR with a logged correlation id', () => {
    const { logger, lines } = capturingLogger();
    const format = maskUnexpectedErrors(logger);
    const wrapped = resolverError(new TypeError("Cannot read properties of undefined (reading 'email')"));
    const input = formatted(wrapped, { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['TypeError: Cannot read', '    at resolver'] });

    const output = format(input, wrapped);

    const correlationId = output.extensions?.correlationId;
    expect(typeof correlationId).toBe('string');
    expect(correlationId).toMatch(UUID);
    expect(output).toStrictEqual({
      message: `Internal server error (correlation id ${String(correlationId)})`,
      locations: input.locations,
      path: ['orgInvites', 'items', 0],
      extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId },
    });
    expect(JSON.stringify(output)).not.toContain('email');

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      correlationId,
      path: ['orgInvites', 'items', 0],
      msg: 'unexpected error masked for the client',
      err: { message: "Cannot read properties of undefined (reading 'email')" },
    });
    expect(String((lines[0].err as { stack: string }).stack)).toContain('TypeError');
  });

  test('each masked error gets its own correlation id', () => {
    const { logger, lines } = capturingLogger();
    const format = maskUnexpectedErrors(logger);
    const first = resolverError(new Error('one'));
    const second = resolverError(new Error('two'));
    const a = format(formatted(first), first).extensions?.correlationId;
    const b = format(formatted(second), second).extensions?.correlationId;
    expect(a).not.toBe(b);
    expect(lines.map((line) => line.correlationId)).toEqual([a, b]);
  });

  test('redacts tokens from the logged message and stack', () => {
    const { logger, lines } = capturingLogger();
    const format = maskUnexpectedErrors(logger);
    const wrapped = resolverError(new Error('request with Bearer sekrit-token-value failed'));
    format(formatted(wrapped), wrapped);
    expect(JSON.stringify(lines)).not.toContain('sekrit-token-value');
    expect(lines[0]).toMatchObject({ err: { message: 'request with Bearer [REDACTED] failed' } });
  });

  test('a non-Error thrown value is masked and logged too', () => {
    const { logger, lines } = capturingLogger();
    const format = maskUnexpectedErrors(logger);
    const wrapped = resolverError('just a string');
    const output = format(formatted(wrapped), wrapped);
    expect(output.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(output.message).not.toContain('just a string');
    expect(lines[0]).toMatchObject({ correlationId: output.extensions?.correlationId, err: { message: 'just a string' } });
  });

  test('a resolver error that only claims a request error code is still masked', () => {
    const { logger } = capturingLogger();
    const format = maskUnexpectedErrors(logger);
    const error = new GraphQLError('internal detail', { path: ['orgInvites'], extensions: { code: 'BAD_USER_INPUT' } });
    const output = format(formatted(error), error);
    expect(output.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(output.message).not.toContain('internal detail');
  });

  test.each(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST'])(
    'request error %s without a path passes unmasked, without stacktrace',
    (code) => {
      const { logger, lines } = capturingLogger();
      const format = maskUnexpectedErrors(logger);
      const error = new GraphQLError('Cannot query field "nope" on type "Query".', { extensions: { code } });
      const input: GraphQLFormattedError = {
        message: error.message,
        locations: [{ line: 1, column: 3 }],
        extensions: { code, stacktrace: ['GraphQLError: Cannot query field'] },
      };
      const output = format(input, error);
      expect(output).toStrictEqual({ message: error.message, locations: [{ line: 1, column: 3 }], extensions: { code } });
      expect(lines).toHaveLength(0);
    },
  );

  test('works with any logger that has error()', () => {
    const calls: unknown[][] = [];
    const fake = { error: (...args: unknown[]) => calls.push(args) } as unknown as Logger;
    const format = maskUnexpectedErrors(fake);
    const wrapped = resolverError(new Error('boom'));
    const output = format(formatted(wrapped), wrapped);
    expect(calls).toHaveLength(1);
    expect(calls[0][0]).toMatchObject({ correlationId: output.extensions?.correlationId });
  });
});

describe('maskUnexpectedErrors: input graphql-js refuses itself', () => {
  const schema = buildSchema(`
    type Query { field(a: Int! = 1): Int, count: Int, pet: Pet }
    interface Pet { name: String }
    type Cat implements Pet { name: String }
  `);
  const rootValue = { field: 1, count: 'many', pet: { name: 'Tom' } };

  /** The errors graphql-js's interpreter returns for `source`, as Apollo hands them to formatError. */
  function executionErrors(source: string, variableValues: Record<string, unknown> = {}): readonly GraphQLError[] {
    const result = execute({ schema, document: parse(source), rootValue, variableValues });
    if (result instanceof Promise) throw new Error('expected a synchronous result');
    return result.errors ?? [];
  }

  function variableErrors(source: string, inputs: Record<string, unknown>, maxErrors: number): readonly GraphQLError[] {
    const operation = parse(source).definitions[0] as OperationDefinitionNode;
    const result = getVariableValues(schema, operation.variableDefinitions ?? [], inputs, { maxErrors });
    return result.errors ?? [];
  }

  /** The same error with another message: what a graphql release that rewords its messages would raise. */
  function reworded(error: GraphQLError): GraphQLError {
    const inner = error.path && error.originalError instanceof GraphQLError ? error.originalError : error;
    const rewritten = new GraphQLError('Reworded by a later graphql release', { nodes: inner.nodes, originalError: inner.originalError });
    return error.path ? locatedError(rewritten, error.nodes, error.path) : rewritten;
  }

  /** What Apollo gives formatError: the error's JSON, with INTERNAL_SERVER_ERROR where it has no code. */
  function apolloFormatted(error: GraphQLError): GraphQLFormattedError {
    return formatted(error, { code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR' });
  }

  const cases: Array<[string, () => GraphQLError]> = [
    ['an explicit null for a non-null argument with a default', () => executionErrors('query($v: Int) { field(a: $v) }', { v: null })[0]],
    ['an explicit null for @include(if:)', () => executionErrors('query($v: Boolean) { count @include(if: $v) }', { v: null })[0]],
    ['the cap on variable errors', () => variableErrors('query($a: Int!, $b: Int!) { field }', { a: 'x', b: 'y' }, 1).at(-1)!],
    ['a variable that does not coerce', () => variableErrors('query($a: Int!) { field }', { a: 'x' }, 50)[0]],
  ];

  test.each(cases)('%s is BAD_USER_INPUT with its message, and logs nothing', (_name, make) => {
    const { logger, lines } = capturingLogger();
    const error = make();
    const output = maskUnexpectedErrors(logger)(apolloFormatted(error), error);
    expect(output.extensions).toStrictEqual({ code: 'BAD_USER_INPUT' });
    expect(output.message).toBe(error.message);
    expect(lines).toHaveLength(0);
  });

  test.each(cases)('%s is still BAD_USER_INPUT when graphql rewords its message', (_name, make) => {
    const error = reworded(make());
    const output = maskUnexpectedErrors(capturingLogger().logger)(apolloFormatted(error), error);
    expect(output.extensions).toStrictEqual({ code: 'BAD_USER_INPUT' });
    expect(output.message).toBe('Reworded by a later graphql release');
  });

  test.each<[string, () => GraphQLError]>([
    ['a value the schema cannot serialise', () => executionErrors('{ count }')[0]],
    ['an abstract type that cannot be resolved', () => executionErrors('{ pet { name } }')[0]],
  ])('an output fault (%s) is masked, whatever its message', (_name, make) => {
    for (const error of [make(), reworded(make())]) {
      const { logger, lines } = capturingLogger();
      const output = maskUnexpectedErrors(logger)(apolloFormatted(error), error);
      expect(output.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(lines).toHaveLength(1);
    }
  });
});

describe('maskUnexpectedErrors: only the exact shapes of graphql-js input errors count as bad input', () => {
  // Nodes of each kind the rule looks at, taken from one parsed operation.
  const operation = parse('query($v: Int, $w: Int) { field(a: 1) }').definitions[0] as OperationDefinitionNode;
  const [variableDefinition, otherVariableDefinition] = operation.variableDefinitions!;
  const field = operation.selectionSet.selections[0] as FieldNode;
  const value = field.arguments![0].value;
  const cause = new Error('a scalar parser failed');

  /** What formatError gets for `error`: at request level (no path) or under a field (`atField`). */
  function formattedAt(error: GraphQLError, atField: boolean): GraphQLFormattedError {
    const json = error.toJSON();
    return {
      ...json,
      ...(atField ? { path: ['field'] } : {}),
      extensions: { ...json.extensions, code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR' },
    };
  }

  const codeOf = (error: GraphQLError, atField: boolean) =>
    maskUnexpectedErrors(capturingLogger().logger)(formattedAt(error, atField), error).extensions?.code;

  test.each<[string, GraphQLError, boolean]>([
    [
      'variable definitions only, with a cause, at request level',
      new GraphQLError('v', { nodes: [variableDefinition, otherVariableDefinition], originalError: cause }),
      false,
    ],
    ['value nodes only, without a cause, under a field', new GraphQLError('v', { nodes: [value] }), true],
    ['no nodes and no cause, at request level', new GraphQLError('v'), false],
  ])('bad input: %s', (_name, error, atField) => {
    expect(codeOf(error, atField)).toBe('BAD_USER_INPUT');
  });

  test.each<[string, GraphQLError, boolean]>([
    [
      'variable definitions under a field (some field had run)',
      new GraphQLError('v', { nodes: [variableDefinition], originalError: cause }),
      true,
    ],
    ['a variable definition beside a field node, at request level', new GraphQLError('v', { nodes: [variableDefinition, field] }), false],
    ['a field node with a cause, at request level', new GraphQLError('v', { nodes: [field], originalError: cause }), false],
    ['no nodes but a cause, at request level', new GraphQLError('v', { originalError: cause }), false],
    [
      'a value node with a cause (a resolver fault pointing at an argument)',
      new GraphQLError('v', { nodes: [value], originalError: cause }),
      true,
    ],
    ['a value node beside a field node, without a cause', new GraphQLError('v', { nodes: [value, field] }), true],
    ['a value node, but a path of its own', new GraphQLError('v', { nodes: [value], path: ['field'] }), true],
    ['no nodes, at request level, but a code of its own', new GraphQLError('v', { extensions: { code: 'SOMETHING_ELSE' } }), false],
    ['no nodes and no cause, under a field', new GraphQLError('v'), true],
  ])('masked: %s', (_name, error, atField) => {
    expect(codeOf(error, atField)).toBe('INTERNAL_SERVER_ERROR');
  });

  test('a plain Error, formatted without any extensions, is masked', () => {
    const error = new Error('plain');
    const output = maskUnexpectedErrors(capturingLogger().logger)({ message: 'plain' }, error);
    expect(output.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });
});
