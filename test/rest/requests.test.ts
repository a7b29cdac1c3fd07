import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ACCEPT_VERSION, flagsSearch, invitesPath, listInvitesSearch, upstreamHeaders } from '../../src/rest/requests';

const FLAGS = '_actions=false&_links=true&_embedded=true';

describe('invitesPath', () => {
  test('builds the list/invite path', () => {
    expect(invitesPath({ instanceId: '5f1e0a9b2c3d4e5f60718293', orgId: '5f1e0a9b2c3d4e5f60718294' })).toBe(
      '/instances/5f1e0a9b2c3d4e5f60718293/orgs/5f1e0a9b2c3d4e5f60718294/invites',
    );
  });

  test('percent-encodes ids so they cannot change the path', () => {
    expect(invitesPath({ instanceId: '../a/b', orgId: 'c d?x=1#y' })).toBe('/instances/..%2Fa%2Fb/orgs/c%20d%3Fx%3D1%23y/invites');
  });
});

describe('listInvitesSearch', () => {
  test('sends only the client flags when nothing is given', () => {
    expect(listInvitesSearch({})).toBe(FLAGS);
    expect(flagsSearch()).toBe(FLAGS);
  });

  test('sends the given parameters in a fixed order, then the flags', () => {
    expect(listInvitesSearch({ filter: 'ada', filterField: 'email', sortDirection: 'asc', sortField: 'email' })).toBe(
      `sortField=email&sortDirection=asc&filterField=email&filter=ada&${FLAGS}`,
    );
  });

  test('leaves out parameters that are undefined', () => {
    expect(listInvitesSearch({ sortField: 'role', sortDirection: undefined, filterField: undefined })).toBe(`sortField=role&${FLAGS}`);
  });

  test('encodes glob patterns and reserved characters so they round-trip', () => {
    const filter = '*@example.com & ?a=b#c+d';
    const search = listInvitesSearch({ filterField: 'email', filter });
    const params = new URLSearchParams(search);
    expect(params.get('filter')).toBe(filter);
    expect(params.get('filterField')).toBe('email');
    expect([...params.keys()]).toEqual(['filterField', 'filter', '_actions', '_links', '_embedded']);
  });
});

describe('upstreamHeaders', () => {
  test('sends the headers of the official clients, without Content-Type when there is no body', () => {
    expect(upstreamHeaders({ authorization: 'Bearer abc' }, false)).toStrictEqual({
      Accept: 'application/json',
      'Accept-Version': '^1.30.0',
      Authorization: 'Bearer abc',
    });
    expect(ACCEPT_VERSION).toBe('^1.30.0');
  });

  test('adds Content-Type with a body and losantdomain when given', () => {
    expect(upstreamHeaders({ authorization: 'Bearer abc', losantdomain: 'example.onlosant.com' }, true)).toStrictEqual({
      Accept: 'application/json',
      'Accept-Version': '^1.30.0',
      Authorization: 'Bearer abc',
      'Content-Type': 'application/json',
      losantdomain: 'example.onlosant.com',
    });
  });

  test('forwards the Authorization value verbatim and drops an empty losantdomain', () => {
    const headers = upstreamHeaders({ authorization: 'bearer  Odd.Token', losantdomain: '' }, false);
    expect(headers.Authorization).toBe('bearer  Odd.Token');
    expect(headers).not.toHaveProperty('losantdomain');
  });

  test("adds the W3C trace context of the call's trace, tracestate included, and nothing without one", () => {
    const spanContext = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
      traceState: new TraceState('vendor=opaque'),
    };
    const headers = upstreamHeaders({ authorization: 'Bearer abc' }, false, {
      requestId: 'req-1',
      trace: trace.setSpanContext(ROOT_CONTEXT, spanContext),
    });
    expect(headers).toMatchObject({
      'x-request-id': 'req-1',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'vendor=opaque',
    });
    expect(upstreamHeaders({ authorization: 'Bearer abc' }, false, { trace: ROOT_CONTEXT })).not.toHaveProperty('traceparent');
  });
});
