import fc from 'fast-check';
import type {
  InviteFilterFieldValue,
  InviteSortFieldValue,
  OrgInviteDto,
  OrgRoleValue,
  SortDirectionValue,
} from '../../../src/contract/types';
import { InviteFilterField, InviteSortField, SortDirection } from '../../../src/graphql/enums';
import { readInviteConnection } from '../../../src/graphql/inviteReads';
import { filterInvites } from '../../../src/simulator/listing';
import { ModelUpstream, type TieOrder } from './ModelUpstream';

/*
 * Walks a whole connection page by page, forwards or backwards, through the gateway's read path
 * (`readInviteConnection`: argument checks, cursors, the loader, ordering and slicing) over an
 * in-memory upstream, while invites are added and revoked between pages. Whatever the sort, the
 * direction, the filter, the page size and the way the upstream breaks ties, no invite is seen
 * twice, every invite that matched and stayed for the whole walk is seen, and they come in the
 * list's order.
 */

/** Runs per property; PROPERTY_RUNS_SCALE=0.1 for a quick pass, 5 for a long one. FC_SEED replays a reported seed. */
const SCALE = Number(process.env.PROPERTY_RUNS_SCALE ?? '1');
const RUNS = Math.max(1, Math.round(500 * SCALE));
const SEED = process.env.FC_SEED !== undefined ? { seed: Number(process.env.FC_SEED) } : {};

jest.setTimeout(120_000);

const ORG = { instanceId: '5f1e0a9b2c3d4e5f60718293', orgId: '5f1e0a9b2c3d4e5f60718294' };
const DAY = 24 * 60 * 60 * 1000;
const ROLES: OrgRoleValue[] = ['admin', 'edit', 'collaborate', 'view', 'none'];
const SORT_FIELDS: Record<InviteSortFieldValue, InviteSortField> = {
  email: InviteSortField.EMAIL,
  role: InviteSortField.ROLE,
  inviteDate: InviteSortField.INVITE_DATE,
};
const FILTER_FIELDS: Record<InviteFilterFieldValue, InviteFilterField> = { email: InviteFilterField.EMAIL, role: InviteFilterField.ROLE };

interface InviteTraits {
  readonly email: string;
  readonly role: OrgRoleValue;
  readonly days: number;
}

/** Few distinct values, so that equal sort keys (ties) are common under every sort. */
const traits: fc.Arbitrary<InviteTraits> = fc.record({
  email: fc
    .tuple(fc.constantFrom('a', 'b', 'Ab', 'zed', 'ada'), fc.constantFrom('@x.org', '@y.com'))
    .map(([local, domain]) => local + domain),
  role: fc.constantFrom(...ROLES),
  days: fc.integer({ min: 0, max: 4 }),
});

type Change = { readonly kind: 'add'; readonly traits: InviteTraits } | { readonly kind: 'revoke'; readonly pick: number };
const change: fc.Arbitrary<Change> = fc.oneof(
  traits.map((t) => ({ kind: 'add' as const, traits: t })),
  fc.nat().map((pick) => ({ kind: 'revoke' as const, pick })),
);

const FILTERS: ReadonlyArray<{ field: InviteFilterFieldValue; pattern: string } | null> = [
  null,
  { field: 'role', pattern: 'view' },
  { field: 'role', pattern: '*i*' },
  { field: 'email', pattern: '*@x.org' },
  { field: 'email', pattern: 'a*' },
];

const walk = fc.record({
  initial: fc.array(traits, { minLength: 4, maxLength: 40 }),
  sortField: fc.constantFrom<InviteSortFieldValue>('email', 'role', 'inviteDate'),
  direction: fc.constantFrom<SortDirectionValue>('asc', 'desc'),
  filter: fc.constantFrom(...FILTERS),
  pageSize: fc.integer({ min: 1, max: 4 }),
  tieOrder: fc.constantFrom<TieOrder>('byId', 'shuffled'),
  tieSeed: fc.integer({ min: 1, max: 0x7fffffff }),
  // Changes made before the 1st, 2nd, … page after the first; none after them, so walks end.
  changes: fc.array(fc.array(change, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 }),
});
type Walk = typeof walk extends fc.Arbitrary<infer T> ? T : never;

let counter = 0;
function invite(t: InviteTraits): OrgInviteDto {
  counter++;
  return {
    id: counter.toString(16).padStart(24, '0'),
    email: t.email,
    role: t.role,
    applicationRoles: [],
    dashboardRoles: [],
    inviteDate: new Date(Date.UTC(2026, 0, 1) + t.days * DAY).toISOString(),
    ttl: 7 * DAY,
    hasExpired: false,
    disallowTransfer: false,
  };
}

/** The order written out independently of the gateway's: the key in the direction, then the id ascending. */
function inOrder(a: OrgInviteDto, b: OrgInviteDto, sortField: InviteSortFieldValue, direction: SortDirectionValue): boolean {
  const key = (i: OrgInviteDto) => (sortField === 'inviteDate' ? Date.parse(i.inviteDate) : i[sortField]);
  if (key(a) !== key(b)) return direction === 'asc' ? key(a) < key(b) : key(a) > key(b);
  return a.id < b.id;
}

const tally = { walks: 0, pages: 0, changes: 0 };
afterAll(() => {
  console.log(`connection walks: ${JSON.stringify(tally)}`);
});

/** Pages through the whole list, changing it between pages, and checks what was seen. */
async function pageThrough(w: Walk, backwards: boolean): Promise<void> {
  const model = new ModelUpstream(w.tieOrder, w.tieSeed);
  model.invites.push(...w.initial.map(invite));
  // Every invite the walk ever held, revoked ones included, to read a seen invite's keys from.
  const everHeld = new Map(model.invites.map((i) => [i.id, i]));
  const matching = (invites: readonly OrgInviteDto[]) => filterInvites(invites, w.filter?.field, w.filter?.pattern);
  const atStart = new Map(matching(model.invites).map((i) => [i.id, i]));
  const revoked = new Set<string>();
  const listArgs = {
    sortField: SORT_FIELDS[w.sortField],
    sortDirection: w.direction === 'asc' ? SortDirection.ASC : SortDirection.DESC,
    filterField: w.filter ? FILTER_FIELDS[w.filter.field] : null,
    filter: w.filter?.pattern ?? null,
  };

  const pages: OrgInviteDto[][] = [];
  let cursor: string | null = null;
  for (let step = 0; ; step++) {
    if (step > 0) {
      for (const c of w.changes[step - 1] ?? []) {
        tally.changes++;
        if (c.kind === 'add') {
          const added = invite(c.traits);
          model.invites.push(added);
          everHeld.set(added.id, added);
        } else if (model.invites.length > 0) revoked.add(model.invites.splice(c.pick % model.invites.length, 1)[0].id);
      }
    }
    if (step > 200) throw new Error('the walk does not end');
    const pageArgs = backwards ? { last: w.pageSize, before: cursor } : { first: w.pageSize, after: cursor };
    const page = await readInviteConnection(model.context(), { ...ORG, ...listArgs, ...pageArgs });
    tally.pages++;
    expect(page.totalCount).toBe(matching(model.invites).length);
    const ids = page.edges.map((edge) => edge.node.id);
    const invites = ids.map((id) => everHeld.get(id)!);
    if (backwards) pages.unshift(invites);
    else pages.push(invites);
    const more = backwards ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
    if (!more) break;
    expect(page.edges.length).toBe(w.pageSize);
    cursor = backwards ? page.pageInfo.startCursor : page.pageInfo.endCursor;
  }

  const seen = pages.flat();
  const seenIds = seen.map((i) => i.id);
  // Never repeats.
  expect(new Set(seenIds).size).toBe(seenIds.length);
  // Never skips one that stayed.
  const stayed = [...atStart.keys()].filter((id) => !revoked.has(id));
  const seenSet = new Set(seenIds);
  expect(stayed.filter((id) => !seenSet.has(id))).toEqual([]);
  // In the list's order throughout.
  for (let i = 1; i < seen.length; i++) expect(inOrder(seen[i - 1], seen[i], w.sortField, w.direction)).toBe(true);
  tally.walks++;
}

test.each([
  ['forwards (first/after)', false],
  ['backwards (last/before)', true],
])('paging %s never repeats or skips an invite that stayed, while others are added and revoked', async (_name, backwards) => {
  await fc.assert(
    fc.asyncProperty(walk, (w) => pageThrough(w, backwards)),
    { numRuns: RUNS, ...SEED },
  );
});
