import 'reflect-metadata';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema, Kind, parse, print } from 'graphql';
import { Arg, buildSchema, Directive, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { ASSUMED_LIST_SIZES, UPSTREAM_CALL_COST, withRouterDirectives } from '../../src/graphql/federation/routerDirectives';
import { CallsUpstream } from '../../src/limits/upstreamMarkers';
import { ACTION_SCOPES } from '../../src/rest/actionScopes';
import { UpstreamAction } from '../../src/rest/upstreamActions';

/**
 * The derivation of the router's directives on schemas written for the purpose: what the gateway's
 * own schema has none of yet (a Relay connection sizing its `edges` by slicing arguments, a list of
 * a type with no known bound). The gateway's own fields are held to their directives by
 * `test/limits/upstreamMarkers.test.ts` and `test/federation/supergraph.test.ts`.
 */

@ObjectType('ResourceRoleGrant')
class Grant {
  @Field()
  resourceId!: string;
}

@ObjectType()
class Widget {
  @Field()
  name!: string;
}

@ObjectType('OrgInvite')
class Invite {
  @Field()
  email!: string;

  @Field(() => [Grant])
  grants!: Grant[];
}

@ObjectType()
class InviteEdge {
  @Field()
  cursor!: string;

  @Field(() => Invite)
  node!: Invite;
}

@ObjectType()
class InviteConnection {
  @Field(() => [InviteEdge])
  edges!: InviteEdge[];
}

@Resolver()
class ConnectionResolver {
  @Query(() => InviteConnection)
  @Directive('@listSize(slicingArguments: ["first", "last"], sizedFields: ["edges"])')
  @CallsUpstream(UpstreamAction.listInvites)
  invitesConnection(
    @Arg('first', () => Int, { nullable: true }) _first?: number,
    @Arg('last', () => Int, { nullable: true }) _last?: number,
  ): InviteConnection {
    return { edges: [] };
  }

  @Query(() => [Invite])
  @CallsUpstream(UpstreamAction.listInvites)
  invites(): Invite[] {
    return [];
  }

  @Query(() => [Invite])
  @Directive('@listSize(assumedSize: 5)')
  latestInvites(): Invite[] {
    return [];
  }

  @Query(() => String)
  plain(): string {
    return '';
  }
}

@Resolver()
class UnboundedListResolver {
  @Query(() => [Widget])
  widgets(): Widget[] {
    return [];
  }
}

/** `Type.field`'s directives after the derivation, printed. */
function derived(schema: GraphQLSchema): (coordinate: string) => string[] {
  const document = withRouterDirectives(parse(printSchemaWithDirectives(schema)), schema);
  return (coordinate) => {
    const [typeName, fieldName] = coordinate.split('.');
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.name.value === typeName) {
        return (definition.fields?.find((field) => field.name.value === fieldName)?.directives ?? []).map(print);
      }
    }
    throw new Error(`no ${coordinate}`);
  };
}

const scopes = (action: UpstreamAction) => `@requiresScopes(scopes: [${ACTION_SCOPES[action].map((scope) => `["${scope}"]`).join(', ')}])`;

test('a field keeps the @listSize written on it, alone, and the edges a connection sizes get none of their own', async () => {
  const directivesOf = derived(await buildSchema({ resolvers: [ConnectionResolver], validate: false }));
  expect(directivesOf('Query.invitesConnection')).toEqual([
    '@listSize(slicingArguments: ["first", "last"], sizedFields: ["edges"])',
    `@cost(weight: ${UPSTREAM_CALL_COST})`,
    scopes(UpstreamAction.listInvites),
  ]);
  expect(directivesOf('InviteConnection.edges')).toEqual([]);
  expect(directivesOf('Query.latestInvites')).toEqual(['@listSize(assumedSize: 5)']);
});

test('a list field gets the assumed size of its element type, a field that calls its weight and scopes, others nothing', async () => {
  const directivesOf = derived(await buildSchema({ resolvers: [ConnectionResolver], validate: false }));
  expect(directivesOf('Query.invites')).toEqual([
    `@cost(weight: ${UPSTREAM_CALL_COST})`,
    scopes(UpstreamAction.listInvites),
    `@listSize(assumedSize: ${ASSUMED_LIST_SIZES.OrgInvite})`,
  ]);
  expect(directivesOf('Query.plain')).toEqual([]);
  expect(directivesOf('OrgInvite.email')).toEqual([]);
  expect(directivesOf('OrgInvite.grants')).toEqual([`@listSize(assumedSize: ${ASSUMED_LIST_SIZES.ResourceRoleGrant})`]);
});

test('a list of a type with no known bound fails the build, naming the field', async () => {
  const schema = await buildSchema({ resolvers: [UnboundedListResolver], validate: false });
  expect(() => withRouterDirectives(parse(printSchemaWithDirectives(schema)), schema)).toThrow('Query.widgets is a list of Widget');
});
