import { parse, validate } from 'graphql';
import { buildGatewaySchema } from '../../src/graphql/buildGatewaySchema';
import { documentLimitRules } from '../../src/limits/documentLimits';

/** The messages and extensions of what the document rules refuse in `source`, with every maximum at 1. */
async function refusals(source: string) {
  const errors = validate(await buildGatewaySchema(), parse(source), documentLimitRules({ maxDepth: 1, maxAliases: 1, maxDirectives: 1 }));
  return errors.map((error) => ({ message: error.message, extensions: error.extensions }));
}

describe('the document rules say which limit refused the document, and by how much', () => {
  test('depth', async () => {
    expect(await refusals('{ orgInvites(instanceId: "i", orgId: "o") { items { email } } }')).toEqual([
      {
        message: 'The operation is nested 3 levels deep; at most 1 are allowed',
        extensions: { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'depth', max: 1, actual: 3, http: { status: 400 } },
      },
    ]);
  });

  test('aliases, __typename included', async () => {
    expect(await refusals('{ a: __typename b: __typename }')).toEqual([
      {
        message: 'The operation uses 2 aliases; at most 1 are allowed',
        extensions: { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'aliases', max: 1, actual: 2, http: { status: 400 } },
      },
    ]);
  });

  test('directives', async () => {
    expect(await refusals('{ __typename @skip(if: false) @include(if: true) }')).toEqual([
      {
        message: 'The operation uses 2 directives; at most 1 are allowed',
        extensions: { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'directives', max: 1, actual: 2, http: { status: 400 } },
      },
    ]);
  });
});
