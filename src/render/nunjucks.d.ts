// @types/nunjucks omits Template#getExported, which loads a macro file's exported macros, and Template#rootRenderFunc,
// which template-compile.ts wraps so every template runs against the guarded runtime.
import 'nunjucks';

declare module 'nunjucks' {
  interface Template {
    getExported(
      context: object,
      parentFrame: unknown,
      callback: (err: Error | null, exported: Record<string, unknown>) => void,
    ): void;
    rootRenderFunc: (env: unknown, context: unknown, frame: unknown, runtime: unknown, cb: unknown) => void;
  }
}
