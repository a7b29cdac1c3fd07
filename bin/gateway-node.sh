#!/bin/sh
# Node as the gateway runs, with its heap options: npm start, npm run start:prod, npm run dev, the
# image's CMD and the benchmark all start the gateway through this file (its arguments follow the
# options: `sh bin/gateway-node.sh dist/src/main.js`), so the options are written here alone.
#
# Why: under load most of a request's objects outlive a young-generation collection and are
# promoted, and V8's default growth lets the old generation reach several times the live heap. A
# larger young generation and slower old-generation growth keep the resident memory close to what
# is live, for a little more CPU. What they cost and save is measured by `npm run bench` and kept
# in bench/results/ (changes.md compares other values), not here, where figures would go stale.
#
# `exec`: node takes the shell's place (the same process, so PID 1 in the container): the signals
# reach the gateway itself and its exit code is this command's.
exec node --max-semi-space-size=8 --heap-growing-percent=50 "$@"
