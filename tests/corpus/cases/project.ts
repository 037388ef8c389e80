// project.yml: YAML syntax, unknown keys (with did-you-mean), targets, layers, folder defaults, vars and seeds settings.
import type { CorpusCase } from '../corpus-case.js';
import { edit } from '../shop-files.js';

const P = 'project.yml';

export const PROJECT_CASES: readonly CorpusCase[] = [
  {
    name: 'a default_target that names no target points at it',
    files: { [P]: edit(P, 'default_target: dev', 'default_target: «staging') },
    expect: { code: 'project.invalid', hint: /dev, prod|`dev`/ },
  },
  {
    name: 'folder defaults for a folder that does not exist suggest the right one',
    files: { [P]: edit(P, '  platinum: { materialized: table, tags: [mart] }', '  platinum: { materialized: table, tags: [mart] }\n  «platnum: { materialized: view }') },
    // A warning (compile still succeeds), as dbt warns of config paths that apply to nothing.
    expect: { code: 'project.invalid', hint: /platinum/, exit: 0 },
  },
  {
    name: 'an unclosed flow mapping',
    files: { [P]: 'name: shop\nversion: 1\ntargets:\n  dev: {engine: duckdb\n«' },
    expect: { code: 'yaml.syntax' },
  },
  {
    name: 'a tab used for indentation',
    files: { [P]: edit(P, '    threads: 2', '«\tthreads: 2') },
    expect: { code: 'yaml.syntax' },
  },
  {
    name: 'a key given twice',
    files: { [P]: edit(P, 'default_target: dev', 'default_target: dev\n«default_target: prod') },
    expect: { code: 'yaml.syntax', message: /unique/i },
  },
  {
    name: 'a mapping indented under a scalar points at the scalar',
    files: { [P]: edit(P, 'version: 1.0.0', 'version: «1.0.0\n  oops: true') },
    expect: { code: 'yaml.syntax' },
  },
  {
    name: 'a misspelt top-level key suggests the right one',
    files: { [P]: edit(P, 'default_target: dev', '«default_taget: dev') },
    expect: { code: 'schema.invalid', hint: /default_target/ },
  },
  {
    name: 'a misspelt target key suggests the right one',
    files: { [P]: edit(P, '    threads: 2', '    «thread: 2') },
    expect: { code: 'schema.invalid', hint: /`threads`/ },
  },
  {
    name: '`model:` for `models:` suggests models',
    files: { [P]: edit(P, 'models:\n  bronze:', '«model:\n  bronze:') },
    expect: { code: 'schema.invalid', hint: /`models`/ },
  },
  {
    name: 'a misspelt snowflake target key',
    files: { [P]: edit(P, '    warehouse: TRANSFORM_WH', '    «warehous: TRANSFORM_WH') },
    expect: { code: 'schema.invalid', hint: /`warehouse`/ },
  },
  {
    name: 'no name',
    files: { [P]: edit(P, 'name: shop\n', '«') },
    expect: { code: 'schema.invalid', message: /missing required key `name`/ },
  },
  {
    name: 'a project name with capitals',
    files: { [P]: edit(P, 'name: shop', 'name: «Shop') },
    expect: { code: 'schema.invalid', message: /\/name/ },
  },
  {
    name: 'a version that is a number',
    files: { [P]: edit(P, 'version: 1.0.0', 'version: «1') },
    expect: { code: 'schema.invalid', message: /\/version/ },
  },
  {
    name: 'no targets',
    files: { [P]: '«name: shop\nversion: 1.0.0\nlayers: {bronze: BRONZE}\n' },
    expect: { code: 'schema.invalid', message: /missing required key `targets`/ },
  },
  {
    name: 'an empty targets mapping',
    files: { [P]: 'name: shop\nversion: 1.0.0\ntargets: «{}\n' },
    expect: { code: 'schema.invalid', message: /\/targets/ },
  },
  {
    name: 'an unknown engine',
    files: { [P]: edit(P, '    engine: duckdb', '    engine: «oracle') },
    expect: { code: 'schema.invalid', message: /oracle/ },
  },
  {
    name: 'threads that are not a number',
    files: { [P]: edit(P, '    threads: 2', '    threads: «many') },
    expect: { code: 'schema.invalid', message: /\/targets\/dev\/threads/ },
  },
  {
    name: 'zero threads',
    files: { [P]: edit(P, '    threads: 2', '    threads: «0') },
    expect: { code: 'schema.invalid', message: /\/targets\/dev\/threads/ },
  },
  {
    name: 'too many threads',
    files: { [P]: edit(P, '    threads: 2', '    threads: «500') },
    expect: { code: 'schema.invalid', message: /\/targets\/dev\/threads/ },
  },
  {
    // The account may come from connections.toml or $SNOWFLAKE_ACCOUNT; the database is the compiled SQL's, so the target must say it.
    name: 'a snowflake target without a database',
    files: { [P]: edit(P, '    database: SHOP\n', '') },
    expect: { code: 'schema.invalid', file: 'project.yml', line: 10, column: 5, message: /database/ },
  },
  {
    name: 'a snowflake database that is not an identifier',
    files: { [P]: edit(P, '    database: SHOP', '    database: «SHOP-PROD') },
    expect: { code: 'schema.invalid', message: /\/targets\/prod\/database/ },
  },
  {
    name: 'an unknown authenticator',
    files: { [P]: edit(P, '    role: TRANSFORMER', '    role: TRANSFORMER\n    authenticator: «sso') },
    expect: { code: 'schema.invalid', message: /sso/ },
  },
  {
    name: 'a target that is a string',
    files: { [P]: edit(P, '  prod:\n    engine: snowflake\n    account: xy12345.eu-west-1\n    database: SHOP\n    warehouse: TRANSFORM_WH\n    role: TRANSFORMER\n', '  prod: «snowflake\n') },
    expect: { code: 'schema.invalid', message: /\/targets\/prod/ },
  },
  {
    name: '--target names no target, with a suggestion',
    files: {},
    args: ['compile', '--target', 'prd'],
    expect: { code: 'cli.usage', file: P, line: 1, column: 1, hint: /prod/ },
  },
  {
    name: 'an unknown layer',
    files: { [P]: edit(P, '  ops: OPS', '  ops: OPS\n  «gold: GOLD') },
    expect: { code: 'schema.invalid', message: /unknown key `gold`/ },
  },
  {
    name: 'a misspelt layer suggests the right one',
    files: { [P]: edit(P, '  silver: SILVER', '  «silvr: SILVER') },
    expect: { code: 'schema.invalid', hint: /`silver`/ },
  },
  {
    name: 'a layer schema that is not an identifier',
    files: { [P]: edit(P, '  silver: SILVER', '  silver: «SIL-VER') },
    expect: { code: 'schema.invalid', message: /\/layers\/silver/ },
  },
  {
    name: 'layers as a list',
    files: { [P]: edit(P, 'layers:\n  bronze: BRONZE\n  silver: SILVER\n  platinum: PLATINUM\n  ops: OPS\n', 'layers: «[bronze, silver]\n') },
    expect: { code: 'schema.invalid', message: /\/layers/ },
  },
  {
    name: 'an unknown paths key suggests the right one',
    files: { [P]: `${edit(P, 'vars:', 'paths:\n  «model: src\nvars:')}` },
    expect: { code: 'schema.invalid', hint: /`models`/ },
  },
  {
    name: 'a path that is a number',
    files: { [P]: edit(P, 'vars:', 'paths:\n  models: «42\nvars:') },
    expect: { code: 'schema.invalid', message: /\/paths\/models/ },
  },
  {
    name: 'a misspelt folder default suggests the right one',
    files: { [P]: edit(P, '  silver: { materialized: table, tags: [clean] }', '  silver: { «materialised: table, tags: [clean] }') },
    expect: { code: 'schema.invalid', hint: /`materialized`/ },
  },
  {
    name: 'a misspelt materialization in folder defaults',
    files: { [P]: edit(P, '  silver: { materialized: table, tags: [clean] }', '  silver: { materialized: «tabel, tags: [clean] }') },
    expect: { code: 'schema.invalid', hint: /`table`/ },
  },
  {
    name: 'folder default tags that are not a list',
    files: { [P]: edit(P, '  platinum: { materialized: table, tags: [mart] }', '  platinum: { materialized: table, tags: «7 }') },
    expect: { code: 'schema.invalid', message: /\/models\/platinum\/tags/ },
  },
  {
    name: 'folder default enabled that is not a boolean',
    files: { [P]: edit(P, '  platinum: { materialized: table, tags: [mart] }', '  platinum: { materialized: table, enabled: «maybe }') },
    expect: { code: 'schema.invalid', message: /\/models\/platinum\/enabled/ },
  },
  {
    name: 'vars as a list',
    files: { [P]: edit(P, "vars:\n  as_of_date: '2024-12-31'\n  vip_threshold: 100\n", 'vars: «[as_of_date]\n') },
    expect: { code: 'schema.invalid', message: /\/vars/ },
  },
  {
    name: 'an unknown seeds setting',
    files: { [P]: `${edit(P, 'vars:', 'seeds:\n  «schemas: RAW\nvars:')}` },
    expect: { code: 'schema.invalid', hint: /`schema`/ },
  },
  {
    name: 'an empty project.yml',
    files: { [P]: '' },
    expect: { code: 'schema.invalid', file: P, line: 1, column: 1 },
  },
  {
    name: 'a project.yml that is a list',
    files: { [P]: '«- name: shop\n' },
    expect: { code: 'schema.invalid' },
  },
  {
    name: 'no project.yml at all',
    files: { [P]: null },
    expect: { code: 'project.missing', file: null, hint: /charter init/ },
  },
  {
    name: 'a project.yml that is a folder names it',
    files: { [P]: null, 'project.yml/README': 'not a project file' },
    expect: { code: 'io.error', file: P, line: 1, column: 1 },
  },
];
