// @types/nunjucks omits Template#getExported, which loads a macro file's exported macros.
import 'nunjucks';

declare module 'nunjucks' {
  interface Template {
    getExported(
      context: object,
      parentFrame: unknown,
      callback: (err: Error | null, exported: Record<string, unknown>) => void,
    ): void;
  }
}
