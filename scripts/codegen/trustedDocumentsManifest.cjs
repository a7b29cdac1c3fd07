// GraphQL Code Generator plugin (see codegen.yml): the trusted-documents manifest of
// schema/operations, a JSON object from document id (`sha256:` and the hex SHA-256 of the text) to
// document text, which the gateway executes by id under TRUSTED_DOCUMENTS=allow|only.
//
// A client's hash is taken over the exact text it sends, so each operation is listed in the two
// shapes the committed typed documents travel in: as graphql's `print` writes them (fetch,
// graphql-request, any client sending `print(document)`), and as Apollo Client sends them, which
// adds `__typename` to every selection set below the root. The document of an operation is the one
// typed-document-node emits into client/generated/graphql.ts: the operation, then every fragment it
// uses, transitively, in the order they are declared.
'use strict';
const { createHash } = require('node:crypto');
const { Kind, print, visit } = require('graphql');
const { addTypenameToDocument } = require('@apollo/client/utilities');

/** Names of the fragments spread directly in a definition. */
function spreadNames(definition) {
  const names = new Set();
  visit(definition, { FragmentSpread: (spread) => void names.add(spread.name.value) });
  return names;
}

/** The operation and every fragment it needs, in declaration order. */
function executableDocument(operation, fragments) {
  const used = new Set();
  const pending = [...spreadNames(operation)];
  while (pending.length > 0) {
    const name = pending.pop();
    if (used.has(name)) continue;
    used.add(name);
    const fragment = fragments.find((candidate) => candidate.name.value === name);
    if (fragment) pending.push(...spreadNames(fragment));
  }
  return { kind: Kind.DOCUMENT, definitions: [operation, ...fragments.filter((fragment) => used.has(fragment.name.value))] };
}

const documentId = (text) => `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;

module.exports = {
  plugin(_schema, documents) {
    const definitions = documents.flatMap((file) => (file.document ? file.document.definitions : []));
    const fragments = definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
    const operations = definitions
      .filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
      .sort((a, b) => a.name.value.localeCompare(b.name.value, 'en'));
    const manifest = {};
    for (const operation of operations) {
      const document = executableDocument(operation, fragments);
      for (const text of [print(document), print(addTypenameToDocument(document))]) manifest[documentId(text)] = text;
    }
    return `${JSON.stringify(manifest, null, 2)}\n`;
  },
};
