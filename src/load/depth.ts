import { CST, Lexer } from "yaml";

/**
 * Deeper than any manifest needs (natskube's own nest about 10 levels) and far below the depth at which
 * yaml's parser, its toJS and natskube's recursive stages run out of stack (about 900 levels).
 */
export const MAX_NESTING = 100;

const CONTROL = new Set<string>([CST.DOCUMENT, CST.FLOW_END, CST.SCALAR]);
const OPENS_LEVEL = new Set(["seq-item-ind", "explicit-key-ind"]);

/**
 * The offset at which nesting first exceeds `max` levels, or undefined. Counted on yaml's own lexer (which
 * loops rather than recurses) before parsing, so an input that would overflow the parser never reaches it:
 * open flow brackets, plus block levels (a stack of indentations, and `- `/`? ` indicators on one line).
 */
export function tooDeepAt(text: string, max = MAX_NESTING): number | undefined {
  return depthBound(text) <= max ? undefined : lexedTooDeepAt(text, max);
}

/** tooDeepAt by the lexer alone (exported for the test that holds depthBound to it). */
export function lexedTooDeepAt(text: string, max: number): number | undefined {
  let offset = 0;
  let col = 0;
  let flow = 0;
  let lineStart = true;
  const indents: number[] = [];
  for (const token of new Lexer().lex(text)) {
    if (CONTROL.has(token)) continue;
    const type = CST.tokenType(token);
    if (type === "newline") lineStart = true;
    else if (type === "doc-start" || type === "doc-end") {
      indents.length = 0;
      flow = 0;
    } else if (!(type === "space" && lineStart && !token.includes("\n")) && type !== "comment") {
      if (flow === 0 && (lineStart || OPENS_LEVEL.has(type ?? ""))) {
        while (indents.length > 0 && indents[indents.length - 1]! >= col) indents.pop();
        indents.push(col);
      }
      lineStart = false;
      if (type === "flow-map-start" || type === "flow-seq-start") flow++;
      else if ((type === "flow-map-end" || type === "flow-seq-end") && flow > 0) flow--;
      if (indents.length + flow > max) return offset;
    }
    offset += token.length;
    const nl = token.lastIndexOf("\n");
    col = nl >= 0 ? token.length - nl - 1 : col + token.length;
  }
  return undefined;
}

/**
 * An upper bound of the depth tooDeepAt counts, from one cheap pass over the lines, so that ordinary
 * manifests skip the lexer (a fifth of loading a fleet's files). Its block levels are a stack of strictly
 * increasing columns, each pushed by a line's first token (column: the line's indentation) or by a `-`
 * or `?` indicator (column: that character's), so there are at most 1 + the largest such column; flow
 * levels are at most the brackets opened. Columns count from the last "\n", so a bare "\r" line break
 * (YAML allows it) defeats the bound: such texts are lexed.
 */
export function depthBound(text: string): number {
  if (/\r(?!\n)/.test(text)) return Infinity;
  let column = 0;
  let brackets = 0;
  let lineStart = 0;
  let leading = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) {
      lineStart = i + 1;
      leading = true;
      continue;
    }
    if (leading && ch !== 32 && ch !== 9) {
      leading = false;
      column = Math.max(column, i - lineStart);
    }
    if (ch === 91 || ch === 123) brackets++; // [ {
    else if (ch === 45 || ch === 63) {
      const next = text.charCodeAt(i + 1); // NaN at the end
      if (!(next > 32)) column = Math.max(column, i - lineStart); // - or ? then a blank or the end
    }
  }
  return column + 1 + brackets;
}
