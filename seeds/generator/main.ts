// Entry point: writes the Phantom Sec seed files into the directory given as argv[2] (default seeds/).
//
//   npx tsc -p tsconfig.build.json && node dist/seeds/generator/main.js seeds
//
// The dataset is the compliance-analytics warehouse of "Phantom Sec" as of 2024-12-31 (nothing is dated
// later): 300 customers signing up over 2020-2024, the 8 frameworks, ~745 subscription events, ~1,115
// framework adoptions, exactly 100,000 compliance activities and ~1,100 PHI incidents of the HIPAA customers.
// It is a pure function of a fixed seed: sfc32 streams keyed by label, integer day arithmetic instead of Date,
// fixed number formats, explicit sort orders and no iteration over unordered structures, so every run on every
// machine writes the same CSV text. gzip output has mtime 0 and a pinned OS byte.
//
// Revenue semantics (see subscription-events.ts for the full list):
// - mrr_amount is always monthly recurring revenue in USD net of discount, whatever the billing period.
// - A customer's MRR on a date is the mrr_amount of their latest event on or before it; a churn row carries
//   0.00, so MRR is 0 from the churn date on. ARR on a date = 12 x the sum of the customers' MRR on it.
// - Contracts (12/24/36 months) never lapse: each one ending by 2024-12-31 is followed at its end by a
//   renewal, expansion, downgrade or churn (or earlier by a mid-contract expansion).
// Per-table rules are in the header of each table module: customers.ts, frameworks.ts,
// subscription-events.ts, framework-adoptions.ts, compliance-activities.ts, phi-incidents.ts. Which frameworks a
// customer takes on is decided first (framework-choice.ts), since it shapes the subscription history: more
// frameworks, a higher tier and price, more expansion and less churn. The specification's seasons are in
// seasonality.ts.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type PhantomSecData, generatePhantomSec } from './generate.js';
import { renderSeedFiles } from './seed-files.js';

export { generatePhantomSec, type PhantomSecData } from './generate.js';
export { renderSeedFiles } from './seed-files.js';

/** Generates the dataset and writes its seed files into dir; returns the files written with their sizes. */
export function writeSeeds(dir: string, data: PhantomSecData = generatePhantomSec()): { file: string; bytes: number }[] {
  mkdirSync(dir, { recursive: true });
  return renderSeedFiles(data).map(({ name, bytes }) => {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    return { file, bytes: bytes.length };
  });
}

function main(): void {
  const dir = process.argv[2] ?? 'seeds';
  const began = performance.now();
  const data = generatePhantomSec();
  const generated = performance.now();
  const written = writeSeeds(dir, data);
  const done = performance.now();
  console.log(
    `rows: customers ${data.customers.length}, frameworks ${data.frameworks.length}, ` +
      `subscription events ${data.subscriptionEvents.length}, adoptions ${data.adoptions.length}, ` +
      `activities ${data.activities.length}, PHI incidents ${data.phiIncidents.length}`,
  );
  for (const w of written) console.log(`  ${w.file}  ${w.bytes} bytes`);
  console.log(`generated in ${(generated - began).toFixed(0)} ms, written in ${(done - generated).toFixed(0)} ms`);
}

const invokedAs = process.argv[1];
if (invokedAs !== undefined && import.meta.url === pathToFileURL(path.resolve(invokedAs)).href) main();
