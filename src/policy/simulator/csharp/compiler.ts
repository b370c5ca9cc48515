import { InvalidPolicyError, UnsupportedExpressionError } from '../simulation-errors';
import { DOTNET } from '../dotnet';
import { CallSite, CompiledLambda, ConstructorSite, IndexSite, LAMBDA_ARGUMENT, MemberSite, OUT_ARGUMENT, OutSlot } from './members';
import { asType, cast } from './conversions';
import { binaryOperator, unaryOperator } from './operators';
import { Expression, SourceSpan, textOf, TypeSyntax, typeText } from './syntax';
import { acceptsNull, commonType, CsType, isAssignable, NULL_LITERAL, nullableOf, UNKNOWN } from './types';
import { CharValue, Compiled, CsValue, PolicyExpressionException, UNASSIGNED } from './values';

/*
 * Type-checks a parsed expression and turns it into a function of the request.
 *
 * Two kinds of problems are told apart, as APIM tells them apart:
 * - text C# would not compile (a type mismatch between known types, a missing return, …) is an
 *   InvalidPolicyError as soon as the expression is compiled, wherever it is: APIM refuses it;
 * - valid C# outside the subset (an unknown member, an unsupported overload or operator) compiles
 *   to a node of unknown type that raises UnsupportedExpressionError only when evaluation reaches
 *   it, so `Certificate == null || <unsupported>` still decides a caller without a certificate.
 */

/** Locals visible at a point of a statement block or lambda. */
export class Scope {
  private readonly names = new Map<string, { readonly type: CsType; readonly readOnly: boolean }>();

  constructor(private readonly parent?: Scope) {}

  lookup(name: string): { readonly type: CsType; readonly readOnly: boolean } | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }

  /** Declares a local; false when C# would refuse the name (already a local here or around). */
  declare(name: string, type: CsType, readOnly = false): boolean {
    if (this.lookup(name) || name === 'context') return false;
    this.names.set(name, { type, readOnly });
    return true;
  }
}

/** Thrown by `x?.y` when x is null; caught where the null-conditional chain ends. */
const SHORT_CIRCUIT = Object.freeze({ shortCircuit: true });

/** Types the subset knows by the names written in casts, declarations and type arguments. */
const KNOWN_TYPE_NAMES = new Set(['string', 'bool', 'int', 'char', 'object', 'DateTime', 'X509Certificate2', 'byte[]', 'string[]', 'char[]', 'HashSet<string>', 'List<string>', 'IEnumerable<string>']);
const TYPE_ALIASES: Readonly<Record<string, string>> = { String: 'string', Boolean: 'bool', Int32: 'int', Char: 'char', Object: 'object' };

export class Compiler {
  constructor(
    readonly source: string,
    /** How messages quote the whole expression: `@(…)` or `@{…}`. */
    readonly display: string,
  ) {}

  expression(node: Expression, scope: Scope, chainTop = true): Compiled {
    switch (node.kind) {
      case 'null':
        return { type: NULL_LITERAL, run: () => null };
      case 'boolean':
        return { type: 'bool', run: () => node.value };
      case 'string':
        return { type: 'string', run: () => node.value };
      case 'char': {
        const value = new CharValue(node.value.charCodeAt(0));
        return { type: 'char', run: () => value };
      }
      case 'int':
        return { type: 'int', run: () => node.value };
      case 'unsupported-literal':
        return this.unsupported(node, 'this kind of literal is not supported');
      case 'identifier':
        return this.identifier(node, scope);
      case 'member':
      case 'call':
      case 'index':
        return chainTop ? this.chain(node, scope) : this.postfix(node, scope);
      case 'unary':
        return unaryOperator(this, node, this.expression(node.operand, scope));
      case 'binary':
        return binaryOperator(this, node, this.expression(node.left, scope), this.expression(node.right, scope));
      case 'conditional':
        return this.conditional(node, scope);
      case 'cast':
        return cast(this, node, this.expression(node.operand, scope));
      case 'as':
        return asType(this, node, this.expression(node.operand, scope));
      case 'is-null':
        return this.isNull(node, scope);
      case 'lambda':
        return this.unsupported(node, 'a lambda is supported only as the argument of a method such as Any(...)');
      case 'new-array':
        return this.newArray(node, scope);
      case 'new-object':
        return this.newObject(node, scope);
    }
  }

  /** The type a type syntax names in the subset, or `?`. */
  typeOf(syntax: TypeSyntax): CsType {
    const written = typeText(syntax);
    const name = TYPE_ALIASES[syntax.name] ? typeText({ ...syntax, name: TYPE_ALIASES[syntax.name] }) : written;
    if (KNOWN_TYPE_NAMES.has(name)) return name;
    return UNKNOWN;
  }

  /** Compiles `body` as a lambda with one parameter of `parameterType`. */
  lambda(node: Extract<Expression, { kind: 'lambda' }>, parameterType: CsType, scope: Scope): CompiledLambda {
    const inner = new Scope(scope);
    if (!inner.declare(node.parameter, parameterType, true)) {
      throw this.notCompiling(node, `the lambda parameter ${node.parameter} hides another name`);
    }
    const body = this.expression(node.body, inner);
    return {
      type: body.type,
      invoke: (env, argument) => {
        const previous = env.locals.get(node.parameter);
        env.locals.set(node.parameter, argument);
        try {
          return body.run(env);
        } finally {
          if (previous === undefined) env.locals.delete(node.parameter);
          else env.locals.set(node.parameter, previous);
        }
      },
    };
  }

  // ---- errors ----

  /** A node of unknown type that raises UnsupportedExpressionError when evaluation reaches it, after its operands. */
  unsupported(node: { readonly span: SourceSpan }, detail: string, ...operands: Compiled[]): Compiled {
    return {
      type: UNKNOWN,
      run: (env) => {
        for (const operand of operands) operand.run(env);
        throw new UnsupportedExpressionError(textOf(this.source, node), this.source, detail);
      },
    };
  }

  notCompiling(node: { readonly span: SourceSpan }, detail: string): InvalidPolicyError {
    return new InvalidPolicyError(`${detail} in "${textOf(this.source, node)}" of ${this.display}; it would not compile`);
  }

  exception(node: { readonly span: SourceSpan }, exceptionType: string, message: string): PolicyExpressionException {
    return new PolicyExpressionException(exceptionType, `${message} (in ${textOf(this.source, node)})`);
  }

  /** `value`, or NullReferenceException naming `what`. */
  notNull(value: CsValue, what: string): CsValue {
    if (value === null) {
      throw new PolicyExpressionException('NullReferenceException', `Object reference not set to an instance of an object (${what} is null)`);
    }
    return value;
  }

  expectType(compiled: Compiled, type: CsType, node: Expression): Compiled {
    if (!isAssignable(compiled.type, type)) throw this.notCompiling(node, `expected ${type}, found ${compiled.type}`);
    return compiled;
  }

  // ---- names ----

  private identifier(node: Extract<Expression, { kind: 'identifier' }>, scope: Scope): Compiled {
    const local = scope.lookup(node.name);
    if (local) {
      return {
        type: local.type,
        run: (env) => {
          const value = env.locals.get(node.name);
          if (value === UNASSIGNED || value === undefined) {
            throw this.notCompiling(node, `the local ${node.name} is read before it is assigned; C# accepts only definitely assigned locals`);
          }
          return value;
        },
      };
    }
    const global = DOTNET.globals[node.name];
    if (global) return { type: global.type, run: (env) => global.value(env) };
    return this.unsupported(node, `unknown name ${node.name}`);
  }

  // ---- member access, calls, indexers ----

  /** The outermost access of a chain: `a?.b.c` is null as a whole when a is null. */
  private chain(node: Expression, scope: Scope): Compiled {
    const inner = this.postfix(node, scope);
    if (!hasConditional(node)) return inner;
    return {
      type: nullableOf(inner.type),
      run: (env) => {
        try {
          return inner.run(env);
        } catch (signal) {
          if (signal === SHORT_CIRCUIT) return null;
          throw signal;
        }
      },
    };
  }

  private postfix(node: Expression, scope: Scope): Compiled {
    switch (node.kind) {
      case 'member':
        return this.member(node, scope);
      case 'call':
        return this.call(node, scope);
      case 'index':
        return this.index(node, scope);
      default:
        return this.expression(node, scope, false);
    }
  }

  private site(node: Expression, target: Compiled, targetNode: Expression, conditional: boolean, member: string): MemberSite {
    const targetText = textOf(this.source, targetNode);
    // The string tests report themselves (with what they test against); any other member uses the value.
    const reportsItself = TESTS.has(member);
    return {
      text: textOf(this.source, node),
      receiverType: target.type,
      receiver: (env) => {
        const value = target.run(env);
        if (value === null && conditional) throw SHORT_CIRCUIT;
        if (!reportsItself) env.host.observer?.used(value, `${member} of it`);
        return this.notNull(value, targetText);
      },
      exception: (exceptionType, message) => this.exception(node, exceptionType, message),
      unsupported: (detail) => this.unsupported(node, detail, target),
      unsupportedValue: (detail) => new UnsupportedExpressionError(textOf(this.source, node), this.source, detail),
      notCompiling: (detail) => this.notCompiling(node, detail),
    };
  }

  private member(node: Extract<Expression, { kind: 'member' }>, scope: Scope): Compiled {
    const target = this.expression(node.target, scope, false);
    if (target.type === NULL_LITERAL) throw this.notCompiling(node, 'member access on the null literal');
    const site = this.site(node, target, node.target, node.conditional, node.name);
    if (target.type === UNKNOWN) return site.unsupported(`${node.name} of an unsupported value`);
    const property = DOTNET.members(target.type)?.properties?.[node.name];
    if (!property) return site.unsupported(`${node.name} of ${target.type} is not supported`);
    return { type: property.type, run: (env) => property.get(site.receiver(env), env, site) };
  }

  private call(node: Extract<Expression, { kind: 'call' }>, scope: Scope): Compiled {
    if (node.callee.kind !== 'member') return this.unsupported(node, `calling ${textOf(this.source, node.callee)} is not supported`);
    const callee = node.callee;
    const target = this.expression(callee.target, scope, false);
    if (target.type === NULL_LITERAL) throw this.notCompiling(node, 'member access on the null literal');
    const base = this.site(node, target, callee.target, callee.conditional, callee.name);
    const typeArguments = node.typeArguments.map((type) => this.typeOf(type));
    const compiledArgs = new Map<number, Compiled>();
    const arg = (i: number): Compiled => {
      let compiled = compiledArgs.get(i);
      if (!compiled) {
        const plain = this.expression(node.args[i].value, scope);
        compiled = callee.name === 'Equals' ? plain : observedArgument(plain, `an argument of ${callee.name}`);
        compiledArgs.set(i, compiled);
      }
      return compiled;
    };
    const argTypes = node.args.map((argument, i) => (argument.out ? OUT_ARGUMENT : argument.value.kind === 'lambda' ? LAMBDA_ARGUMENT : arg(i).type));
    const signature = `${target.type}.${callee.name}${typeArguments.length ? `<${typeArguments.join(', ')}>` : ''}(${argTypes.map((t) => (t === LAMBDA_ARGUMENT ? 'lambda' : t)).join(', ')})`;
    if (target.type === UNKNOWN) return base.unsupported(`${callee.name}(...) of an unsupported value`);
    const method = DOTNET.members(target.type)?.methods?.[callee.name];
    const site: CallSite = {
      ...base,
      name: callee.name,
      typeArguments,
      argTypes,
      arg,
      lambda: (i, parameterType) => {
        const argument = node.args[i].value;
        if (argument.kind !== 'lambda') throw new Error(`argument ${i} is not a lambda`);
        return this.lambda(argument, parameterType, scope);
      },
      out: (i, type) => this.outSlot(node.args[i], type, scope),
    };
    const compiled = method?.(site);
    if (compiled) return compiled;
    const plainArgs = argTypes.flatMap((type, i) => (type === LAMBDA_ARGUMENT || type === OUT_ARGUMENT ? [] : [arg(i)]));
    return this.unsupported(node, `${signature} is not supported`, target, ...plainArgs);
  }

  private outSlot(argument: Extract<Expression, { kind: 'call' }>['args'][number], type: CsType, scope: Scope): OutSlot {
    const out = argument.out!;
    if (out.declaredType !== undefined) {
      const declared = out.declaredType === 'var' ? type : this.typeOf(out.declaredType);
      if (!isAssignable(type, declared)) throw this.notCompiling(argument.value, `an out argument of type ${type} cannot be stored in ${declared}`);
      if (!scope.declare(out.name, declared)) throw this.notCompiling(argument.value, `a local named ${out.name} is already defined`);
    } else {
      const local = scope.lookup(out.name);
      if (!local || local.readOnly) throw this.notCompiling(argument.value, `${out.name} is not a local that can be assigned`);
      if (!isAssignable(type, local.type)) throw this.notCompiling(argument.value, `an out argument of type ${type} cannot be stored in ${local.type}`);
    }
    return { assign: (env, value) => env.locals.set(out.name, value) };
  }

  private index(node: Extract<Expression, { kind: 'index' }>, scope: Scope): Compiled {
    const target = this.expression(node.target, scope, false);
    const args = node.args.map((argument) => observedArgument(this.expression(argument, scope), 'an index'));
    const base = this.site(node, target, node.target, node.conditional, 'an indexer');
    if (target.type === UNKNOWN) return base.unsupported('an indexer of an unsupported value');
    const site: IndexSite = { ...base, args };
    return DOTNET.members(target.type)?.indexer?.(site) ?? this.unsupported(node, `the indexer of ${target.type} with (${args.map((a) => a.type).join(', ')}) is not supported`, target, ...args);
  }

  private newObject(node: Extract<Expression, { kind: 'new-object' }>, scope: Scope): Compiled {
    const written = typeText(node.type);
    const constructed = TYPE_ALIASES[node.type.name] ? typeText({ ...node.type, name: TYPE_ALIASES[node.type.name] }) : written;
    const args = node.args.map((argument) => observedArgument(this.expression(argument, scope), 'a constructor'));
    const initializer = node.initializer?.map((item) => observedArgument(this.expression(item, scope), 'a collection initializer'));
    const site: ConstructorSite = {
      text: textOf(this.source, node),
      receiverType: constructed,
      receiver: () => null,
      exception: (exceptionType, message) => this.exception(node, exceptionType, message),
      unsupported: (detail) => this.unsupported(node, detail, ...args, ...(initializer ?? [])),
      unsupportedValue: (detail) => new UnsupportedExpressionError(textOf(this.source, node), this.source, detail),
      notCompiling: (detail) => this.notCompiling(node, detail),
      typeText: constructed,
      args,
      initializer,
    };
    return DOTNET.constructors[constructed]?.(site) ?? site.unsupported(`new ${written}(...) with these arguments is not supported`);
  }

  private newArray(node: Extract<Expression, { kind: 'new-array' }>, scope: Scope): Compiled {
    const items = node.items.map((item) => this.expression(item, scope));
    let element: CsType | undefined = node.elementType ? this.typeOf(node.elementType) : undefined;
    if (element === undefined) {
      element = items.reduce<CsType | undefined>((common, item) => (common === undefined ? undefined : commonType(common, item.type)), items[0]?.type ?? NULL_LITERAL);
      if (element === undefined || element === NULL_LITERAL) throw this.notCompiling(node, 'no best type was found for the implicitly-typed array');
    }
    if (element !== UNKNOWN) {
      items.forEach((item, i) => {
        if (!isAssignable(item.type, element!)) throw this.notCompiling(node.items[i], `an array of ${element} cannot hold ${item.type}`);
      });
    }
    if (element !== 'string' && element !== 'char') return this.unsupported(node, `arrays of ${element} are not supported`, ...items);
    return { type: `${element}[]`, run: (env) => items.map((item) => item.run(env)) };
  }

  // ---- other expressions ----

  private conditional(node: Extract<Expression, { kind: 'conditional' }>, scope: Scope): Compiled {
    const test = this.expectType(this.expression(node.test, scope), 'bool', node.test);
    const whenTrue = this.expression(node.whenTrue, scope);
    const whenFalse = this.expression(node.whenFalse, scope);
    const type = commonType(whenTrue.type, whenFalse.type);
    if (type === undefined) throw this.notCompiling(node, `no implicit conversion between ${whenTrue.type} and ${whenFalse.type}`);
    return { type, run: (env) => ((test.run(env) as boolean) ? whenTrue.run(env) : whenFalse.run(env)) };
  }

  private isNull(node: Extract<Expression, { kind: 'is-null' }>, scope: Scope): Compiled {
    const operand = this.expression(node.operand, scope);
    if (node.negated) return this.unsupported(node, '"is not null" is C# 9; APIM documents C# 7', operand);
    if (!acceptsNull(operand.type)) throw this.notCompiling(node, `a value of type ${operand.type} is never null`);
    return { type: 'bool', run: (env) => operand.run(env) === null };
  }

}

function hasConditional(node: Expression): boolean {
  switch (node.kind) {
    case 'member':
    case 'index':
      return node.conditional || hasConditional(node.target);
    case 'call':
      return hasConditional(node.callee);
    default:
      return false;
  }
}

/** String members that report what they test a watched value against (see ValueObserver). */
const TESTS = new Set(['Equals', 'StartsWith', 'EndsWith', 'Contains']);

/** An argument that counts as a use of a watched value it evaluates to. */
function observedArgument(compiled: Compiled, where: string): Compiled {
  return {
    type: compiled.type,
    run: (env) => {
      const value = compiled.run(env);
      env.host.observer?.used(value, where);
      return value;
    },
  };
}
