import { enumerate } from '../dotnet/sequences';
import { Compiler, Scope } from './compiler';
import { Statement, textOf } from './syntax';
import { commonType, CsType, elementTypeOf, isAssignable, NULL_LITERAL, UNKNOWN } from './types';
import { Compiled, CsValue, Env, UNASSIGNED } from './values';

/*
 * Statement blocks `@{ … }`: locals (`var`, typed, assigned later), if/else, foreach, return.
 * As in C#, every path must end in a return, and the block's type is that of its returns.
 */

/** What a statement leaves: nothing (it completed) or the value of a return. */
type Completion = undefined | { readonly value: CsValue };

interface CompiledStatement {
  /** Whether the end of the statement can be reached (C# reachability). */
  readonly completes: boolean;
  run(env: Env): Completion;
}

export function compileStatementBlock(compiler: Compiler, block: Statement): Compiled {
  const returns: { readonly type: CsType; readonly statement: Statement }[] = [];
  const body = new BlockCompiler(compiler, returns).statement(block, new Scope());
  if (body.completes) throw compiler.notCompiling(block, 'not all code paths return a value');
  let type: CsType = returns[0].type;
  for (const { type: next, statement } of returns.slice(1)) {
    const common = commonType(type, next);
    if (common === undefined) throw compiler.notCompiling(statement, `this block returns both ${type} and ${next}`);
    type = common;
  }
  return {
    type,
    run: (env) => {
      const completion = body.run(env);
      return completion!.value;
    },
  };
}

class BlockCompiler {
  constructor(
    private readonly compiler: Compiler,
    private readonly returns: { readonly type: CsType; readonly statement: Statement }[],
  ) {}

  statement(statement: Statement, scope: Scope): CompiledStatement {
    switch (statement.kind) {
      case 'block':
        return this.block(statement.statements, new Scope(scope));
      case 'empty':
        return { completes: true, run: () => undefined };
      case 'declaration':
        return this.declaration(statement, scope);
      case 'assignment':
        return this.assignment(statement, scope);
      case 'expression': {
        const expression = this.compiler.expression(statement.expression, scope);
        return {
          completes: true,
          run: (env) => {
            expression.run(env);
            return undefined;
          },
        };
      }
      case 'if':
        return this.ifStatement(statement, scope);
      case 'return': {
        const value = this.compiler.expression(statement.value, scope);
        this.returns.push({ type: value.type, statement });
        return { completes: false, run: (env) => ({ value: value.run(env) }) };
      }
      case 'foreach':
        return this.foreach(statement, scope);
    }
  }

  private block(statements: readonly Statement[], scope: Scope): CompiledStatement {
    const compiled = statements.map((statement) => this.statement(statement, scope));
    return {
      completes: compiled.every((statement) => statement.completes),
      run: (env) => {
        for (const statement of compiled) {
          const completion = statement.run(env);
          if (completion) return completion;
        }
        return undefined;
      },
    };
  }

  private declaration(statement: Extract<Statement, { kind: 'declaration' }>, scope: Scope): CompiledStatement {
    const init = statement.init && this.compiler.expression(statement.init, scope);
    let type: CsType;
    if (statement.declaredType === 'var') {
      type = init!.type;
      if (type === NULL_LITERAL) throw this.compiler.notCompiling(statement, 'cannot assign null to an implicitly-typed local');
    } else {
      type = this.compiler.typeOf(statement.declaredType);
      if (init && !isAssignable(init.type, type)) throw this.compiler.notCompiling(statement, `cannot convert ${init.type} to ${type}`);
    }
    if (!scope.declare(statement.name, type)) throw this.compiler.notCompiling(statement, `a local named ${statement.name} is already defined`);
    return {
      completes: true,
      run: (env) => {
        env.locals.set(statement.name, init ? init.run(env) : UNASSIGNED);
        return undefined;
      },
    };
  }

  private assignment(statement: Extract<Statement, { kind: 'assignment' }>, scope: Scope): CompiledStatement {
    const local = scope.lookup(statement.name);
    const value = this.compiler.expression(statement.value, scope);
    if (!local) {
      const unsupported = this.compiler.unsupported(statement, `assigning to ${statement.name}, which is not a local, is not supported`, value);
      return { completes: true, run: (env) => (unsupported.run(env), undefined) };
    }
    if (local.readOnly) throw this.compiler.notCompiling(statement, `${statement.name} is read-only here`);
    if (!isAssignable(value.type, local.type)) throw this.compiler.notCompiling(statement, `cannot convert ${value.type} to ${local.type}`);
    return {
      completes: true,
      run: (env) => {
        env.locals.set(statement.name, value.run(env));
        return undefined;
      },
    };
  }

  private ifStatement(statement: Extract<Statement, { kind: 'if' }>, scope: Scope): CompiledStatement {
    const test = this.compiler.expectType(this.compiler.expression(statement.test, scope), 'bool', statement.test);
    const then = this.embedded(statement.then, scope);
    const otherwise = statement.otherwise && this.embedded(statement.otherwise, scope);
    // A constant condition makes the branch not taken unreachable, as C# reachability says.
    const constant = statement.test.kind === 'boolean' ? statement.test.value : undefined;
    const completes =
      constant === true ? then.completes : constant === false ? (otherwise?.completes ?? true) : then.completes || (otherwise?.completes ?? true);
    return {
      completes,
      run: (env) => ((test.run(env) as boolean) ? then.run(env) : otherwise?.run(env)),
    };
  }

  private foreach(statement: Extract<Statement, { kind: 'foreach' }>, scope: Scope): CompiledStatement {
    const collection = this.compiler.expression(statement.collection, scope);
    const element = collection.type === UNKNOWN ? UNKNOWN : elementTypeOf(collection.type);
    if (element === undefined) throw this.compiler.notCompiling(statement.collection, `foreach cannot enumerate a value of type ${collection.type}`);
    const type = statement.declaredType === 'var' ? element : this.compiler.typeOf(statement.declaredType);
    if (!isAssignable(element, type)) {
      const unsupported = this.compiler.unsupported(statement, `a foreach that converts ${element} to ${type} is not supported`, collection);
      return { completes: true, run: (env) => (unsupported.run(env), undefined) };
    }
    const inner = new Scope(scope);
    if (!inner.declare(statement.name, type, true)) throw this.compiler.notCompiling(statement, `a local named ${statement.name} is already defined`);
    const body = this.embedded(statement.body, inner);
    const text = textOf(this.compiler.source, statement.collection);
    return {
      completes: true,
      run: (env) => {
        for (const item of enumerate(this.compiler.notNull(collection.run(env), text))) {
          env.locals.set(statement.name, item);
          const completion = body.run(env);
          if (completion) return completion;
        }
        return undefined;
      },
    };
  }

  /** The body of an if, else or foreach: C# refuses a lone declaration there. */
  private embedded(statement: Statement, scope: Scope): CompiledStatement {
    if (statement.kind === 'declaration') throw this.compiler.notCompiling(statement, 'an embedded statement cannot be a declaration');
    return this.statement(statement, new Scope(scope));
  }
}
