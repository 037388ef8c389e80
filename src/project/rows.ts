// The one row convention every adapter returns, whatever its driver gives back:
// - NULL is null; BOOLEAN a boolean; VARCHAR a string;
// - integers that a double holds exactly, and floating-point values, are numbers;
// - exact decimals (NUMBER(p,s) with s > 0, DECIMAL) and integers beyond 2^53 are their exact decimal text, so
//   money never passes through a double;
// - DATE is 'YYYY-MM-DD'; TIME and TIMESTAMP are ISO text ('YYYY-MM-DD HH:MM:SS[.ffffff]', with an offset when zoned);
// - VARIANT, OBJECT and ARRAY are parsed JSON.
// Column names are as the engine reports them; code that wrote the query reads values by position.
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type Row = Record<string, JsonValue>;
