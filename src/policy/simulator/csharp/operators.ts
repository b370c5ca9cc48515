import type { Compiler } from './compiler';
import { Expression } from './syntax';
import { acceptsNull, CsType, isValueType, NULL_LITERAL, underlying, UNKNOWN } from './types';
import { CharValue, Compiled, CsValue, DateTimeValue, EnumValue } from './values';

/*
 * `==` and `!=` as C# defines them for the types of the subset. Equality of reference types
 * other than string is reference equality, which depends on object identity the simulator does
 * not model: that is left unsupported rather than guessed.
 */

/** Value types whose `==` compares values, after lifting nullable operands. */
const VALUE_EQUALITY = new Set(['bool', 'int', 'char', 'DateTime', 'StringComparison', 'StringSplitOptions']);
/** Types between which C# defines no `==` at all (unless equal). */
const UNRELATED = new Set(['bool', 'int', 'string', 'DateTime']);

export function equality(compiler: Compiler, node: Extract<Expression, { kind: 'binary' }>, left: Compiled, right: Compiled): Compiled {
  const equal = equalityTest(compiler, node, left, right);
  if (equal.type !== 'bool') return equal;
  return node.operator === '==' ? equal : { type: 'bool', run: (env) => !equal.run(env) };
}

function equalityTest(compiler: Compiler, node: Extract<Expression, { kind: 'binary' }>, left: Compiled, right: Compiled): Compiled {
  const [a, b] = [left.type, right.type];
  const compare = (test: (x: CsValue, y: CsValue) => boolean): Compiled => ({
    type: 'bool',
    run: (env) => test(left.run(env), right.run(env)),
  });
  if (a === UNKNOWN || b === UNKNOWN) return compiler.unsupported(node, `${node.operator} on an unsupported value`, left, right);
  const textual = (type: CsType) => type === 'string' || type === NULL_LITERAL;
  if (textual(a) && textual(b)) return compare((x, y) => x === y); // string == is ordinal
  if (a === NULL_LITERAL || b === NULL_LITERAL) {
    const other = a === NULL_LITERAL ? b : a;
    // A value type compared with null compiles (with a warning) and is never equal.
    if (!acceptsNull(other)) return compare(() => false);
    return compare((x, y) => x === null && y === null);
  }
  const [x, y] = [underlying(a), underlying(b)];
  const numeric = (type: CsType) => type === 'int' || type === 'char';
  if ((x === y && VALUE_EQUALITY.has(x)) || (numeric(x) && numeric(y))) {
    return compare((p, q) => (p === null || q === null ? p === q : valueOf(p) === valueOf(q)));
  }
  if (x !== y && ((UNRELATED.has(x) && UNRELATED.has(y)) || (isValueType(a) && isValueType(b)))) {
    throw compiler.notCompiling(node, `operator ${node.operator} cannot be applied to operands of type ${a} and ${b}`);
  }
  return compiler.unsupported(node, `${node.operator} on ${a} and ${b} compares references, which is not simulated`, left, right);
}

function valueOf(value: CsValue): unknown {
  if (value instanceof DateTimeValue) return value.time;
  if (value instanceof CharValue) return value.code;
  if (value instanceof EnumValue) return `${value.type}.${value.name}`;
  return value;
}
