/**
 * Variant `expose-private` (VIS-PRIVATE, visibility.ts) only: a careless downlevelling that turns
 * `#private` class members into public, string-keyed ones (`#m() {}` → `["#m"]() {}`, `this.#m` →
 * `this["#m"]`), so `env.S["#m"]()` would reach them.
 *
 * Loaded on demand, so other runs never pay for TypeScript's parser. The parser (rather than a
 * regular expression) keeps strings, comments and regexes that contain `#` untouched, so a broken
 * worker still loads and the variant shows up as exactly one broken requirement.
 */
import ts from "typescript";

export function exposePrivateMembers(fileName: string, source: string): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPrivateIdentifier(node)) {
      const key = JSON.stringify(node.text);
      const parent = node.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.name === node) {
        // `a.#m` → `a["#m"]`, `a?.#m` → `a?.["#m"]`: replace from the dot on.
        const start = parent.questionDotToken
          ? parent.questionDotToken.getEnd()
          : source.indexOf(".", parent.expression.getEnd());
        edits.push({ start, end: node.getEnd(), text: `[${key}]` });
      } else if (ts.isBinaryExpression(parent) && parent.left === node) {
        edits.push({ start: node.getStart(), end: node.getEnd(), text: key }); // `#m in o` → `"#m" in o`
      } else {
        edits.push({ start: node.getStart(), end: node.getEnd(), text: `[${key}]` }); // member declarations
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}
