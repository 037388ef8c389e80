// A fixture project deployed once per worker (test files share their worker's modules), for the tests that start
// from a deployed project: each gets a private copy of the project with the deployed base's target/ (warehouse file,
// state, logs) copied in, instead of applying again (an apply costs a second). Only the project's own files (`files`)
// key a base: a test that edits the project does so on its copy, after the copy is made.
import { cpSync } from 'node:fs';
import path from 'node:path';
import { apply, type DeployOutcome } from '../../src/pipeline/deploy.js';
import { fixtureCopy } from '../helpers/project.js';

interface Base {
  readonly dir: string;
  readonly outcome: DeployOutcome;
}

const bases = new Map<string, Promise<Base>>();

/** The apply `charter apply` runs, as the library call (the command only reports it). */
async function deployBase(name: string, files: Record<string, string>): Promise<Base> {
  const dir = fixtureCopy(name, files);
  const outcome = await apply({ projectDir: dir });
  if (!outcome.results.passed) throw new Error(`the apply of the ${name} fixture failed: ${JSON.stringify(outcome.results.nodes.filter((n) => n.status !== 'success'))}`);
  return { dir, outcome };
}

function base(name: string, files: Record<string, string>): Promise<Base> {
  const key = JSON.stringify([name, files]);
  let made = bases.get(key);
  if (!made) {
    made = deployBase(name, files);
    bases.set(key, made);
    // A base that failed to deploy is not kept: the next test tries again, and fails on its own.
    made.catch(() => bases.delete(key));
  }
  return made;
}

/** What the first apply of the fixture (with `files`) did: its results and the plan it applied. */
export async function deployOutcome(name: string, files: Record<string, string> = {}): Promise<DeployOutcome> {
  return (await base(name, files)).outcome;
}

/** A private copy of tests/fixtures/<name> with `files` written over it, applied (`charter apply`) with nothing else. */
export async function deployedCopy(name: string, files: Record<string, string> = {}): Promise<string> {
  const deployed = await base(name, files);
  const dir = fixtureCopy(name, files);
  cpSync(path.join(deployed.dir, 'target'), path.join(dir, 'target'), { recursive: true });
  return dir;
}
