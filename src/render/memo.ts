/**
 * A memo of a pure function, holding at most `size` results. When full it starts again empty, so memory
 * stays bounded on a fleet of distinct inputs. A hit returns what `compute` returned for an input of the
 * same key, so the memo changes only how long a call takes, never what it returns, as long as the key
 * names every part of the input `compute` reads and the results are immutable (strings).
 */
export function memo<I, T>(size: number, keyOf: (input: I) => string, compute: (input: I) => T): (input: I) => T {
  const results = new Map<string, T>();
  return (input) => {
    const key = keyOf(input);
    const hit = results.get(key);
    if (hit !== undefined) return hit;
    const value = compute(input);
    if (results.size >= size) results.clear();
    results.set(key, value);
    return value;
  };
}
