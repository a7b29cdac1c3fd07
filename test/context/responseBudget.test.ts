import { ResponseBudget } from '../../src/context/responseBudget';
import { ErrorCode } from '../../src/errors/errorCode';
import { GatewayError } from '../../src/errors/gatewayErrors';
import { thrownBy } from '../support/thrown';

const thrown = (action: () => void): GatewayError => thrownBy(action, GatewayError);

test('lists add up to the limit; the one that would pass it is refused and not counted', () => {
  const budget = new ResponseBudget(10, Date.now() + 60_000);
  budget.carry(6);
  budget.carry(4);
  const refusal = thrown(() => budget.carry(1));
  expect(refusal.extensions).toMatchObject({ code: ErrorCode.RESPONSE_TOO_LARGE, limit: 'items', max: 10, actual: 11 });
  // Had the refused list been counted, the next refusal would say 12.
  expect(thrown(() => budget.carry(1)).extensions).toMatchObject({ actual: 11 });
  budget.carry(0);
});

test('an answer finished past the deadline is replaced, unless it is kept or was built at once after a list that arrived late', () => {
  const deadline = Date.now();
  const late = deadline + 1000;
  expect(new ResponseBudget(10, deadline).replacesLateAnswer(late)).toBe(true);
  // Scheduling noise is not lateness.
  expect(new ResponseBudget(10, deadline).replacesLateAnswer(deadline + 1)).toBe(false);
  expect(new ResponseBudget(10, deadline).replacesLateAnswer(deadline - 1)).toBe(false);

  const arrivedInTime = new ResponseBudget(10, deadline);
  arrivedInTime.listArrived(deadline - 1);
  expect(arrivedInTime.replacesLateAnswer(late)).toBe(true);
  // A list that came late: its answer is late only if building it then took more than jitter.
  const arrivedLate = new ResponseBudget(10, deadline);
  arrivedLate.listArrived(late - 50);
  expect(arrivedLate.replacesLateAnswer(late)).toBe(false);
  const builtSlowlyAfterLateArrival = new ResponseBudget(10, deadline);
  builtSlowlyAfterLateArrival.listArrived(deadline + 10);
  expect(builtSlowlyAfterLateArrival.replacesLateAnswer(late)).toBe(true);
  const kept = new ResponseBudget(10, deadline);
  kept.keepLateAnswer();
  expect(kept.replacesLateAnswer(late)).toBe(false);
});

test('the answer counts as replaced already only when every operation of it was', () => {
  const budget = new ResponseBudget(10, Date.now());
  expect(budget.lateAnswerReplaced).toBe(false);
  budget.answerSeen(true);
  expect(budget.lateAnswerReplaced).toBe(true);
  // A batch one of whose operations was sent as built: the serialised answer is checked again.
  budget.answerSeen(false);
  expect(budget.lateAnswerReplaced).toBe(false);
});
