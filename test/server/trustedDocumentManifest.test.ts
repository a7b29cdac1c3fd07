import { createHash } from 'node:crypto';
import { addTypenameToDocument } from '@apollo/client/utilities';
import { print, type DocumentNode } from 'graphql';
import * as generated from '../../client/generated/graphql';
import manifest from '../../schema/trusted-documents.json';
import { committedTrustedDocuments, TrustedDocumentManifest } from '../../src/server/trustedDocumentManifest';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Every typed document the client ships (`ListOrgInvitesDocument`, …). */
const typedDocuments = Object.entries(generated)
  .filter(([name]) => name.endsWith('Document'))
  .map(([name, document]) => [name, document as DocumentNode] as const);

describe('the committed manifest', () => {
  const trusted = committedTrustedDocuments();

  test('holds each typed document as print writes it and as Apollo Client sends it, and nothing else', () => {
    expect(typedDocuments.length).toBeGreaterThanOrEqual(6);
    for (const [name, document] of typedDocuments) {
      for (const text of [print(document), print(addTypenameToDocument(document))]) {
        expect([name, trusted.includes(text)]).toEqual([name, true]);
        expect([name, trusted.documentFor(`sha256:${sha256(text)}`)]).toEqual([name, text]);
      }
    }
    expect(Object.keys(manifest)).toHaveLength(2 * typedDocuments.length);
  });
});

describe('TrustedDocumentManifest', () => {
  const text = 'query A { __typename }';
  const id = `sha256:${sha256(text)}`;
  const trusted = new TrustedDocumentManifest({ [id]: text });

  test('finds a document by documentId or persisted-query hash, in either case of hex digit', () => {
    for (const form of [id, id.slice('sha256:'.length), id.slice('sha256:'.length).toUpperCase()])
      expect(trusted.documentFor(form)).toBe(text);
    for (const unknown of [`sha256:${sha256('query B { __typename }')}`, 'sha256:', 'md5:abc', `sha1:${id.slice(7)}`, `${id}0`])
      expect(trusted.documentFor(unknown)).toBeUndefined();
  });

  test('knows a document sent in full only byte for byte', () => {
    expect(trusted.includes(text)).toBe(true);
    expect(trusted.includes(`${text}\n`)).toBe(false);
    expect(trusted.includes('query A {__typename}')).toBe(false);
  });

  test('refuses a manifest whose id is malformed or does not hash its document', () => {
    expect(() => new TrustedDocumentManifest({ [id.slice('sha256:'.length)]: text })).toThrow(/not a document id/);
    expect(() => new TrustedDocumentManifest({ [id.toUpperCase()]: text })).toThrow(/not a document id/);
    expect(() => new TrustedDocumentManifest({ [id]: `${text} ` })).toThrow(/does not hash to its id/);
    expect(() => new TrustedDocumentManifest({ [id]: 42 })).toThrow(/does not hash to its id/);
  });
});
