import { createHash } from 'node:crypto';
import committed from '../../schema/trusted-documents.json';

/** `sha256:` and 64 lowercase hex digits, as codegen writes ids (the GraphQL-over-HTTP form). */
const DOCUMENT_ID = /^sha256:([0-9a-f]{64})$/;
/** The persisted-query hash: the same digest without the prefix, in either case. */
const BARE_HASH = /^[0-9a-fA-F]{64}$/;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The trusted documents: document text by the SHA-256 of that text. Built from the manifest codegen
 * writes (`schema/trusted-documents.json`); every entry is checked against its id, so a hand-edited
 * or corrupted manifest stops the gateway at start-up instead of running a document under another
 * document's id.
 */
export class TrustedDocumentManifest {
  private readonly byHash = new Map<string, string>();

  constructor(entries: Readonly<Record<string, unknown>>) {
    for (const [id, text] of Object.entries(entries)) {
      const hash = DOCUMENT_ID.exec(id)?.[1];
      if (hash === undefined)
        throw new Error(`Trusted-documents manifest: "${id}" is not a document id of the form sha256:<64 lowercase hex digits>`);
      if (typeof text !== 'string' || sha256Hex(text) !== hash)
        throw new Error(`Trusted-documents manifest: the document under ${id} does not hash to its id (run \`npm run codegen\`)`);
      this.byHash.set(hash, text);
    }
  }

  get size(): number {
    return this.byHash.size;
  }

  /**
   * The document with this id: `sha256:<hex>` (a `documentId`) or the bare hex digest (a
   * persisted-query `sha256Hash`), either case of hex digit.
   */
  documentFor(id: string): string | undefined {
    const hash = id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
    return BARE_HASH.test(hash) ? this.byHash.get(hash.toLowerCase()) : undefined;
  }

  /** Whether `text` is one of the documents, byte for byte; hashing tells, no parsing needed. */
  includes(text: string): boolean {
    return this.byHash.has(sha256Hex(text));
  }
}

/** The manifest of `schema/operations`, committed beside them and compiled into the build. */
export function committedTrustedDocuments(): TrustedDocumentManifest {
  return new TrustedDocumentManifest(committed);
}
