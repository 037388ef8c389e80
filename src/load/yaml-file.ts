// YAML files with source positions, so every later error can point at a line and column.
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';

export interface YamlFile {
  readonly file: string;
  readonly value: unknown;
  readonly diagnostics: readonly Diagnostic[];
  /** Where the node at a JSON-pointer-like path starts; `keyOf` points at that key of the map instead. */
  locate(path: ReadonlyArray<string | number>, keyOf?: string): SourceLocation;
}

export function parseYamlFile(file: string, text: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const diagnostics: Diagnostic[] = doc.errors.map((e) =>
    error('yaml.syntax', `invalid YAML: ${firstLine(e.message)}`, { location: at(e.pos[0]) }),
  );
  const value = diagnostics.length ? undefined : doc.toJS({ maxAliasCount: 100 });

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
  return { file, value, diagnostics, locate };
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
