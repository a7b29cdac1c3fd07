/**
 * Preloaded into a profiled process (`node -r dist-bench/bench/heapSampler.js ...`) by
 * `npm run bench:profile` with `PROFILE_HEAP=1`: V8's sampling heap profiler over a window the
 * profiler chooses. The first SIGUSR2 starts sampling every allocation, including the objects that
 * are collected again (which `--heap-prof` leaves out, and which are most of a request's); the
 * second stops and writes the profile to HEAP_PROFILE_FILE.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const file = process.env.HEAP_PROFILE_FILE;
const intervalBytes = Number(process.env.HEAP_PROFILE_INTERVAL_BYTES ?? 16_384);
// HEAP_PROFILE_SURVIVORS=1 leaves out what a scavenge collects: what is left is what outlived one,
// was promoted (and maybe collected by a mark-compact later), the objects that make old-generation GC.
const survivorsOnly = process.env.HEAP_PROFILE_SURVIVORS === '1';

if (file) {
  const session = new Session();
  session.connect();
  let sampling = false;
  process.on('SIGUSR2', () => {
    if (!sampling) {
      sampling = true;
      // The two flags are in V8's protocol but not in @types/node 20's copy of it.
      const params = {
        samplingInterval: intervalBytes,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: !survivorsOnly,
      };
      session.post('HeapProfiler.startSampling', params);
      return;
    }
    session.post('HeapProfiler.stopSampling', (error, result) => {
      sampling = false;
      // Written aside, then renamed: the profiler waits for the file to appear, and must not read it half written.
      writeFileSync(`${file}.partial`, error ? JSON.stringify({ error: error.message }) : JSON.stringify(result.profile));
      renameSync(`${file}.partial`, file);
    });
  });
}
