// @ts-check
/**
 * Finds the module specifiers of a `.js`, `.ts` or `.d.ts` text with the TypeScript parser, so
 * that a rewrite touches imports and requires only, never comments or string values.
 */
const ts = require('typescript');

/**
 * @typedef {object} ModuleReference
 * @property {string} specifier the module name as written
 * @property {number} start offset of the string literal, quote included
 * @property {number} end offset just after the closing quote
 * @property {ReadonlySet<string> | undefined} names what the file takes from the module: the
 *   exported names it reads, or undefined when it cannot be told (a namespace kept whole)
 */

/**
 * @typedef {object} ComputedSpecifier
 * @property {number} line 1-based line of a `require(...)` or `import(...)` whose argument is
 *   not a string literal, which no rewrite can follow
 */

/**
 * @param {string} fileName
 * @param {string} text
 * @returns {{ references: ModuleReference[], computed: ComputedSpecifier[] }}
 */
function moduleReferences(fileName, text) {
  const kind = /\.[cm]?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  /** @type {ModuleReference[]} */
  const references = [];
  /** @type {ComputedSpecifier[]} */
  const computed = [];
  /** @type {Map<string, Set<string>>} names read through each local binding of a required module */
  const bindingNames = new Map();
  /** @type {Map<ts.Node, { literal: ts.StringLiteralLike, names: Set<string> | undefined }>} */
  const pending = new Map();

  /** @param {ts.StringLiteralLike} literal @param {Set<string> | undefined} names */
  const add = (literal, names) => pending.set(literal, { literal, names });

  /** @param {ts.Node} node */
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, declaredNames(node));
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      const parent = node.qualifier ? new Set([ts.isIdentifier(node.qualifier) ? node.qualifier.text : leftmost(node.qualifier)]) : undefined;
      add(node.argument.literal, parent);
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      add(node.expression, undefined);
    } else if (ts.isCallExpression(node) && isModuleCall(node)) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) add(argument, requiredNames(node, bindingNames));
      else computed.push({ line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
    } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      bindingNames.get(node.expression.text)?.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  // Bindings first (`const x_1 = require(...)` precedes its uses), then a second pass reads uses.
  collectRequireBindings(source, bindingNames);
  visit(source);

  for (const { literal, names } of pending.values()) {
    references.push({ specifier: literal.text, start: literal.getStart(source), end: literal.end, names });
  }
  references.sort((a, b) => a.start - b.start);
  return { references, computed };
}

/** @param {ts.CallExpression} call */
function isModuleCall(call) {
  if (call.expression.kind === ts.SyntaxKind.ImportKeyword) return true;
  return ts.isIdentifier(call.expression) && call.expression.text === 'require';
}

/** @param {ts.EntityName} name @returns {string} */
function leftmost(name) {
  return ts.isIdentifier(name) ? name.text : leftmost(name.left);
}

/**
 * The names an `import { a, b as c } from`/`export { a } from` declaration takes, or undefined
 * for `import * as ns`, `export *` and default imports, whose names are not listed there.
 * @param {ts.ImportDeclaration | ts.ExportDeclaration} node
 */
function declaredNames(node) {
  if (ts.isImportDeclaration(node)) {
    const bindings = node.importClause?.namedBindings;
    if (!node.importClause || node.importClause.name || !bindings || !ts.isNamedImports(bindings)) return undefined;
    return new Set(bindings.elements.map((e) => (e.propertyName ?? e.name).text));
  }
  if (!node.exportClause || !ts.isNamedExports(node.exportClause)) return undefined;
  return new Set(node.exportClause.elements.map((e) => (e.propertyName ?? e.name).text));
}

/**
 * `const x_1 = require("m")` (as tsc emits CommonJS, possibly wrapped in `__importStar(...)`):
 * remembers `x_1` so that later `x_1.Name` reads are counted as names taken from `m`.
 * @param {ts.SourceFile} source
 * @param {Map<string, Set<string>>} bindingNames
 */
function collectRequireBindings(source, bindingNames) {
  /** @param {ts.Node} node */
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && requireCallIn(node.initializer)) {
      bindingNames.set(node.name.text, new Set());
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

/** @param {ts.Expression} expression @returns {ts.CallExpression | undefined} */
function requireCallIn(expression) {
  if (!ts.isCallExpression(expression)) return undefined;
  if (isModuleCall(expression)) return expression;
  return expression.arguments.length === 1 ? requireCallIn(expression.arguments[0]) : undefined;
}

/**
 * The names a `require(...)` call is used for: `require("m").Name`, `const { A, B } = require("m")`,
 * or every `x_1.Name` read of `const x_1 = require("m")`. Undefined when the module is handed on
 * whole (`__exportStar(require("m"), exports)`), where no list of names exists.
 * @param {ts.CallExpression} call
 * @param {Map<string, Set<string>>} bindingNames
 */
function requiredNames(call, bindingNames) {
  let node = /** @type {ts.Node} */ (call);
  // Step out of wrappers such as __importStar(require("m")).
  while (ts.isCallExpression(node.parent) && node.parent.arguments.length === 1 && node.parent.arguments[0] === node) node = node.parent;
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) return new Set([parent.name.text]);
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return bindingNames.get(parent.name.text);
  if (ts.isVariableDeclaration(parent) && ts.isObjectBindingPattern(parent.name)) {
    return new Set(parent.name.elements.map((e) => (e.propertyName && ts.isIdentifier(e.propertyName) ? e.propertyName : /** @type {ts.Identifier} */ (e.name)).text));
  }
  return undefined;
}

/**
 * Replaces the module specifiers `map` has a target for, keeping each literal's quote style.
 * @param {string} fileName decides how the text is parsed (`.js` as JavaScript, else TypeScript)
 * @param {string} text
 * @param {(specifier: string) => string | undefined} map
 * @returns {{ text: string, rewritten: Array<{ reference: ModuleReference, target: string }>, computed: ComputedSpecifier[] }}
 */
function rewriteModuleSpecifiers(fileName, text, map) {
  const { references, computed } = moduleReferences(fileName, text);
  /** @type {Array<{ reference: ModuleReference, target: string }>} */
  const rewritten = [];
  let out = '';
  let at = 0;
  for (const reference of references) {
    const target = map(reference.specifier);
    if (target === undefined) continue;
    const quote = text[reference.start];
    out += text.slice(at, reference.start) + quote + target + quote;
    at = reference.end;
    rewritten.push({ reference, target });
  }
  return { text: out + text.slice(at), rewritten, computed };
}

module.exports = { moduleReferences, rewriteModuleSpecifiers };
