#!/usr/bin/env node
// Entry point: runs the compiled CLI in dist/ (built by `npm ci` through the prepare script).
import { setFlagsFromString } from 'node:v8';

// Keep the SQL transpiler's WebAssembly on V8's baseline tier: optimising its huge functions costs seconds of CPU per run, and exit waits for it.
setFlagsFromString('--no-wasm-dynamic-tiering --no-wasm-tier-up');
const { main } = await import('../dist/src/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
