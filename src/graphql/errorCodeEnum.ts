import { GraphQLEnumType } from 'graphql';
import { ERROR_CODE_DESCRIPTIONS, ErrorCode } from '../errors/errorCode';

/**
 * `ErrorCode` as a schema type. No field returns it (codes travel in `errors[].extensions.code`),
 * so type-graphql would leave it out; it is added to the schema by hand so that clients and code
 * generators see every code the gateway can send.
 */
export const ErrorCodeEnum = new GraphQLEnumType({
  name: 'ErrorCode',
  description:
    'Every value `errors[].extensions.code` can take in a response from this gateway. ' +
    'Codes are stable; docs/frontend.md says what a client should do with each.',
  values: Object.fromEntries(Object.values(ErrorCode).map((code) => [code, { value: code, description: ERROR_CODE_DESCRIPTIONS[code] }])),
});
