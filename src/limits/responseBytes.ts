import type { HTTPGraphQLResponse } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { lateAnswer, type ResponseBudget } from '../context/responseBudget';
import { ResponseTooLargeError } from '../errors/gatewayErrors';

/** Why a serialised answer was not sent: its size, or its deadline. */
export type Unsent = 'MAX_RESPONSE_BYTES' | 'OPERATION_TIMEOUT_MS';

/**
 * The last check of a serialised answer, whatever produced its bytes (data, errors, extensions
 * such as an inline trace, every operation of a batch): over `maxBytes`, or finished after the
 * request's deadline (unless the budget keeps it, see `keepLateAnswer`, or the response-limits
 * plugin already replaced every operation's answer before serialisation), it is replaced by one
 * small error. The item limit has already kept the answer from growing far past this; this
 * bounds what goes out.
 */
export function boundedResponse(
  response: HTTPGraphQLResponse,
  maxBytes: number,
  budget: ResponseBudget,
): { response: HTTPGraphQLResponse; unsent?: Unsent } {
  if (response.body.kind !== 'complete') return { response };
  const text = response.body.string;
  // UTF-8 takes at most three bytes per UTF-16 unit: most answers are judged without counting.
  const bytes = text.length * 3 > maxBytes ? Buffer.byteLength(text) : 0;
  if (bytes > maxBytes) {
    const error = new ResponseTooLargeError(`The answer is ${bytes} bytes; at most ${maxBytes} are sent`, 'bytes', maxBytes, bytes);
    // 400 as for the other limits; the HTTP layer answers it 200 under the legacy JSON type.
    return { response: replaced(response, 400, error), unsent: 'MAX_RESPONSE_BYTES' };
  }
  // An answer the response-limits plugin already replaced whole is that error: not replaced again.
  if (!budget.lateAnswerReplaced && budget.replacesLateAnswer())
    return { response: replaced(response, response.status ?? 200, lateAnswer()), unsent: 'OPERATION_TIMEOUT_MS' };
  return { response };
}

function replaced(response: HTTPGraphQLResponse, status: number, error: GraphQLError): HTTPGraphQLResponse {
  const { http: _status, ...extensions } = error.extensions;
  const formatted: GraphQLFormattedError = { message: error.message, extensions };
  return { status, headers: response.headers, body: { kind: 'complete', string: JSON.stringify({ errors: [formatted] }) } };
}
