// The command line itself: unknown commands and flags, bad flag values (exit 2), and targets that cannot run.
import type { CorpusCase } from '../corpus-case.js';

export const COMMAND_LINE_CASES: readonly CorpusCase[] = [
  { name: 'an unknown command suggests the right one', files: {}, args: ['compil'], expect: { code: null, exit: 2, stderr: /Did you mean compile/ } },
  { name: 'an unknown flag', files: {}, args: ['compile', '--selct', 'orders'], expect: { code: null, exit: 2, stderr: /--selct/ } },
  { name: '--threads 0', files: {}, args: ['build', '--threads', '0'], expect: { code: null, exit: 2, stderr: /1 to 64/ } },
  { name: '--threads that is not a number', files: {}, args: ['compile', '--threads', 'two'], expect: { code: null, exit: 2, stderr: /1 to 64/ } },
  { name: 'an unknown --log-format', files: {}, args: ['compile', '--log-format', 'xml'], expect: { code: null, exit: 2, stderr: /text, json/ } },
  { name: 'an unknown ls output format', files: {}, args: ['ls', '-o', 'xml'], expect: { code: null, exit: 2, stderr: /text, json/ } },
  { name: '--target without a value', files: {}, args: ['compile', '--target'], expect: { code: null, exit: 2, stderr: /argument missing/ } },
  {
    name: 'build on a Snowflake target with no user says where to set one, at the target',
    files: {},
    args: ['build', '--target', 'prod'],
    expect: { code: 'project.invalid', file: 'project.yml', line: 10, column: 5, message: /target `prod`: no Snowflake user to log in as/, hint: /SNOWFLAKE_USER/ },
  },
];
