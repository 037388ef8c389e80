// Writes a synthetic charter project of N models in a layered DAG: each model refs 1-3 models of
// earlier layers, calls a macro and has a config block. Deterministic for a given N.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LAYERS = ['bronze', 'silver', 'platinum'];

export function generateProject(dir, n) {
  rmSync(dir, { recursive: true, force: true });
  const random = rng(n);
  mkdirSync(path.join(dir, 'macros'), { recursive: true });
  writeFileSync(
    path.join(dir, 'project.yml'),
    `name: bench\nversion: 1.0.0\ntargets:\n  dev:\n    engine: duckdb\n    path: target/bench.duckdb\nlayers:\n  bronze: BRONZE\n  silver: SILVER\n  platinum: PLATINUM\n  ops: OPS\nvars:\n  min_amount: 10\nmodels:\n  bronze: { materialized: view }\n  silver: { materialized: table }\n`,
  );
  writeFileSync(
    path.join(dir, 'macros', 'money.sql'),
    `{% macro cents_to_usd(column) %}CAST({{ column }} / 100 AS NUMBER(18,2)){% endmacro %}\n`,
  );
  // Ten percent of the models form the first layer; the rest ref 1-3 earlier models.
  const roots = Math.max(1, Math.floor(n / 10));
  for (let i = 0; i < n; i++) {
    const layer = i < roots ? 'bronze' : i < n * 0.7 ? 'silver' : 'platinum';
    const folder = path.join(dir, 'models', layer, `group_${Math.floor(i / 500)}`);
    mkdirSync(folder, { recursive: true });
    const name = `model_${i}`;
    let sql;
    if (i < roots) {
      sql = `{{ config(materialized='view', tags=['raw']) }}\nselect ${i} as id, ${i} * 100 as amount_cents, 'seg_${i % 3}' as segment\n`;
    } else {
      const parents = new Set();
      const count = 1 + Math.floor(random() * 3);
      while (parents.size < Math.min(count, i)) parents.add(Math.floor(random() * i));
      const [first, ...rest] = [...parents];
      const joins = rest.map((p, k) => `left join {{ ref('model_${p}') }} j${k} on j${k}.id = base.id`).join('\n');
      sql = `{{ config(materialized='${LAYERS.indexOf(layer) === 2 ? 'table' : 'view'}', tags=['${layer}', 'g${i % 7}']) }}
select
    base.id,
    {{ cents_to_usd('base.amount_cents') }} as amount_usd,
    base.amount_cents,
    base.segment
from {{ ref('model_${first}') }} base
${joins}
where base.amount_cents >= {{ var('min_amount') }}
`;
    }
    writeFileSync(path.join(folder, `${name}.sql`), sql);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir = 'bench/out/project', n = '1000'] = process.argv.slice(2);
  generateProject(dir, Number(n));
  console.log(`wrote ${n} models to ${dir}`);
}
