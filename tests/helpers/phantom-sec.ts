// The generated Phantom Sec data, made once per test worker: a generation takes about two seconds and two test
// files read it. They only read it; the determinism test generates its own second copy.
import { generatePhantomSec } from '../../seeds/generator/main.js';

let generated: ReturnType<typeof generatePhantomSec> | undefined;

export const phantomSec = (): ReturnType<typeof generatePhantomSec> => (generated ??= generatePhantomSec());
