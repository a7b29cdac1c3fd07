import { matches, selectors } from './promql';

describe('selectors', () => {
  test('finds the metrics and matchers of an expression, not its functions, label lists, ranges or keywords', () => {
    expect(selectors('sum(up{job="invites-gateway"}) == 0 or absent(up{job="invites-gateway"})')).toEqual([
      { metric: 'up', matchers: [{ label: 'job', op: '=', value: 'invites-gateway' }] },
      { metric: 'up', matchers: [{ label: 'job', op: '=', value: 'invites-gateway' }] },
    ]);
    expect(selectors('histogram_quantile(0.99, sum by (le, action) (rate(a_bucket{job=~"$job"}[$__rate_interval]))) > 2')).toEqual([
      { metric: 'a_bucket', matchers: [{ label: 'job', op: '=~', value: '$job' }] },
    ]);
    expect(selectors('sum(rate(x_total{status=~"5..|none"}[5m])) / ignoring(status) sum(rate(x_total[5m])) and on(instance) y')).toEqual([
      { metric: 'x_total', matchers: [{ label: 'status', op: '=~', value: '5..|none' }] },
      { metric: 'x_total', matchers: [] },
      { metric: 'y', matchers: [] },
    ]);
    expect(selectors('process_resident_memory_bytes')).toEqual([{ metric: 'process_resident_memory_bytes', matchers: [] }]);
  });

  test('matches labels as PromQL does, regular expressions anchored', () => {
    expect(matches({ status: '503' }, { label: 'status', op: '=~', value: '5..|none' })).toBe(true);
    expect(matches({ status: '1503' }, { label: 'status', op: '=~', value: '5..|none' })).toBe(false);
    expect(matches({}, { label: 'status', op: '!=', value: '200' })).toBe(true);
  });
});
