/**
 * The error `action` throws, checked to be a `type`; fails the test when it throws nothing. For
 * assertions on an error's fields, which `expect(...).toThrow` cannot reach.
 */
export function thrownBy<E extends Error>(action: () => unknown, type: { readonly prototype: E; readonly name: string }): E {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected a ${type.name}, nothing was thrown`);
}
