import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/config';
import type { GatewayConfig } from '../../src/config/settings';
import { readDockerfile, stageEnv } from '../container/dockerfileSteps';

export const ROOT = path.resolve(__dirname, '..', '..');

/** An object of the Kubernetes API as a manifest holds it, before its kind is known. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly [field: string]: unknown;
}

/** `kubectl kustomize` of a folder under deploy/kubernetes, as the objects it would apply. */
export function render(folder: string): KubeObject[] {
  const text = execFileSync('kubectl', ['kustomize', path.join(ROOT, 'deploy', 'kubernetes', folder)], { encoding: 'utf8' });
  return parseAllDocuments(text)
    .map((document) => document.toJSON() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/**
 * Checks an object against the Kubernetes API's own OpenAPI schema for its apiVersion and kind
 * (kubernetes-models: required fields, types, formats, enums); throws naming the bad field. Like the
 * API server, the schemas admit fields they do not know: the tests below read every field that
 * matters by its name, so a misspelt one fails there.
 */
export function validateAgainstApi(object: KubeObject): void {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const modulePath = path.posix.join('kubernetes-models', group, version, object.kind);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the model's module is named by the object's apiVersion and kind
  const model = (require(modulePath) as Record<string, ModelClass | undefined>)[object.kind];
  if (!model) throw new Error(`kubernetes-models has no ${object.apiVersion} ${object.kind}`);
  new model(object).validate();
}

/** The one object of a kind (and name, when given). */
export function only<T>(objects: readonly KubeObject[], kind: string, name?: string): T {
  const found = objects.filter((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0] as unknown as T;
}

/** The environment the image sets (its ENV lines), which a container's own env extends. */
export function imageEnv(): Record<string, string> {
  const runtime = readDockerfile(path.join(ROOT, 'Dockerfile')).at(-1)!;
  return stageEnv(runtime.instructions);
}

/**
 * Loads the gateway's configuration from `env` and says which variables it read: a variable the
 * configuration never reads is a typo or a setting that does not exist, and would be silently
 * ignored. Throws the gateway's own `ConfigError` for a bad value.
 */
export function loadConfigReading(env: Record<string, string>): { config: GatewayConfig; read: Set<string> } {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return target[name as string];
    },
  });
  return { config: loadConfig(recording), read };
}

/** A Kubernetes quantity ("192Mi", "500m", "1") as a number of bytes or cores. */
export function quantity(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|k|M|G)?$/.exec(value);
  if (!match) throw new Error(`unexpected quantity "${value}"`);
  const factor: Record<string, number> = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1e3, M: 1e6, G: 1e9 };
  return Number(match[1]) * (match[2] ? factor[match[2]] : 1);
}
