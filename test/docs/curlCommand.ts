import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** What a documented `curl` command asks for, read the way curl reads its options. */
export interface CurlRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

const run = promisify(execFile);

/**
 * Reads a documented `curl` command without needing curl on the machine: bash splits it into
 * words exactly as a reader's shell would (quotes, escapes, line continuations), and the few
 * options the docs use are read as curl reads them. Any other option is refused, so a command
 * this cannot replay faithfully fails the test rather than being replayed wrong.
 */
export async function readCurlCommand(command: string): Promise<CurlRequest> {
  const { stdout } = await run('bash', ['-c', `set -- ${command}\nprintf '%s\\0' "$@"`]);
  const words = stdout.split('\0').slice(0, -1);
  if (words[0] !== 'curl') throw new Error(`not a curl command: ${command}`);
  const headers: Record<string, string> = {};
  let url: string | undefined;
  let method: string | undefined;
  let body: string | undefined;
  for (let index = 1; index < words.length; index += 1) {
    const word = words[index];
    const value = (): string => {
      index += 1;
      if (index >= words.length) throw new Error(`${word} needs a value`);
      return words[index];
    };
    if (word === '-s' || word === '--silent') continue;
    else if (word === '-H' || word === '--header') {
      const header = value();
      const colon = header.indexOf(':');
      headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (word === '-d' || word === '--data' || word === '--data-raw') body = value();
    else if (word === '-X' || word === '--request') method = value();
    else if (!word.startsWith('-') && url === undefined) url = word;
    else throw new Error(`the docs' curl reader does not know ${word}`);
  }
  if (url === undefined) throw new Error(`no URL in ${command}`);
  // curl's defaults for -d: a POST, form-encoded unless a content type is given.
  if (body !== undefined) headers['content-type'] ??= 'application/x-www-form-urlencoded';
  return { url, method: method ?? (body === undefined ? 'GET' : 'POST'), headers, body };
}
