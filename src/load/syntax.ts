import { isMap, isPair, isScalar, isSeq, type Node, type YAMLError } from "yaml";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.js";

/** A hint for each yaml error code users meet; yaml's own messages say what, these say how to fix it. */
const HINTS: Record<string, string> = {
  BAD_INDENT: "Start this line at the same column as the keys beside it (or two spaces deeper than its parent).",
  TAB_AS_INDENT: "Indent with spaces: YAML does not allow tabs for indentation.",
  MISSING_CHAR: "Close the bracket or quote opened before this point, or quote the whole value.",
  BAD_SCALAR_START: "Quote a value that starts with @, ` or another character YAML reserves.",
  BLOCK_AS_IMPLICIT_KEY: "A value on the key's line cannot be followed by a nested mapping: check the indentation of the next line.",
  MULTILINE_IMPLICIT_KEY: "A key must fit on one line: check for a missing ':' or a line indented more than its siblings.",
  BAD_DQ_ESCAPE: "Inside double quotes write a backslash as \\\\, or use single quotes.",
  KEY_OVER_1024_CHARS: "Keys must be shorter than 1024 characters.",
  MULTIPLE_ANCHORS: "Give a value one &anchor.",
  MULTIPLE_TAGS: "Give a value one tag.",
  UNEXPECTED_TOKEN: "Check the characters at the caret: a stray bracket, quote, ':' or '-'.",
  DUPLICATE_KEY: "Keep one of the two; YAML keeps neither silently.",
  TAG_RESOLVE_FAILED: "Remove the tag: natskube reads plain strings, numbers, booleans, lists and mappings.",
};
const DEFAULT_HINT = "Check the indentation and quoting of this line and the one above.";

/** yaml's error as a diagnostic: at the first character that is not indentation, with a hint for its code. */
export function syntaxDiagnostic(err: YAMLError, text: string, contents: Node | null, at: (offset: number) => SourcePosition): Diagnostic {
  let offset = err.pos[0];
  // yaml points indentation errors at the start of the line; the user looks for the key.
  // A tab error is about the indentation itself, so it keeps its column.
  while (err.code !== "TAB_AS_INDENT" && offset < text.length && (text[offset] === " " || text[offset] === "\t") && offset < err.pos[0] + 1024) offset++;
  if (text[offset] === "\n" || text[offset] === "\r" || offset >= text.length) offset = err.pos[0];
  let message = err.message.split("\n")[0] ?? err.message;
  if (err.code === "DUPLICATE_KEY") {
    const first = firstSpelling(contents, err.pos[0]);
    if (first) message = `key ${JSON.stringify(first.key)} is already set on line ${at(first.offset).line}: map keys must be unique`;
  }
  return { code: "yaml-syntax", severity: "error", path: "", message, hint: HINTS[err.code] ?? DEFAULT_HINT, source: at(offset) };
}

/** The earlier key of a duplicate whose later key starts at `offset`. */
function firstSpelling(node: unknown, offset: number): { key: string; offset: number } | undefined {
  if (isMap(node)) {
    const dup = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.range?.[0] === offset);
    if (dup && isScalar(dup.key)) {
      const key = String(dup.key.value);
      const first = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (first && isScalar(first.key) && first !== dup) return { key, offset: first.key.range?.[0] ?? offset };
    }
    for (const p of node.items) {
      const found = firstSpelling(p.value, offset);
      if (found) return found;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const found = firstSpelling(item, offset);
      if (found) return found;
    }
  }
  return undefined;
}
