import { CSharpNode, parseCSharpExpression, textOf } from './csharp-parser';
import { SimulatedCertificate } from './simulated-certificate';
import { InvalidPolicyError, UnsupportedExpressionError } from './simulation-errors';

/*
 * A strict interpreter for the C# subset that client-certificate policies use:
 *
 *   null, true, false, "string literals" (all C# escapes), @"verbatim strings"
 *   !  &&  ||  ( )   == != on strings, booleans, DateTimes and null   > < >= <= on DateTimes
 *   DateTime.Now, DateTime.UtcNow
 *   context.Request.Certificate: Thumbprint, Subject, Issuer, SerialNumber, SubjectName.Name,
 *     IssuerName.Name, NotBefore, NotAfter, Verify(), VerifyNoRevocation()
 *   context.Deployment.Certificates.Any(c => …) with c.Key and c.Value
 *   "text".Contains("…"), new string[] { … }.Contains(…)
 *
 * Expressions are type-checked before they run, like the C# compiler APIM uses, so an
 * unsupported member is reported even in an operand that short-circuiting would skip.
 * Nothing outside the subset is guessed at: it is an UnsupportedExpressionError naming the text.
 */

/** What an expression can see of the request and the service. */
export interface ExpressionHost {
  /** `context.Request.Certificate`; undefined when the caller presented none (C# null). */
  readonly requestCertificate: SimulatedCertificate | undefined;
  /** `context.Deployment.Certificates`: certificate id and certificate. */
  readonly deploymentCertificates: ReadonlyArray<readonly [string, SimulatedCertificate]>;
  /** `DateTime.Now` and `DateTime.UtcNow` (APIM runs in UTC). */
  readonly now: Date;
  /** `Verify()` (with revocation) and `VerifyNoRevocation()`. */
  verify(certificate: SimulatedCertificate, checkRevocation: boolean): boolean;
}

/**
 * A .NET exception raised while an expression runs (NullReferenceException, …). In APIM the
 * policy fails and the on-error section runs; the caller gets 500 unless on-error answers.
 */
export class PolicyExpressionException extends Error {
  constructor(
    public readonly exceptionType: string,
    message: string,
  ) {
    super(`${exceptionType}: ${message}`);
    this.name = 'PolicyExpressionException';
  }
}

/** The .NET types the subset knows, by the names used in messages. */
type CsType =
  | 'bool'
  | 'string'
  | 'null'
  | 'DateTime'
  | 'X509Certificate2'
  | 'X500DistinguishedName'
  | 'IProxyRequestContext'
  | 'IRequest'
  | 'IDeployment'
  | 'IReadOnlyDictionary<string, X509Certificate2>'
  | 'KeyValuePair<string, X509Certificate2>'
  | 'string[]'
  | 'DateTime (type)';

const VALUE_TYPES: readonly CsType[] = ['bool', 'DateTime', 'KeyValuePair<string, X509Certificate2>'];

class DateTimeValue {
  constructor(public readonly time: number) {}
}

class NameValue {
  constructor(public readonly name: string) {}
}

class EntryValue {
  constructor(
    public readonly key: string,
    public readonly value: SimulatedCertificate,
  ) {}
}

/** Stands for host objects (context, context.Request, …) whose members read the host directly. */
const HOST_OBJECT = Object.freeze({ host: true });

type CsValue = null | boolean | string | DateTimeValue | NameValue | EntryValue | SimulatedCertificate | ReadonlyArray<string | null> | typeof HOST_OBJECT;

interface Env {
  readonly host: ExpressionHost;
  readonly locals: ReadonlyMap<string, CsValue>;
}

/** A type-checked expression, ready to run. */
interface Compiled {
  readonly type: CsType;
  run(env: Env): CsValue;
}

/** A policy expression that compiled in the subset. */
export interface CompiledPolicyExpression {
  /** The .NET type of the result, e.g. `bool` or `string`. */
  readonly type: string;
  /** Runs it; throws PolicyExpressionException for .NET exceptions. */
  evaluate(host: ExpressionHost): null | boolean | string;
}

/** Parses and type-checks the text of one `@(...)` expression (without `@(` and `)`). */
export function compilePolicyExpression(source: string): CompiledPolicyExpression {
  const compiled = new Compiler(source).compile(parseCSharpExpression(source), new Map());
  return {
    type: compiled.type,
    evaluate(host: ExpressionHost) {
      const value = compiled.run({ host, locals: new Map() });
      if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
      throw new UnsupportedExpressionError(source, source, `a result of type ${compiled.type} is not supported here`);
    },
  };
}

/** Evaluates a condition (`choose/when`); it must be a bool expression, as APIM requires. */
export function evaluateCondition(source: string, host: ExpressionHost): boolean {
  const expression = compilePolicyExpression(source);
  if (expression.type !== 'bool') {
    throw new InvalidPolicyError(`the condition @(${source}) is of type ${expression.type}, not bool; APIM would refuse it`);
  }
  return expression.evaluate(host) as boolean;
}

/** Evaluates an expression used as an attribute's text; it must be a string. */
export function evaluateText(source: string, host: ExpressionHost): string | null {
  const expression = compilePolicyExpression(source);
  if (expression.type !== 'string' && expression.type !== 'null') {
    throw new UnsupportedExpressionError(source, source, `a value of type ${expression.type} where text is expected`);
  }
  return expression.evaluate(host) as string | null;
}

interface Property {
  readonly type: CsType;
  get(target: CsValue, env: Env): CsValue;
}

const certificateText = (read: (certificate: SimulatedCertificate) => string): Property => ({
  type: 'string',
  get: (target) => read(target as SimulatedCertificate),
});

/** The properties of each type in the subset. */
const PROPERTIES: Partial<Record<CsType, Readonly<Record<string, Property>>>> = {
  'IProxyRequestContext': {
    Request: { type: 'IRequest', get: () => HOST_OBJECT },
    Deployment: { type: 'IDeployment', get: () => HOST_OBJECT },
  },
  'IRequest': {
    Certificate: { type: 'X509Certificate2', get: (_target, env) => env.host.requestCertificate ?? null },
  },
  'IDeployment': {
    Certificates: { type: 'IReadOnlyDictionary<string, X509Certificate2>', get: () => HOST_OBJECT },
  },
  'KeyValuePair<string, X509Certificate2>': {
    Key: { type: 'string', get: (target) => (target as EntryValue).key },
    Value: { type: 'X509Certificate2', get: (target) => (target as EntryValue).value },
  },
  'X509Certificate2': {
    Thumbprint: certificateText((c) => c.thumbprint),
    Subject: certificateText((c) => c.subject),
    Issuer: certificateText((c) => c.issuer),
    SerialNumber: certificateText((c) => c.serialNumber),
    SubjectName: { type: 'X500DistinguishedName', get: (target) => new NameValue((target as SimulatedCertificate).subject) },
    IssuerName: { type: 'X500DistinguishedName', get: (target) => new NameValue((target as SimulatedCertificate).issuer) },
    NotBefore: { type: 'DateTime', get: (target) => new DateTimeValue((target as SimulatedCertificate).notBefore.getTime()) },
    NotAfter: { type: 'DateTime', get: (target) => new DateTimeValue((target as SimulatedCertificate).notAfter.getTime()) },
  },
  'X500DistinguishedName': {
    Name: { type: 'string', get: (target) => (target as NameValue).name },
  },
  'DateTime (type)': {
    Now: { type: 'DateTime', get: (_target, env) => new DateTimeValue(env.host.now.getTime()) },
    UtcNow: { type: 'DateTime', get: (_target, env) => new DateTimeValue(env.host.now.getTime()) },
  },
};

class Compiler {
  constructor(private readonly source: string) {}

  compile(node: CSharpNode, scope: ReadonlyMap<string, CsType>): Compiled {
    switch (node.kind) {
      case 'null':
        return { type: 'null', run: () => null };
      case 'boolean':
        return { type: 'bool', run: () => node.value };
      case 'string':
        return { type: 'string', run: () => node.value };
      case 'identifier':
        return this.compileIdentifier(node, scope);
      case 'member':
        return this.compileMember(node, this.compile(node.target, scope));
      case 'call':
        return this.compileCall(node, scope);
      case 'not': {
        const operand = this.expectType(this.compile(node.operand, scope), 'bool', node);
        return { type: 'bool', run: (env) => !operand.run(env) };
      }
      case 'binary':
        return this.compileBinary(node, scope);
      case 'string-array': {
        const items = node.items.map((item) => this.expectText(this.compile(item, scope), item));
        return { type: 'string[]', run: (env) => items.map((item) => item.run(env) as string | null) };
      }
      case 'lambda':
        throw this.unsupported(node, 'a lambda is supported only as the argument of Any(...)');
    }
  }

  private compileIdentifier(node: Extract<CSharpNode, { kind: 'identifier' }>, scope: ReadonlyMap<string, CsType>): Compiled {
    const local = scope.get(node.name);
    if (local) return { type: local, run: (env) => env.locals.get(node.name)! };
    if (node.name === 'context') return { type: 'IProxyRequestContext', run: () => HOST_OBJECT };
    if (node.name === 'DateTime') return { type: 'DateTime (type)', run: () => HOST_OBJECT };
    throw this.unsupported(node, `unknown name ${node.name}`);
  }

  private compileMember(node: Extract<CSharpNode, { kind: 'member' }>, target: Compiled): Compiled {
    if (target.type === 'null') throw this.notCompiling(node, 'member access on the null literal');
    const property = PROPERTIES[target.type]?.[node.name];
    if (!property) throw this.unsupported(node, `${node.name} of ${target.type} is not supported`);
    const targetText = textOf(this.source, node.target);
    return {
      type: property.type,
      run: (env) => property.get(this.notNull(target.run(env), targetText), env),
    };
  }

  private compileCall(node: Extract<CSharpNode, { kind: 'call' }>, scope: ReadonlyMap<string, CsType>): Compiled {
    const target = this.compile(node.target, scope);
    const targetText = textOf(this.source, node.target);
    const signature = `${target.type}.${node.name}(${node.args.length === 0 ? '' : '…'})`;
    const receiver = (env: Env) => this.notNull(target.run(env), targetText);

    if (target.type === 'X509Certificate2' && (node.name === 'Verify' || node.name === 'VerifyNoRevocation')) {
      this.expectArity(node, 0);
      const checkRevocation = node.name === 'Verify';
      return { type: 'bool', run: (env) => env.host.verify(receiver(env) as SimulatedCertificate, checkRevocation) };
    }
    if ((target.type === 'string' || target.type === 'string[]') && node.name === 'Contains') {
      this.expectArity(node, 1);
      const needle = this.expectText(this.compile(node.args[0], scope), node.args[0]);
      if (target.type === 'string[]') {
        // Enumerable.Contains with the default (ordinal) string comparer.
        return { type: 'bool', run: (env) => (receiver(env) as ReadonlyArray<string | null>).includes(needle.run(env) as string | null) };
      }
      return {
        type: 'bool',
        run: (env) => {
          const haystack = receiver(env) as string;
          const value = needle.run(env);
          if (value === null) throw new PolicyExpressionException('ArgumentNullException', `Value cannot be null. (Parameter 'value') in ${textOf(this.source, node)}`);
          return haystack.includes(value as string); // string.Contains(string) is ordinal
        },
      };
    }
    if (target.type === 'IReadOnlyDictionary<string, X509Certificate2>' && node.name === 'Any' && node.args.length === 1) {
      return this.compileAny(node.args[0], scope, receiver);
    }
    throw this.unsupported(node, `${signature} is not supported`);
  }

  /** `Certificates.Any(c => …)`: true when the body holds for some entry, stopping at the first. */
  private compileAny(argument: CSharpNode, scope: ReadonlyMap<string, CsType>, receiver: (env: Env) => CsValue): Compiled {
    if (argument.kind !== 'lambda') throw this.unsupported(argument, 'Any(...) is supported only with a lambda');
    if (scope.has(argument.parameter) || argument.parameter === 'context') {
      throw this.notCompiling(argument, `the lambda parameter ${argument.parameter} hides another name`);
    }
    const entryType: CsType = 'KeyValuePair<string, X509Certificate2>';
    const body = this.expectType(this.compile(argument.body, new Map([...scope, [argument.parameter, entryType]])), 'bool', argument.body);
    return {
      type: 'bool',
      run: (env) => {
        receiver(env);
        return env.host.deploymentCertificates.some(([key, certificate]) => {
          const locals = new Map(env.locals).set(argument.parameter, new EntryValue(key, certificate));
          return body.run({ host: env.host, locals }) as boolean;
        });
      },
    };
  }

  private compileBinary(node: Extract<CSharpNode, { kind: 'binary' }>, scope: ReadonlyMap<string, CsType>): Compiled {
    const left = this.compile(node.left, scope);
    const right = this.compile(node.right, scope);
    switch (node.operator) {
      case '||':
      case '&&': {
        this.expectType(left, 'bool', node.left);
        this.expectType(right, 'bool', node.right);
        // Short-circuiting matters: `Certificate == null || Certificate.Thumbprint …` relies on it.
        return node.operator === '||'
          ? { type: 'bool', run: (env) => (left.run(env) as boolean) || (right.run(env) as boolean) }
          : { type: 'bool', run: (env) => (left.run(env) as boolean) && (right.run(env) as boolean) };
      }
      case '==':
      case '!=': {
        const equal = this.equality(node, left, right);
        return node.operator === '==' ? { type: 'bool', run: equal } : { type: 'bool', run: (env) => !equal(env) };
      }
      default: {
        if (left.type !== 'DateTime' || right.type !== 'DateTime') {
          throw this.unsupported(node, `${node.operator} on ${left.type} and ${right.type} (only DateTime values are compared)`);
        }
        const compare = (env: Env) => (left.run(env) as DateTimeValue).time - (right.run(env) as DateTimeValue).time;
        const holds: Record<string, (difference: number) => boolean> = {
          '>': (d) => d > 0,
          '<': (d) => d < 0,
          '>=': (d) => d >= 0,
          '<=': (d) => d <= 0,
        };
        return { type: 'bool', run: (env) => holds[node.operator](compare(env)) };
      }
    }
  }

  /** `==` as C# defines it for the operand types; anything else does not compile or is not supported. */
  private equality(node: CSharpNode, left: Compiled, right: Compiled): (env: Env) => boolean {
    const types = [left.type, right.type];
    const textual = (type: CsType) => type === 'string' || type === 'null';
    if (textual(left.type) && textual(right.type)) {
      return (env) => left.run(env) === right.run(env); // string == is ordinal
    }
    if (left.type === right.type && (left.type === 'bool' || left.type === 'DateTime')) {
      return left.type === 'bool'
        ? (env) => left.run(env) === right.run(env)
        : (env) => (left.run(env) as DateTimeValue).time === (right.run(env) as DateTimeValue).time;
    }
    if (types.includes('null')) {
      const other = left.type === 'null' ? right.type : left.type;
      if (!VALUE_TYPES.includes(other) && !other.startsWith('DateTime')) {
        return (env) => left.run(env) === null && right.run(env) === null;
      }
    }
    if (left.type === right.type) throw this.unsupported(node, `== on two ${left.type} values`);
    throw this.notCompiling(node, `operator == cannot be applied to operands of type ${left.type} and ${right.type}`);
  }

  private expectArity(node: Extract<CSharpNode, { kind: 'call' }>, count: number): void {
    if (node.args.length !== count) throw this.notCompiling(node, `${node.name} takes ${count} argument(s), not ${node.args.length}`);
  }

  private expectType(compiled: Compiled, type: CsType, node: CSharpNode): Compiled {
    if (compiled.type !== type) throw this.notCompiling(node, `expected ${type}, found ${compiled.type}`);
    return compiled;
  }

  private expectText(compiled: Compiled, node: CSharpNode): Compiled {
    if (compiled.type !== 'string' && compiled.type !== 'null') throw this.notCompiling(node, `expected string, found ${compiled.type}`);
    return compiled;
  }

  private notNull(value: CsValue, what: string): CsValue {
    if (value === null) {
      throw new PolicyExpressionException('NullReferenceException', `Object reference not set to an instance of an object (${what} is null)`);
    }
    return value;
  }

  private unsupported(node: CSharpNode, detail: string): UnsupportedExpressionError {
    return new UnsupportedExpressionError(textOf(this.source, node), this.source, detail);
  }

  private notCompiling(node: CSharpNode, detail: string): InvalidPolicyError {
    return new InvalidPolicyError(`${detail} in "${textOf(this.source, node)}" of @(${this.source}); it would not compile`);
  }
}
