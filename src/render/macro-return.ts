// Jinja's `{{ return(value) }}` in a macro: the macro call evaluates to `value` instead of its text output.
//
// dbt raises an exception that the macro wrapper catches. Nunjucks' compiled macros cannot be left by a throw: the
// macro body swaps the caller's `frame` variable and restores it only on a normal exit, so a throw would leave the
// caller resolving names in the macro's scope. Instead, return() records its value for the innermost macro call, and
// that call returns it once the body has finished; the first return() of a call wins and its text output is dropped.
// (A difference from Jinja: statements after a return() still run, though nothing they print is kept.)

const NOTHING = Symbol('no return()');
/** One slot per macro call in progress; rendering is synchronous, so one stack serves the process. */
const calls: unknown[] = [];

type MacroBody = (...args: unknown[]) => unknown;
type MakeMacro = (argNames: string[], kwargNames: string[], func: MacroBody) => MacroBody;

/** nunjucks' runtime.makeMacro, with every macro body returning what its first return() was given, if any. */
export function returningMakeMacro(makeMacro: MakeMacro): MakeMacro {
  return (argNames, kwargNames, func) =>
    makeMacro(argNames, kwargNames, function (this: unknown, ...args: unknown[]) {
      calls.push(NOTHING);
      try {
        const output = func.apply(this, args);
        const returned = calls[calls.length - 1];
        return returned === NOTHING ? output : returned;
      } finally {
        calls.pop();
      }
    });
}

/** The `return` global: records `value` for the macro being called, and prints nothing. */
export function macroReturn(value: unknown): string {
  if (!calls.length) throw new Error('return() is only allowed inside a macro');
  if (calls[calls.length - 1] === NOTHING) calls[calls.length - 1] = value === undefined ? null : value;
  return '';
}
