import { buildGatewaySchema } from '../../src/graphql/buildGatewaySchema';
import { REST_VALUE_TABLES } from '../../src/graphql/restEnums';
import * as restEnums from '../../src/graphql/restEnums';
import orgInvitePost from '../../src/contract/schemas/orgInvitePost.json';
import apiInfo from '../../src/contract/schemas/apiInfo.instanceOrgInvites.json';
import { GraphQLEnumType } from 'graphql';
import { ErrorCode } from '../../src/errors/errorCode';

/** Each GraphQL enum against the contract: its REST table covers exactly the contract's values, both ways. */
const getParams = apiInfo.instanceOrgInvites.actions.get.params;
const contractValues: Record<keyof typeof REST_VALUE_TABLES, string[]> = {
  OrgRole: orgInvitePost.properties.role.enum,
  ResourceRole: orgInvitePost.properties.applicationRoles.items.properties.role.enum,
  InviteSortField: getParams.find((p) => p.name === 'sortField')!.enum!,
  SortDirection: getParams.find((p) => p.name === 'sortDirection')!.enum!,
  InviteFilterField: getParams.find((p) => p.name === 'filterField')!.enum!,
};

const reverseTables: Record<keyof typeof REST_VALUE_TABLES, ReadonlyMap<string, string>> = {
  OrgRole: restEnums.ORG_ROLE_FROM_REST,
  ResourceRole: restEnums.RESOURCE_ROLE_FROM_REST,
  InviteSortField: restEnums.SORT_FIELD_FROM_REST,
  SortDirection: restEnums.SORT_DIRECTION_FROM_REST,
  InviteFilterField: restEnums.FILTER_FIELD_FROM_REST,
};

describe.each(Object.keys(REST_VALUE_TABLES) as Array<keyof typeof REST_VALUE_TABLES>)('%s', (name) => {
  test('maps every schema value to a distinct contract value and back', async () => {
    const schema = await buildGatewaySchema();
    const type = schema.getType(name) as GraphQLEnumType;
    const table = REST_VALUE_TABLES[name] as Readonly<Record<string, string>>;
    const names = type.getValues().map((value) => value.name);
    expect(Object.keys(table).sort()).toEqual([...names].sort());
    expect(Object.values(table).sort()).toEqual([...contractValues[name]].sort());
    for (const value of type.getValues()) {
      expect(value.name).toMatch(/^[A-Z][A-Z_]*$/);
      // GraphQL name → runtime value → REST value → GraphQL name
      const restValue = table[value.value as string];
      expect(reverseTables[name].get(restValue)).toBe(value.name);
      expect(type.serialize(reverseTables[name].get(restValue))).toBe(value.name);
    }
  });
});

test('ErrorCode is in the schema with every code', async () => {
  const schema = await buildGatewaySchema();
  const type = schema.getType('ErrorCode') as GraphQLEnumType;
  expect(
    type
      .getValues()
      .map((v) => v.name)
      .sort(),
  ).toEqual(Object.values(ErrorCode).sort());
  expect(type.getValues().every((v) => v.description)).toBe(true);
});
