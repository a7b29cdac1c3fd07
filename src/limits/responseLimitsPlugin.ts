import type { ApolloServerPlugin } from '@apollo/server';
import { OperationTypeNode } from 'graphql';
import { lateAnswer } from '../context/responseBudget';
import type { GatewayContext } from '../context/gatewayContext';
import { ErrorCode } from '../errors/errorCode';
import type { GatewayLimit } from '../errors/gatewayErrors';

const OPERATION_TIMEOUT: GatewayLimit = 'OPERATION_TIMEOUT_MS';

/**
 * Bounds each operation's answer before Apollo serialises it:
 * - A query some of whose lists were refused for `MAX_RESPONSE_ITEMS` answers that one error and
 *   no data: the lists that did fit would be an arbitrary part of what was asked for.
 * - An answer whose deadline (`OPERATION_TIMEOUT_MS`) passed while it was built is replaced by a
 *   timeout error rather than serialised late; unless its errors already report the spent budget
 *   at their paths (an upstream call the deadline cut short), so the fields answered in time stay.
 * A mutation's answer is left whole: it says whether the write happened, which the client needs
 * more than a bound on its size (mutations read at most the lists their payload asks for).
 * Registered before the observability plugin, so its log line and metrics see the final answer.
 */
export function responseLimitsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === OperationTypeNode.MUTATION) contextValue.responseBudget.keepLateAnswer();
        },
        async willSendResponse({ response, operation, contextValue }) {
          const budget = contextValue.responseBudget;
          if (response.body.kind !== 'single' || operation?.operation === OperationTypeNode.MUTATION) return budget.answerSeen(false);
          const { singleResult } = response.body;
          const tooLarge = singleResult.errors?.find((error) => error.extensions?.code === ErrorCode.RESPONSE_TOO_LARGE);
          if (tooLarge) {
            response.body.singleResult = { errors: [tooLarge] };
            return budget.answerSeen(false);
          }
          if (singleResult.errors?.some((error) => error.extensions?.gatewayLimit === OPERATION_TIMEOUT)) budget.keepLateAnswer();
          const late = singleResult.data != null && budget.replacesLateAnswer();
          if (late) response.body.singleResult = { errors: [lateAnswer().toJSON()] };
          // Said to the budget, so `boundedResponse` does not replace this error by itself again.
          budget.answerSeen(late);
        },
      };
    },
  };
}
