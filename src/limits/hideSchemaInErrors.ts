import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, introspectionTypes, Lexer, Source, specifiedDirectives, specifiedScalarTypes, TokenKind } from 'graphql';
import { GatewayError } from '../errors/gatewayErrors';

/** What stands in for a name the client did not send. */
export const HIDDEN_NAME = '<hidden>';

/** Names the GraphQL specification defines: naming them tells nothing about this schema. */
const SPEC_NAMES: ReadonlySet<string> = new Set([
  ...specifiedScalarTypes.map((type) => type.name),
  ...specifiedDirectives.flatMap((directive) => [directive.name, ...directive.args.map((arg) => arg.name)]),
  ...introspectionTypes.map((type) => type.name),
]);

/**
 * graphql-js ends a message with one suggestion sentence: `Did you mean "a" or "b"?`, `Did you mean the enum value "X"?`, `Did you mean to
 * use an inline fragment on "T"?`.
 */
const SUGGESTION = /\s*Did you mean (?:[^"?]|"(?:[^"\\]|\\.)*")*\?/g;
/** A double-quoted part of a message, escapes included (graphql-js quotes names, types and values this way). */
const QUOTED = /"((?:[^"\\]|\\.)*)"/g;
const NAME = /[_A-Za-z][_0-9A-Za-z]*/g;

/**
 * With introspection off, the schema is not the client's to explore, but graphql-js's request
 * errors describe it: "Did you mean …?" suggests fields, arguments, enum values and types, and
 * messages name the type a field was looked up on (`Cannot query field "x" on type "T"`), the enum
 * a value missed (`… does not exist in "SortField" enum`), or a required input field that was left
 * out. This plugin rewrites the messages of request errors (parse, validation, variable coercion;
 * not the gateway's own errors): the suggestion sentence goes, and every name inside quotes that
 * the client did not send itself (in the document or the variables) becomes `<hidden>`. Names the
 * GraphQL specification defines (`String`, `ID`, `include`, …) stay.
 *
 * graphql-armor's field-suggestion blocker masks only `Did you mean "…"` in validation errors; it
 * leaves enum-value and inline-fragment suggestions, the variable coercion messages, and the type
 * names, hence this.
 *
 * @param maxTokens the document is read for the names it holds up to this many tokens, as the
 *   parser did: a document cut off there cannot have named more in a later error.
 */
export function hideSchemaInErrorsPlugin(maxTokens: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, source, request }) {
          const exposed = errors.filter((error) => !raisedByGateway(error));
          if (exposed.length === 0) return;
          const sent = namesSent(source, request.variables, maxTokens);
          for (const error of exposed) error.message = hideUnsentNames(error.message, sent);
        },
      };
    },
  };
}

/** A message with its suggestion removed and the quoted names not in `sent` hidden. */
export function hideUnsentNames(message: string, sent: ReadonlySet<string>): string {
  return message
    .replace(SUGGESTION, '')
    .replace(
      QUOTED,
      (_quoted, inner: string) => `"${inner.replace(NAME, (name) => (sent.has(name) || SPEC_NAMES.has(name) ? name : HIDDEN_NAME))}"`,
    );
}

/** Every name in the document (names, and words inside string literals) and every key and string in the variables. */
export function namesSent(
  source: string | undefined,
  variables: Readonly<Record<string, unknown>> | undefined,
  maxTokens: number,
): Set<string> {
  const sent = new Set<string>();
  const addWords = (text: string): void => {
    for (const word of text.match(NAME) ?? []) sent.add(word);
  };
  if (source !== undefined) {
    const lexer = new Lexer(new Source(source));
    try {
      for (let count = 0; count <= maxTokens; count++) {
        const token = lexer.advance();
        if (token.kind === TokenKind.EOF) break;
        if (token.kind === TokenKind.NAME || token.kind === TokenKind.STRING || token.kind === TokenKind.BLOCK_STRING)
          addWords(token.value);
      }
    } catch {
      // A lexical error ends the document as the parser saw it.
    }
  }
  const pending: unknown[] = [variables];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') addWords(value);
    else if (Array.isArray(value)) for (const item of value) pending.push(item);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        addWords(key);
        pending.push(inner);
      }
    }
  }
  return sent;
}

function raisedByGateway(error: GraphQLError): boolean {
  for (let current: unknown = error; current instanceof Error; current = (current as { originalError?: unknown }).originalError) {
    if (current instanceof GatewayError) return true;
  }
  return false;
}
