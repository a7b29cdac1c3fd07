/**
 * Typed operations for frontends: one import for the typed documents of `schema/operations`, their
 * result and variable types, every schema enum (including `ErrorCode`) and a guard for error codes.
 * `generated/` is written by `npm run codegen`; only this file is hand-written. Relative imports end
 * in `.js`, as Node needs them in the ESM build (TypeScript maps each to its `.ts` file).
 */
import { ErrorCode } from './generated/enums.js';

// enums.ts holds every enum; graphql.ts re-exports the ones its operations use (the same
// bindings, so the two `export *` do not conflict).
export * from './generated/enums.js';
export * from './generated/graphql.js';
export type { ResultOf, TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';

/** One entry of `errors` in a response from the gateway. */
export interface GatewayError {
  readonly message: string;
  readonly path?: ReadonlyArray<string | number>;
  /** `code` is unknown until checked: a proxy in between may add errors of its own. */
  readonly extensions?: { readonly code?: unknown; readonly [key: string]: unknown };
}

/** The JSON body of a response from the gateway for an operation whose result is `TData`. */
export interface GatewayResponse<TData> {
  readonly data?: TData | null;
  readonly errors?: ReadonlyArray<GatewayError>;
}

const ERROR_CODES: ReadonlySet<unknown> = new Set<unknown>(Object.values(ErrorCode));

/** Whether `value` is one of the documented `ErrorCode`s, so a `switch` over it is exhaustive. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return ERROR_CODES.has(value);
}

/** The `ErrorCode` of an error, or `undefined` when it carries none the gateway documents. */
export function errorCodeOf(error: GatewayError): ErrorCode | undefined {
  const code = error.extensions?.code;
  return isErrorCode(code) ? code : undefined;
}
