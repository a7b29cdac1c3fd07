import { ApolloServerValidationErrorCode } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { explainIntrospectionOff, INTROSPECTION_OFF_MESSAGE } from '../../src/errors/introspectionOff';

/** The next step of formatError: hands back what it was given, so the test sees what the step passed on. */
const passOn = (formatted: GraphQLFormattedError): GraphQLFormattedError => formatted;

describe('explainIntrospectionOff', () => {
  test("Apollo's introspection refusal names the INTROSPECTION setting; its code and locations stay", () => {
    const refused: GraphQLFormattedError = {
      message:
        'GraphQL introspection is not allowed by Apollo Server, but the query contained __schema or __type. To enable introspection, pass introspection: true to ApolloServer in production',
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', validationErrorCode: ApolloServerValidationErrorCode.INTROSPECTION_DISABLED },
    };
    expect(explainIntrospectionOff(passOn)(refused, undefined)).toEqual({ ...refused, message: INTROSPECTION_OFF_MESSAGE });
  });

  test('any other error, with or without extensions, is passed on as it is', () => {
    const other: GraphQLFormattedError = {
      message: 'Cannot query field "x" on type "Query".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    };
    const bare: GraphQLFormattedError = { message: 'no extensions at all' };
    expect(explainIntrospectionOff(passOn)(other, undefined)).toBe(other);
    expect(explainIntrospectionOff(passOn)(bare, undefined)).toBe(bare);
  });
});
