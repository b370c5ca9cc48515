import type { Compiler } from './compiler';
import { Expression, SourceSpan, typeText } from './syntax';
import { acceptsNull, CsType, isAssignable, SIMPLE_TYPES, UNKNOWN } from './types';
import { CharValue, Compiled, CsValue, dotnetTypeName, runtimeTypeName, unboxAs } from './values';

/* Casts `(T)x` and `x as T` between the types of the subset, `object` included. */

export function cast(compiler: Compiler, node: Extract<Expression, { kind: 'cast' }>, operand: Compiled): Compiled {
  const type = compiler.typeOf(node.type);
  if (type === UNKNOWN || operand.type === UNKNOWN) return compiler.unsupported(node, `the cast to ${typeText(node.type)} is not supported`, operand);
  if (isAssignable(operand.type, type)) return { type, run: (env) => operand.run(env) };
  if (operand.type === 'char' && type === 'int') return { type, run: (env) => (operand.run(env) as CharValue).code };
  if (operand.type === 'int' && type === 'char') return { type, run: (env) => new CharValue((operand.run(env) as number) & 0xffff) };
  if (operand.type === 'object') return { type, run: (env) => unbox(compiler, node, operand.run(env), type, true) };
  if (SIMPLE_TYPES.has(operand.type) && SIMPLE_TYPES.has(type)) throw compiler.notCompiling(node, `cannot convert type ${operand.type} to ${type}`);
  return compiler.unsupported(node, `the cast from ${operand.type} to ${type} is not supported`, operand);
}

export function asType(compiler: Compiler, node: Extract<Expression, { kind: 'as' }>, operand: Compiled): Compiled {
  const type = compiler.typeOf(node.type);
  if (type === UNKNOWN || operand.type === UNKNOWN) return compiler.unsupported(node, `"as ${typeText(node.type)}" is not supported`, operand);
  if (!acceptsNull(type)) throw compiler.notCompiling(node, `the as operator needs a reference or nullable type, not ${type}`);
  if (isAssignable(operand.type, type)) return { type, run: (env) => operand.run(env) };
  if (operand.type === 'object') return { type, run: (env) => unbox(compiler, node, operand.run(env), type, false) };
  return compiler.unsupported(node, `"as ${type}" on ${operand.type} is not supported`, operand);
}

/** An `object` seen as `type`: InvalidCastException (cast) or null (as) when it is not one. */
function unbox(compiler: Compiler, node: { readonly span: SourceSpan }, value: CsValue, type: CsType, throwing: boolean): CsValue {
  const result = unboxAs(value, type);
  if ('value' in result) return result.value;
  if (result.failure === 'null') throw compiler.exception(node, 'NullReferenceException', 'Object reference not set to an instance of an object (unboxing null)');
  if (!throwing) return null;
  throw compiler.exception(node, 'InvalidCastException', `Unable to cast object of type '${runtimeTypeName(value)}' to type '${dotnetTypeName(type)}'.`);
}
