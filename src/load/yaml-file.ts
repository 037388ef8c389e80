// YAML files with source positions, so every later error can point at a line and column.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';

export interface YamlFile {
  readonly file: string;
  readonly value: unknown;
  readonly diagnostics: readonly Diagnostic[];
  /** Where the node at a JSON-pointer-like path starts; `keyOf` points at that key of the map instead. */
  locate(path: ReadonlyArray<string | number>, keyOf?: string): SourceLocation;
  /** Every node's position, as plain data (see positionTable). */
  positions(): PositionTable;
}

/**
 * The YAML library throws, rather than reports, on two hostile inputs: aliases that expand past a limit (a "billion
 * laughs" bomb) and nesting deep enough to exhaust the stack. Both are bad input with a clear message, not a bug.
 */
function hostileYaml(file: string, e: unknown): Diagnostic {
  const message = e instanceof Error ? e.message : String(e);
  const reason = e instanceof RangeError && /call stack/i.test(message)
    ? 'nested too deeply to read'
    : /alias count/i.test(message)
      ? 'its aliases expand too far (an alias bomb); charter reads at most 100 alias uses per file'
      : firstLine(message);
  return error('yaml.syntax', `invalid YAML: ${reason}`, { location: { file, line: 1, column: 1 } });
}

export function parseYamlFile(file: string, text: string): YamlFile {
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    return { file, value: undefined, diagnostics: [hostileYaml(file, e)], locate: () => ({ file, line: 1, column: 1 }), positions: () => ({}) };
  }
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const diagnostics: Diagnostic[] = doc.errors.map((e) =>
    error('yaml.syntax', `invalid YAML: ${firstLine(e.message)}`, { location: at(e.pos[0]) }),
  );
  let value: unknown;
  if (!diagnostics.length) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      diagnostics.push(hostileYaml(file, e));
    }
  }

  function locate(path: ReadonlyArray<string | number>, keyOf?: string): SourceLocation {
    let node = (path.length ? doc.getIn(path, true) : doc.contents) as Node | null | undefined;
    // A missing leaf (e.g. a `required` error) falls back to its nearest existing ancestor.
    for (let depth = path.length - 1; !node && depth >= 0; depth--) {
      node = (depth ? doc.getIn(path.slice(0, depth), true) : doc.contents) as Node | null | undefined;
    }
    if (keyOf !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === keyOf);
      if (pair && isScalar(pair.key) && pair.key.range) return at(pair.key.range[0]);
    }
    return at(node?.range?.[0] ?? 0);
  }
  return { file, value, diagnostics, locate, positions: () => tableOf(doc, lineCounter) };
}

/**
 * Where every node (and every mapping key, as `path#key`) of a YAML document starts, as plain data: a stage value
 * that keeps positions can be written to disk and read back, which a closure over the document cannot.
 */
export type PositionTable = Readonly<Record<string, readonly [line: number, column: number]>>;

export const positionKey = (path: ReadonlyArray<string | number>, keyOf?: string): string =>
  `${path.join('/')}${keyOf === undefined ? '' : `#${keyOf}`}`;

function tableOf(doc: Document, lineCounter: LineCounter): PositionTable {
  const table: Record<string, readonly [number, number]> = {};
  const at = (offset: number): readonly [number, number] => {
    const { line, col } = lineCounter.linePos(offset);
    return [line, col];
  };
  const visit = (node: unknown, path: Array<string | number>): void => {
    const range = (node as Node | null)?.range;
    if (range) table[positionKey(path)] = at(range[0]);
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (pair.key.range) table[positionKey(path, key)] = at(pair.key.range[0]);
        visit(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i]));
    }
  };
  visit(doc.contents, []);
  table[positionKey([])] ??= [1, 1];
  return table;
}

/** Where `path` starts in a file (its key, with `keyOf`); a missing node falls back to its nearest ancestor. */
export function locateIn(file: string, table: PositionTable, path: ReadonlyArray<string | number>, keyOf?: string): SourceLocation {
  const exact = keyOf === undefined ? undefined : table[positionKey(path, keyOf)];
  for (let depth = path.length; !exact && depth >= 0; depth--) {
    const found = table[positionKey(path.slice(0, depth))];
    if (found) return { file, line: found[0], column: found[1] };
  }
  return { file, line: exact?.[0] ?? 1, column: exact?.[1] ?? 1 };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** Splits an ajv instancePath ('/models/0/name') into keys and indexes. */
export function pointerToPath(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
