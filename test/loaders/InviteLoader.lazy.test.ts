import type { OrgInviteCollectionDto, OrgInviteDto } from '../../src/contract/types';
import { InviteLoader } from '../../src/loaders/InviteLoader';
import type { InvitesApi, OrgRef } from '../../src/rest/invitesApi';

/** Counts the DataLoaders made, around the real class. */
const made: string[] = [];
jest.mock('dataloader', () => {
  const Real = jest.requireActual<typeof import('dataloader')>('dataloader');
  return class CountedDataLoader<K, V, C> extends Real<K, V, C> {
    constructor(...args: ConstructorParameters<typeof Real<K, V, C>>) {
      super(...args);
      made.push('loader');
    }
  };
});

const ORG: OrgRef = { instanceId: '5f1e0a9b2c3d4e5f60718293', orgId: '5f1e0a9b2c3d4e5f60718294' };
const credentials = { authorization: 'Bearer token-one' };

const api = {
  listInvites: async (org: OrgRef): Promise<OrgInviteCollectionDto> => ({
    items: [],
    count: 0,
    instanceId: org.instanceId,
    orgId: org.orgId,
  }),
  getInvite: async (): Promise<OrgInviteDto> => {
    throw new Error('not read here');
  },
} as unknown as InvitesApi;

beforeEach(() => {
  made.length = 0;
});

// A request's start-up objects live as long as it does; under load they outlive a scavenge and are
// promoted. A request that reads nothing pays for no DataLoader, one that only lists for one.
test('a request that reads nothing makes no DataLoader', () => {
  const loader = InviteLoader.forRequest(api, { requestId: 'r1' });
  loader.forOperation();
  expect(made).toHaveLength(0);
});

test('a request that only lists makes one DataLoader, shared by its operations', async () => {
  const loader = InviteLoader.forRequest(api, { requestId: 'r2' });
  await loader.loadInviteList({ org: ORG, query: {}, credentials });
  await loader.forOperation().loadInviteList({ org: ORG, query: {}, credentials });
  expect(made).toHaveLength(1);
  expect(loader.callCount).toBe(1);
});
