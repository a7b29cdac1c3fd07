// The layers of src/, declared for ESLint (`npm run lint`): which part of the code may import
// which, and no import cycle between files. Data flows one way, HTTP in → server → GraphQL
// resolvers → loader → REST client → upstream; a part imports only the parts below it, never one
// above, so each can be read, tested and replaced without those that use it.
//
// Every relative import counts, type-only ones and `require()` too. test/layers/layers.process.test.ts
// lints small files that break each kind of rule and expects the error.
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * Each part of src/ and the parts it may import (what is not listed is refused). A part is a
 * folder, or a file or glob where one folder holds two parts. From the top down:
 */
export const LAYERS = {
  // The process's entry. The one production file that may load the simulator: when no
  // LOSANT_API_URL is set it starts the embedded one on purpose (see `simulator` below).
  main: { paths: ['src/main.ts'], imports: ['server', 'observability', 'tracing', 'config', 'errors', 'simulator'] },
  // node:http, Apollo Server and the per-request wiring: everything below meets here.
  server: {
    paths: ['src/server'],
    imports: [
      'graphql',
      'playground',
      'limits',
      'observability',
      'context',
      'loaders',
      'rest',
      'tracing',
      'validation',
      'http',
      'errors',
      'contract',
      'config',
    ],
  },
  // The offline GraphiQL page. Its examples read the demo organizations (`demo`), never the simulator.
  playground: { paths: ['src/playground'], imports: ['demo', 'http', 'errors', 'contract', 'config'] },
  // Types and resolvers. They reach the upstream only through the request's loader (in `context`);
  // of rest/ they may name only the upstream's vocabulary (`restVocabulary`), never call the client.
  graphql: {
    paths: ['src/graphql'],
    imports: ['limits', 'context', 'loaders', 'restVocabulary', 'validation', 'errors', 'contract', 'config'],
  },
  // What a request may cost: read by the server's plugins and the resolvers' markers.
  limits: { paths: ['src/limits'], imports: ['context', 'restVocabulary', 'validation', 'errors', 'contract', 'config'] },
  // The logs' companions at the server's level: the logger, metrics, request identity, the operation plugin.
  observability: { paths: ['src/observability/*.ts'], imports: ['context', 'loaders', 'rest', 'tracing', 'errors', 'contract', 'config'] },
  // What every resolver receives, the request's loader among it.
  context: { paths: ['src/context'], imports: ['loaders', 'errors', 'contract', 'config'] },
  // The per-request DataLoader: the only way resolvers reach the REST client.
  loaders: { paths: ['src/loaders'], imports: ['rest', 'errors', 'contract', 'config'] },
  // The REST client and what wraps it (resilience, the list cache).
  rest: { paths: ['src/rest'], imports: ['tracing', 'errors', 'contract', 'config'] },
  // W3C trace context and spans; below rest/, which sends a span with every upstream call.
  tracing: { paths: ['src/observability/tracing'], imports: ['errors', 'contract', 'config'] },
  validation: { paths: ['src/validation'], imports: ['errors', 'contract', 'config'] },
  // HTTP plumbing the gateway, the playground and the simulator share.
  http: { paths: ['src/http'], imports: ['errors', 'contract', 'config'] },
  // The ids of the demo organizations: the simulator seeds them, the playground's examples read them.
  demo: { paths: ['src/demo'], imports: [] },
  // Leaves every part may use.
  errors: { paths: ['src/errors'], imports: ['contract', 'config'] },
  contract: { paths: ['src/contract'], imports: [] },
  config: { paths: ['src/config'], imports: [] },
  // The embedded upstream, a world of its own beside the gateway: it speaks the upstream's
  // vocabulary, and nothing of the gateway above rest/ exists for it.
  simulator: { paths: ['src/simulator'], imports: ['demo', 'restVocabulary', 'http', 'errors', 'contract', 'config'] },
};

/**
 * The files of rest/ that name the upstream's actions and wire types without calling it: what the
 * resolvers' markers, the router's scope directives and the simulator share with the client.
 */
const REST_VOCABULARY = ['./invitesApi.ts', './upstreamActions.ts', './actionScopes.ts', './tokenDigest.ts'];

/** Where each part's files are, as `from` of a zone: a folder or file, minus the parts nested in it. */
function fromOf(layer) {
  if (layer === 'observability') return { from: 'src/observability', except: ['./tracing'] };
  return { from: LAYERS[layer].paths[0] };
}

/** One zone per part and part it may not import: the message names both and the allowed ones. */
function layerZones() {
  const zones = [];
  for (const [name, layer] of Object.entries(LAYERS)) {
    const allowed = new Set([name, ...layer.imports]);
    for (const other of Object.keys(LAYERS)) {
      if (allowed.has(other)) continue;
      // Only the vocabulary of rest/ is allowed: the rest of the folder is refused.
      const zone = other === 'rest' && allowed.has('restVocabulary') ? { from: 'src/rest', except: REST_VOCABULARY } : fromOf(other);
      zones.push({
        target: layer.paths,
        ...zone,
        message: `${name} may not import ${other}${other === 'rest' && allowed.has('restVocabulary') ? ` beyond its vocabulary (${REST_VOCABULARY.join(', ')})` : ''}; it may import ${layer.imports.join(', ') || 'nothing of src/'} (eslint.layers.mjs).`,
      });
    }
  }
  // Production code never loads test fixtures, benchmarks or scripts.
  zones.push({ target: ['src'], from: 'test', message: 'src/ may not import test/.' });
  zones.push({ target: ['src'], from: 'bench', message: 'src/ may not import bench/.' });
  zones.push({ target: ['src'], from: 'scripts', message: 'src/ may not import scripts/.' });
  return zones;
}

/** The flat-config blocks `eslint.config.mjs` includes; `root` is the repository's folder. */
export function layerConfig(root) {
  return [
    {
      files: ['src/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
      plugins: { 'import-x': importX },
      languageOptions: { parser: tseslint.parser },
      settings: {
        'import-x/extensions': ['.ts', '.js', '.mjs'],
        'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
        'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.json'] })],
      },
      rules: {
        // A file cycle makes what loads first depend on who imports whom (a value read before its
        // module has run is undefined), and two files that need each other cannot be understood apart.
        'import-x/no-cycle': ['error', { ignoreExternal: true }],
      },
    },
    {
      files: ['src/**/*.ts'],
      rules: { 'import-x/no-restricted-paths': ['error', { basePath: root, zones: layerZones() }] },
    },
  ];
}
