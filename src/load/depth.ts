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
