#!/usr/bin/env node
// `npm run dev`: compiles in watch mode (tsc -p tsconfig.build.json --watch) and runs the built
// gateway, restarting it after each compile that ends without errors. A compile with errors
// leaves the last good build running. Settings come from the environment, as for `npm start`.
//
// tsc's own summary line ("Found N errors. Watching for file changes.") marks the end of each
// compile, so the gateway restarts once per compile, never in the middle of tsc writing files.
// Restarts are clean shutdowns (SIGTERM; outside production the gateway drains for 0 s).
//
// Both children run in process groups of their own, so a Ctrl-C reaches them through this
// script only: it stops both and exits. Under `npm run` one Ctrl-C arrives twice (from the
// terminal and again forwarded by npm), so a signal within SAME_PRESS_MS of the first counts as the
// same press; a later one is passed on, and the gateway takes it as the order to exit at once.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(ROOT, 'dist', 'src', 'main.js');
const COMPILED = /Found (\d+) errors?\. Watching for file changes/;
const SAME_PRESS_MS = 500;

const say = (message) => process.stdout.write(`[dev] ${message}\n`);

/** @type {import('node:child_process').ChildProcess | undefined} */
let gateway;
/** The running gateway was asked to stop so a new build can start. */
let restarting = false;
/** When the first stop signal came; undefined while running. */
let stoppingSince;

const tsc = spawn(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
});
say(`compiling in watch mode (tsc pid ${tsc.pid})`);
createInterface({ input: tsc.stdout }).on('line', (line) => {
  process.stdout.write(`${line}\n`);
  const compiled = COMPILED.exec(line);
  if (!compiled || stoppingSince !== undefined) return;
  if (Number(compiled[1]) === 0) restart();
  else say(gateway ? 'compile failed: the last good build keeps running' : 'compile failed: the gateway starts after a compile without errors');
});
tsc.on('exit', (code, signal) => {
  if (stoppingSince === undefined) {
    process.exitCode = 1;
    stopAll(`tsc stopped (${signal ?? `exit ${code}`})`);
  }
  exitWhenDone();
});

function start() {
  const child = spawn(process.execPath, [ENTRY], { cwd: ROOT, stdio: 'inherit', detached: true });
  gateway = child;
  say(`gateway started (pid ${child.pid})`);
  child.on('exit', (code, signal) => {
    gateway = undefined;
    if (stoppingSince !== undefined) return exitWhenDone();
    if (restarting) {
      restarting = false;
      return start();
    }
    say(`gateway exited (${signal ?? `exit ${code}`}); it starts again after the next compile`);
  });
}

function restart() {
  if (!gateway) return start();
  // Already on its way down: the new build starts when it is gone (a second SIGTERM would force it).
  if (restarting) return;
  restarting = true;
  say('compiled: restarting the gateway');
  gateway.kill('SIGTERM');
}

function stopAll(reason) {
  stoppingSince = Date.now();
  say(`${reason}: stopping`);
  if (tsc.exitCode === null && tsc.signalCode === null) tsc.kill('SIGTERM');
  gateway?.kill('SIGTERM');
  exitWhenDone();
}

function exitWhenDone() {
  const tscDone = tsc.exitCode !== null || tsc.signalCode !== null;
  if (stoppingSince !== undefined && tscDone && !gateway) process.exit();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stoppingSince === undefined) stopAll(signal);
    else if (Date.now() - stoppingSince > SAME_PRESS_MS && gateway) {
      say(`${signal} again: the gateway exits at once`);
      gateway.kill('SIGTERM');
    }
  });
}
