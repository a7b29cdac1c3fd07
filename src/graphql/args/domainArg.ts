import { Field } from 'type-graphql';

/**
 * Declares `losantdomain`, the last argument of every field that calls the upstream. A decorator
 * rather than a base class: type-graphql lists a base class's arguments before the subclass's own,
 * and this one comes after them.
 */
export function DomainArg(): ReturnType<typeof Field> {
  return Field(() => String, {
    nullable: true,
    description: 'Domain scope of request (rarely needed). Defaults to the `losantdomain` request header.',
  });
}
