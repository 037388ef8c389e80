// Child process of compile-bench: one `charter compile`, then its wall time and peak RSS as JSON.
import { main } from '../dist/src/cli/main.js';

const dir = process.argv[2];
const extra = process.argv.slice(3);
const t0 = performance.now();
const code = await main(['compile', '--project-dir', dir, '--quiet', ...extra]);
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ code, seconds, peakMB: process.resourceUsage().maxRSS / 1024 })}\n`);
