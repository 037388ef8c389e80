// Flags every command shares, and their parsing into typed values.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parse as parseYaml } from 'yaml';

export interface GlobalOptions {
  readonly projectDir: string;
  readonly target?: string;
  readonly select?: string[];
  readonly exclude?: string[];
  readonly state?: string;
  readonly threads?: number;
  readonly vars?: Record<string, unknown>;
  readonly quiet: boolean;
  readonly logFormat: 'text' | 'json';
  readonly debug: boolean;
}

function parseVars(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new InvalidArgumentError(`not YAML or JSON: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InvalidArgumentError('expected a mapping, e.g. {start_date: 2024-01-01}');
  return value as Record<string, unknown>;
}

function parseThreads(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

export function withGlobalOptions(command: Command, { selection = true } = {}): Command {
  command
    .option('--project-dir <dir>', 'the project directory (holds project.yml)', '.')
    .option('-t, --target <name>', 'target from project.yml (default: default_target, else the first)')
    .option('--threads <n>', 'nodes to build at once (default: the target\'s threads, else 4)', parseThreads)
    .option('--vars <yaml>', 'variables as YAML or JSON, overriding project.yml vars', parseVars)
    .option('-q, --quiet', 'print only errors and the summary', false)
    .addOption(new Option('--log-format <format>', 'text for people, json for machines (one object per line)').choices(['text', 'json']).default('text'))
    .option('--debug', 'show stack traces for unexpected errors', false);
  if (selection) {
    command
      .option('-s, --select <selector...>', 'nodes to include: name, +name, name+, tag:x, layer:silver, path:models/x; comma = and')
      .option('--exclude <selector...>', 'nodes to leave out, same syntax as --select')
      .option('--state <manifest|ref>', 'the base state:modified compares with: a manifest.json path or a git ref');
  }
  return command;
}
