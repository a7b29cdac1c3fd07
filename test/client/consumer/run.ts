/*
 * The consumer's entry point when test/client/package.process.test.ts runs it against the packed package:
 * prints, as one JSON line, what the package gives at run time and which of its builds was loaded.
 */
import { print, type DocumentNode } from 'graphql';
import * as client from '../../../client/index.js';
import { messageFor } from './consumer.js';

const documents = Object.entries(client)
  .filter(([name]) => name.endsWith('Document') || name.endsWith('FragmentDoc'))
  .map(([name, document]) => [name, print(document as DocumentNode)]);

console.log(
  JSON.stringify({
    // '[object Module]' with no `default`: the ESM build; '[object Object]': the CommonJS one.
    namespace: Object.prototype.toString.call(client),
    hasDefault: 'default' in client,
    errorCodes: Object.values(client.ErrorCode),
    isErrorCode: [client.isErrorCode('FORBIDDEN'), client.isErrorCode('TEAPOT')],
    errorCodeOf: client.errorCodeOf({ message: 'Organization not found', extensions: { code: 'NOT_FOUND' } }),
    message: messageFor(client.ErrorCode.UNAUTHENTICATED),
    documents: Object.fromEntries(documents),
  }),
);
