import { Directive } from 'type-graphql';

/**
 * Federation's `@listSize` for a connection field: the page's `edges` hold at most `first` or
 * `last` invites, and one of them is always given (`pageRequestOf` refuses neither), so a
 * router's cost estimate of the page is exact rather than a guess.
 */
export function ConnectionListSize(): MethodDecorator & PropertyDecorator {
  return Directive('@listSize(slicingArguments: ["first", "last"], sizedFields: ["edges"], requireOneSlicingArgument: true)');
}
