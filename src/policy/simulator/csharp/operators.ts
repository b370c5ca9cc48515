import { UnsupportedExpressionError } from '../simulation-errors';
import type { Compiler } from './compiler';
import { Expression, textOf } from './syntax';
import { acceptsNull, commonType, CsType, isNullable, isValueType, NULL_LITERAL, SIMPLE_TYPES, underlying, UNKNOWN } from './types';
import { CharValue, Compiled, CsValue, DateTimeValue, EnumValue, runtimeTypeName } from './values';

/*
 * The operators of the subset, typed as C# types them. Equality of reference types other than
 * string is reference equality, which depends on object identity the simulator does not model:
 * that is left unsupported rather than guessed.
 */

/** Value types whose `==` compares values, after lifting nullable operands. */
const VALUE_EQUALITY = new Set(['bool', 'int', 'char', 'DateTime', 'StringComparison', 'StringSplitOptions']);

export function unaryOperator(compiler: Compiler, node: Extract<Expression, { kind: 'unary' }>, operand: Compiled): Compiled {
  const type = underlying(operand.type);
  if (operand.type === UNKNOWN) return compiler.unsupported(node, `${node.operator} on an unsupported value`, operand);
  if (node.operator === '!') {
    if (type !== 'bool') throw compiler.notCompiling(node, `operator ! cannot be applied to an operand of type ${operand.type}`);
    return { type: operand.type, run: (env) => lifted(operand.run(env), (value) => !value) };
  }
  if (type !== 'int') return compiler.unsupported(node, `${node.operator} on ${operand.type} is not supported`, operand);
  const apply = node.operator === '-' ? (n: number) => -n | 0 : node.operator === '~' ? (n: number) => ~n : (n: number) => n;
  return { type: operand.type, run: (env) => lifted(operand.run(env), (value) => apply(value as number)) };
}

export function binaryOperator(compiler: Compiler, node: Extract<Expression, { kind: 'binary' }>, left: Compiled, right: Compiled): Compiled {
  const operator = node.operator;
  const unknown = left.type === UNKNOWN || right.type === UNKNOWN;
  const cannotApply = () =>
    compiler.notCompiling(node, `operator ${operator} cannot be applied to operands of type ${left.type} and ${right.type}`);
  switch (operator) {
    case '||':
    case '&&': {
      if (!unknown && (left.type !== 'bool' || right.type !== 'bool')) throw cannotApply();
      // Left to right, stopping at the first operand that decides, as C# does.
      return operator === '||'
        ? { type: 'bool', run: (env) => (left.run(env) as boolean) || (right.run(env) as boolean) }
        : { type: 'bool', run: (env) => (left.run(env) as boolean) && (right.run(env) as boolean) };
    }
    case '==':
    case '!=':
      return equality(compiler, node, left, right);
    case '??':
      return nullCoalescing(compiler, node, left, right);
    default:
      break;
  }
  if (unknown) return compiler.unsupported(node, `${operator} on an unsupported value`, left, right);
  if (['<', '>', '<=', '>='].includes(operator)) return relational(compiler, node, left, right);
  if (operator === '+' && (left.type === 'string' || right.type === 'string')) return concatenation(compiler, node, left, right);
  if (operator === '+' || operator === '-') {
    if (left.type === 'int' && right.type === 'int') {
      return { type: 'int', run: (env) => (operator === '+' ? (left.run(env) as number) + (right.run(env) as number) : (left.run(env) as number) - (right.run(env) as number)) | 0 };
    }
  }
  if ((operator === '|' || operator === '&' || operator === '^') && left.type === 'bool' && right.type === 'bool') {
    // Not short-circuiting: both operands run.
    return {
      type: 'bool',
      run: (env) => {
        const a = left.run(env) as boolean;
        const b = right.run(env) as boolean;
        return operator === '|' ? a || b : operator === '&' ? a && b : a !== b;
      },
    };
  }
  if (SIMPLE_TYPES.has(left.type) && SIMPLE_TYPES.has(right.type) && (left.type === 'bool' || right.type === 'bool' || left.type === 'DateTime' || right.type === 'DateTime')) {
    throw cannotApply();
  }
  return compiler.unsupported(node, `${operator} on ${left.type} and ${right.type} is not supported`, left, right);
}

function relational(compiler: Compiler, node: Extract<Expression, { kind: 'binary' }>, left: Compiled, right: Compiled): Compiled {
  const a = underlying(left.type);
  const b = underlying(right.type);
  const comparable = a === b && (a === 'int' || a === 'DateTime' || a === 'char');
  if (!comparable) {
    if (SIMPLE_TYPES.has(a) && SIMPLE_TYPES.has(b)) {
      throw compiler.notCompiling(node, `operator ${node.operator} cannot be applied to operands of type ${left.type} and ${right.type}`);
    }
    return compiler.unsupported(node, `${node.operator} on ${left.type} and ${right.type} is not supported`, left, right);
  }
  const holds: Record<string, (difference: number) => boolean> = { '>': (d) => d > 0, '<': (d) => d < 0, '>=': (d) => d >= 0, '<=': (d) => d <= 0 };
  const test = holds[node.operator];
  return {
    type: 'bool',
    run: (env) => {
      const x = left.run(env);
      const y = right.run(env);
      // Lifted comparison: false when either side is null.
      if (x === null || y === null) return false;
      return test(orderOf(x) - orderOf(y));
    },
  };
}

function concatenation(compiler: Compiler, node: Extract<Expression, { kind: 'binary' }>, left: Compiled, right: Compiled): Compiled {
  const text = (value: CsValue): string | undefined => {
    if (value === null) return '';
    if (typeof value === 'string') return value;
    if (value instanceof CharValue) return value.text;
    if (typeof value === 'boolean') return value ? 'True' : 'False';
    if (typeof value === 'number' && value >= 0) return String(value); // no sign: the same in every culture
    return undefined;
  };
  return {
    type: 'string',
    run: (env) => {
      const a = left.run(env);
      const b = right.run(env);
      env.host.observer?.used(a, 'a concatenation');
      env.host.observer?.used(b, 'a concatenation');
      const x = text(a);
      const y = text(b);
      if (x === undefined || y === undefined) {
        throw new UnsupportedExpressionError(textOf(compiler.source, node), compiler.source, `${runtimeTypeName(x === undefined ? a : b)}.ToString() in a concatenation is not simulated`);
      }
      return x + y;
    },
  };
}

function nullCoalescing(compiler: Compiler, node: Extract<Expression, { kind: 'binary' }>, left: Compiled, right: Compiled): Compiled {
  if (left.type !== UNKNOWN && !acceptsNull(left.type)) throw compiler.notCompiling(node, `operator ?? cannot be applied to operands of type ${left.type} and ${right.type}`);
  const type = isNullable(left.type) && right.type === underlying(left.type) ? right.type : commonType(left.type, right.type);
  if (type === undefined) throw compiler.notCompiling(node, `operator ?? cannot be applied to operands of type ${left.type} and ${right.type}`);
  return {
    type,
    run: (env) => {
      const value = left.run(env);
      return value !== null ? value : right.run(env);
    },
  };
}


/** A lifted operator: null stays null. */
function lifted(value: CsValue, apply: (value: CsValue) => CsValue): CsValue {
  return value === null ? null : apply(value);
}

/** What relational operators compare. */
function orderOf(value: CsValue): number {
  if (value instanceof DateTimeValue) return value.time;
  if (value instanceof CharValue) return value.code;
  return value as number;
}

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
  if (textual(a) && textual(b)) {
    // string == is ordinal
    return { type: 'bool', run: (env) => {
      const x = left.run(env);
      const y = right.run(env);
      env.host.observer?.compared(x, y);
      return x === y;
    } };
  }
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
  if (x !== y && ((SIMPLE_TYPES.has(x) && SIMPLE_TYPES.has(y)) || (isValueType(a) && isValueType(b)))) {
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
