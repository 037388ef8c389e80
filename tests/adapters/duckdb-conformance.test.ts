// The DuckDB adapter, on a real database file, against the suite every adapter must pass.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBAdapter } from '../../src/adapters/duckdb/adapter.js';
import { adapterConformance } from './conformance.js';

const file = path.join(mkdtempSync(path.join(tmpdir(), 'charter-duckdb-')), 'conformance.duckdb');
adapterConformance('duckdb', { create: () => new DuckDBAdapter({ file }), database: 'conformance' });
