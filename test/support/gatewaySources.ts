import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '..', '..', 'src');

/** Every TypeScript file of the gateway (src/), with its text: for tests of what no file may do. */
export function gatewaySources(): Array<{ readonly file: string; readonly text: string }> {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
    );
  return files(SRC).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}
