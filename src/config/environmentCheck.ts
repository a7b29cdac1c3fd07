import { GATEWAY_PREFIXES, GATEWAY_VARIABLES } from './variables';

/**
 * What start-up does with a setting that is not wrong in itself but is not what the operator
 * meant: `strict` refuses to start, `warn` starts and logs each finding.
 */
export const CONFIG_CHECK_MODES = ['strict', 'warn'] as const;

/** The values the gateway's defaults are written for; any other one would silently get development's. */
const NODE_ENVS = ['development', 'production', 'test'] as const;

export interface Misconfiguration {
  readonly variable: string;
  /** What is wrong and what was probably meant, following the variable's name; never a typo'd variable's value, which may be a secret. */
  readonly detail: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Kubernetes' service links (`REDIS_SERVICE_HOST`, `REDIS_PORT_6379_TCP_ADDR`, ...): set by the cluster, never a typo. */
const SERVICE_LINK = /_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_\d+_(TCP|UDP|SCTP)(_[A-Z]+)?)?)$/;

/** Names shorter than this are left to exact matching: `HOST` is one letter from `HOME`. */
const MIN_NAME_FOR_SPELLING = 8;
const MAX_SPELLING_DISTANCE = 2;

/**
 * Settings that start a gateway other than the one asked for: an unknown `NODE_ENV` (`prod` runs
 * with development's playground, introspection and no drain), and variables that look like the
 * gateway's own but are not read by it (`LOSANT_API_ULR` leaves the upstream unset).
 */
export function findMisconfigurations(env: Env): Misconfiguration[] {
  const findings: Misconfiguration[] = [];
  const nodeEnv = env.NODE_ENV?.trim();
  if (nodeEnv && !(NODE_ENVS as readonly string[]).includes(nodeEnv)) {
    findings.push({
      variable: 'NODE_ENV',
      detail: `must be one of ${NODE_ENVS.join(', ')}, got "${nodeEnv}": any other value runs with development's defaults (playground and introspection on, no drain delay)`,
    });
  }
  for (const name of Object.keys(env).sort()) {
    if (env[name] === undefined || GATEWAY_VARIABLES.has(name) || SERVICE_LINK.test(name)) continue;
    const ownPrefix = GATEWAY_PREFIXES.find((prefix) => name.startsWith(prefix));
    const meant = closestSetting(name, ownPrefix);
    if (meant.distance <= MAX_SPELLING_DISTANCE || ownPrefix !== undefined) {
      findings.push({ variable: name, detail: `is not a setting of the gateway and would be ignored; did you mean ${meant.name}?` });
    }
  }
  return findings;
}

/** The known name nearest to `name`, among those that start with `prefix` when one is given. */
function closestSetting(name: string, prefix = ''): { name: string; distance: number } {
  let best = { name: '', distance: Number.POSITIVE_INFINITY };
  for (const known of GATEWAY_VARIABLES) {
    if (!known.startsWith(prefix)) continue;
    if (Math.abs(known.length - name.length) > best.distance) continue;
    const distance = Math.min(editDistance(name, known), editDistance(withoutUnit(name), withoutUnit(known)));
    // Short names only count for the suggestion, never as evidence of a typo.
    const counted = known.length >= MIN_NAME_FOR_SPELLING ? distance : Math.max(distance, MAX_SPELLING_DISTANCE + 1);
    if (counted < best.distance || (best.name === '' && counted === best.distance)) best = { name: known, distance: counted };
  }
  return best;
}

/** `OPERATION_TIMEOUT` for `OPERATION_TIMEOUT_MS`: a unit left off or changed is the commonest slip after spelling. */
function withoutUnit(name: string): string {
  return name.replace(/_(MS|S|SECONDS|BYTES|MB|KB)$/, '');
}

/** Edits (insert, delete, substitute, swap two neighbours) between two names: optimal string alignment distance. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
