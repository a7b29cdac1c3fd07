import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface BuildInfo {
  /** package.json's version. */
  readonly version: string;
  /** The commit the image was built from (`BUILD_COMMIT`), or "unknown". */
  readonly commit: string;
  /** The Node.js running the process, e.g. v24.11.0. */
  readonly node: string;
}

/**
 * What is running, for the `invites_gateway_build_info` metric: a fleet mid-rollout shows which
 * replicas run which version. package.json is found by walking up from this file, which sits at
 * a different depth in the sources (tests) and in dist/ (the image).
 */
export function buildInfo(commit: string): BuildInfo {
  return { version: packageVersion(__dirname), commit, node: process.version };
}

function packageVersion(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'invites-gateway' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // no package.json here, or not ours: look further up
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
