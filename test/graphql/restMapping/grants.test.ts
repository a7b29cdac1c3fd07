import { ResourceRole } from '../../../src/graphql/enums';
import { grantsToRest } from '../../../src/graphql/restMapping/grants';

const APP_ID = '5f1e0a9b2c3d4e5f607182a1';

describe('grantsToRest', () => {
  test('absent lists stay absent', () => {
    expect(grantsToRest(undefined)).toBeUndefined();
    expect(grantsToRest(null)).toBeUndefined();
  });

  test('copies grants into plain objects with only resourceId and the REST role', () => {
    const input = Object.assign(Object.create(null) as Record<string, unknown>, {
      resourceId: APP_ID,
      role: ResourceRole.VIEW,
      extra: true,
    });
    const grants = grantsToRest([input]);
    expect(grants).toStrictEqual([{ resourceId: APP_ID, role: 'view' }]);
    expect(Object.getPrototypeOf(grants?.[0])).toBe(Object.prototype);
  });

  test('keeps an empty list', () => {
    expect(grantsToRest([])).toEqual([]);
  });
});
