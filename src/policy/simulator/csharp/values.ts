import { SimulatedCertificate } from '../simulated-certificate';
import type { ValueObserver } from '../value-observer';
import { acceptsNull, CsType } from './types';

/*
 * Values of a running policy expression, and what an expression can see of the request.
 * A .NET value is a plain JavaScript value where one maps exactly (null, bool, int, string),
 * and a small class where .NET would behave differently from JavaScript.
 */

/** A UTF-16 code unit (`char`). */
export class CharValue {
  constructor(public readonly code: number) {}

  get text(): string {
    return String.fromCharCode(this.code);
  }
}

/** A `DateTime` (APIM runs in UTC), as milliseconds since the epoch. */
export class DateTimeValue {
  constructor(public readonly time: number) {}
}

/** An `X500DistinguishedName`. */
export class NameValue {
  constructor(public readonly name: string) {}
}

/** A `KeyValuePair<string, T>`. */
export class EntryValue {
  constructor(
    public readonly key: string,
    public readonly value: CsValue,
  ) {}
}

/** A `byte[]`. */
export class BytesValue {
  constructor(public readonly bytes: Buffer) {}
}

/** A member of a .NET enum such as `StringComparison.OrdinalIgnoreCase`, or a `StringComparer`. */
export class EnumValue {
  constructor(
    public readonly type: CsType,
    public readonly name: string,
  ) {}
}

/** A `HashSet<string>`, with the comparer it was made with. */
export class StringSetValue {
  constructor(
    public readonly items: readonly string[],
    public readonly ignoreCase: boolean,
  ) {}
}

/** A lazy `IEnumerable<T>` (what LINQ's Select and Where return): enumerated only as far as asked. */
export class SequenceValue {
  constructor(private readonly produce: () => Iterable<CsValue>) {}

  [Symbol.iterator](): Iterator<CsValue> {
    return this.produce()[Symbol.iterator]();
  }
}

/** A dictionary such as `context.Deployment.Certificates`: entries in a fixed order. */
export class DictionaryValue {
  constructor(public readonly entries: ReadonlyArray<readonly [string, CsValue]>) {}
}

/** Stands for objects of the host (context, context.Request, …) whose members read the host directly. */
export const HOST_OBJECT = Object.freeze({ host: true as const });

export type CsValue =
  | null
  | boolean
  | number
  | string
  | CharValue
  | DateTimeValue
  | NameValue
  | EntryValue
  | BytesValue
  | EnumValue
  | StringSetValue
  | SequenceValue
  | DictionaryValue
  | SimulatedCertificate
  | readonly CsValue[]
  | typeof HOST_OBJECT;

/** A local declared without a value: reading it means C# would not have compiled the block. */
export const UNASSIGNED = Symbol('unassigned');

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
  /**
   * `context.Request.Headers`, keyed by the name in lower case (header names are ASCII and
   * APIM compares them without regard to case).
   * @default - no headers
   */
  readonly requestHeaders?: ReadonlyMap<string, readonly string[]>;
  /**
   * Told of every request header an expression looks up (lower case), sent or not.
   * @default - nobody is told
   */
  readonly onRequestHeaderRead?: (name: string) => void;
  /**
   * `context.Variables`, as `set-variable` left them.
   * @default - no variables
   */
  readonly variables?: ReadonlyMap<string, CsValue>;
  /**
   * Told of every comparison and other use of a watched value.
   * @default - nothing is watched
   */
  readonly observer?: ValueObserver;
  /**
   * `context.LastError` in on-error: the failure that sent the request there.
   * @default - none (null)
   */
  readonly lastError?: LastErrorValue;
}

/** `context.LastError` (APIM's ProxyError): which policy failed and why. */
export interface LastErrorValue {
  readonly source: string;
  readonly reason: string;
  readonly message: string;
  readonly section: string;
  readonly path: string;
}

/** What a compiled expression runs with: the host, and the locals of statement blocks and lambdas. */
export interface Env {
  readonly host: ExpressionHost;
  readonly locals: Map<string, CsValue | typeof UNASSIGNED>;
}

/** A type-checked expression, ready to run. */
export interface Compiled {
  readonly type: CsType;
  run(env: Env): CsValue;
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

/** The type of a value of the simple types (those set-variable can store), else undefined. */
export function simpleTypeOf(value: CsValue): CsType | undefined {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'int';
  if (typeof value === 'string') return 'string';
  if (value instanceof CharValue) return 'char';
  if (value instanceof DateTimeValue) return 'DateTime';
  return undefined;
}

/** The .NET type name of a runtime value, as InvalidCastException messages print it. */
export function runtimeTypeName(value: CsValue): string {
  if (value === null) return 'null';
  const simple = simpleTypeOf(value);
  if (simple) return dotnetTypeName(simple);
  if (value instanceof SimulatedCertificate) return dotnetTypeName('X509Certificate2');
  if (value instanceof BytesValue) return dotnetTypeName('byte[]');
  return 'System.Object';
}

const DOTNET_TYPE_NAMES: Readonly<Record<string, string>> = {
  bool: 'System.Boolean',
  int: 'System.Int32',
  string: 'System.String',
  char: 'System.Char',
  DateTime: 'System.DateTime',
  X509Certificate2: 'System.Security.Cryptography.X509Certificates.X509Certificate2',
  'byte[]': 'System.Byte[]',
};

/** The .NET name of a subset type (`System.Boolean` for `bool` and `bool?`). */
export function dotnetTypeName(type: CsType): string {
  return DOTNET_TYPE_NAMES[type.replace(/\?$/, '')] ?? type;
}

/** An `object` seen as `type` (a cast or `as`): the value, or why it is not one. */
export function unboxAs(value: CsValue, type: CsType): { readonly value: CsValue } | { readonly failure: 'null' | 'type' } {
  if (value === null) return acceptsNull(type) ? { value } : { failure: 'null' };
  return type === 'object' || runtimeTypeName(value) === dotnetTypeName(type) ? { value } : { failure: 'type' };
}
