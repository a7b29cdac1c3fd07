import { buildGatewaySchema } from '../../src/graphql/buildGatewaySchema';
import { REST_MAPPED_ENUMS } from '../../src/graphql/enums';
import orgInvitePost from '../../src/contract/schemas/orgInvitePost.json';
import apiInfo from '../../src/contract/schemas/apiInfo.instanceOrgInvites.json';
import { GraphQLEnumType } from 'graphql';
import { ErrorCode } from '../../src/errors/errorCode';

/** Each GraphQL enum against the contract: same set of REST values, and each maps back to one name. */
const getParams = apiInfo.instanceOrgInvites.actions.get.params;
const contractValues: Record<keyof typeof REST_MAPPED_ENUMS, string[]> = {
  OrgRole: orgInvitePost.properties.role.enum,
  ResourceRole: orgInvitePost.properties.applicationRoles.items.properties.role.enum,
  InviteSortField: getParams.find((p) => p.name === 'sortField')!.enum!,
  SortDirection: getParams.find((p) => p.name === 'sortDirection')!.enum!,
  InviteFilterField: getParams.find((p) => p.name === 'filterField')!.enum!,
};

describe.each(Object.keys(REST_MAPPED_ENUMS) as Array<keyof typeof REST_MAPPED_ENUMS>)('%s', (name) => {
  test('its values are exactly the contract’s, and round-trip through the schema', async () => {
    const schema = await buildGatewaySchema();
    const type = schema.getType(name) as GraphQLEnumType;
    const restValues = type.getValues().map((value) => value.value as string);
    expect([...restValues].sort()).toEqual([...contractValues[name]].sort());
    for (const value of type.getValues()) {
      // GraphQL name → REST value (parse) → GraphQL name (serialize)
      expect(value.name).toMatch(/^[A-Z][A-Z_]*$/);
      expect(type.serialize(type.parseValue(value.name))).toBe(value.name);
      expect(type.parseValue(value.name)).toBe(value.value);
    }
  });
});

test('ErrorCode is in the schema with every code', async () => {
  const schema = await buildGatewaySchema();
  const type = schema.getType('ErrorCode') as GraphQLEnumType;
  expect(type.getValues().map((v) => v.name).sort()).toEqual(Object.values(ErrorCode).sort());
  expect(type.getValues().every((v) => v.description)).toBe(true);
});
