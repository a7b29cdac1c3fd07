/**
 * The child's side of `startHelper` (processes.ts) for the benchmark's helper servers (the fast
 * upstream, the plain floor, the Apollo and Mercurius peers), each run as its own process: listen
 * on PORT (any free port by default), print `{"port":N}` once listening, and exit when the
 * benchmark goes away (it holds our stdin: when that closes, even because the benchmark was
 * killed, so do we) or is stopped with SIGTERM/SIGINT.
 */

/** UPSTREAM_URL, which a helper in front of the upstream cannot start without. */
export function upstreamUrlFromEnv(): string {
  const upstreamUrl = process.env.UPSTREAM_URL;
  if (!upstreamUrl) {
    console.error('UPSTREAM_URL is required');
    process.exit(1);
  }
  return upstreamUrl;
}

/** Runs `listen(port)` (it answers the port it listens on) and serves until the benchmark goes away. */
export function serveAsHelper(listen: (port: number) => Promise<number>): void {
  listen(Number(process.env.PORT ?? 0)).then(
    (port) => process.stdout.write(`${JSON.stringify({ port })}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}
