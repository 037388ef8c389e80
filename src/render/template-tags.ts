// Splits a Nunjucks template into SQL text and tags ({{ }}, {% %}, {# #}), quotes inside a tag respected, so tools
// that rewrite the SQL (charter format) can set the tags aside and put them back byte for byte.

export interface TemplateSegment {
  readonly kind: 'text' | 'tag';
  readonly text: string;
  /** Offset in the template. */
  readonly start: number;
}

const CLOSERS: Readonly<Record<string, string>> = { '{{': '}}', '{%': '%}', '{#': '#}' };

/** The template as alternating text and tag segments; an unterminated tag runs to the end (Nunjucks rejects it anyway). */
export function templateSegments(template: string): TemplateSegment[] {
  const segments: TemplateSegment[] = [];
  let textStart = 0;
  let i = 0;
  while (i < template.length) {
    const closer = CLOSERS[template.slice(i, i + 2)];
    if (!closer) {
      i++;
      continue;
    }
    const end = tagEnd(template, i + 2, closer);
    if (i > textStart) segments.push({ kind: 'text', text: template.slice(textStart, i), start: textStart });
    segments.push({ kind: 'tag', text: template.slice(i, end), start: i });
    i = textStart = end;
  }
  if (textStart < template.length) segments.push({ kind: 'text', text: template.slice(textStart), start: textStart });
  return segments;
}

function tagEnd(template: string, from: number, closer: string): number {
  let quote: string | undefined;
  for (let i = from; i < template.length; i++) {
    const ch = template[i] as string;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (closer !== '#}' && (ch === "'" || ch === '"')) {
      quote = ch;
    } else if (template.startsWith(closer, i)) {
      return i + 2;
    }
  }
  return template.length;
}
