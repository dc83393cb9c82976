// JSON with integers beyond 2^53 kept exact. JavaScript numbers are doubles: an int64 id such
// as 9007199254740993 would come out of JSON.parse as ...992. Where the browser hands the reviver
// the number's source text (Chrome 114+, Firefox 135+), such integers stay as their digits
// (a string, which the grid shows and copies as it is); elsewhere they parse as before.

interface ReviverContext {
  source?: string;
}

export function keepBigIntegers(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)
      && context && typeof context.source === "string" && /^-?\d+$/.test(context.source)) {
    return context.source;
  }
  return value;
}

export function parseJson(text: string): unknown {
  return JSON.parse(text, keepBigIntegers as (key: string, value: unknown) => unknown);
}
