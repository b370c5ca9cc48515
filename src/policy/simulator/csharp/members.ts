import { InvalidPolicyError, UnsupportedExpressionError } from '../simulation-errors';
import { CsType, isAssignable } from './types';
import { Compiled, CsValue, Env, PolicyExpressionException } from './values';

/*
 * How the compiler and the .NET library (src/policy/simulator/dotnet) meet: the library
 * describes members by receiver type, the compiler hands each member a site through which it
 * compiles its arguments and raises errors that name the text the author wrote.
 */

/** A member access, call, indexer or constructor in the expression text. */
export interface MemberSite {
  /** The source text of the whole access, e.g. `context.Request.Headers["X-Cert"]`. */
  readonly text: string;
  /** The type of the receiver (a static type for `string.IsNullOrEmpty`). */
  readonly receiverType: CsType;
  /** Runs the receiver; NullReferenceException when it is null. */
  receiver(env: Env): CsValue;
  /** A .NET exception raised by this member. */
  exception(exceptionType: string, message: string): PolicyExpressionException;
  /** A node that raises UnsupportedExpressionError naming this member when evaluation reaches it. */
  unsupported(detail: string): Compiled;
  /** The error for a value that takes this member outside the subset (e.g. culture-sensitive text). */
  unsupportedValue(detail: string): UnsupportedExpressionError;
  /** The text would not compile in C# (APIM refuses the policy). */
  notCompiling(detail: string): InvalidPolicyError;
}

/** Marks an argument that is a lambda (`c => …`) in `CallSite.argTypes`. */
export const LAMBDA_ARGUMENT: CsType = '=>';
/** Marks an `out` argument in `CallSite.argTypes`. */
export const OUT_ARGUMENT: CsType = 'out';

/** A lambda argument compiled for one parameter type. */
export interface CompiledLambda {
  readonly type: CsType;
  invoke(env: Env, argument: CsValue): CsValue;
}

/** Where an `out` argument writes. */
export interface OutSlot {
  assign(env: Env, value: CsValue): void;
}

export interface CallSite extends MemberSite {
  readonly name: string;
  /** `T` of `GetValueOrDefault<T>(…)`, resolved to subset types (unknown ones are `?`). */
  readonly typeArguments: readonly CsType[];
  /** The type of each argument; lambdas and `out` arguments are marked. */
  readonly argTypes: readonly CsType[];
  arg(index: number): Compiled;
  lambda(index: number, parameterType: CsType): CompiledLambda;
  out(index: number, type: CsType): OutSlot;
}

export interface IndexSite extends MemberSite {
  readonly args: readonly Compiled[];
}

export interface ConstructorSite extends MemberSite {
  /** The constructed type as written, e.g. `HashSet<string>`. */
  readonly typeText: string;
  readonly args: readonly Compiled[];
  /** Items of a collection initializer `{ … }`, when there is one. */
  readonly initializer?: readonly Compiled[];
}

export interface PropertyDef {
  readonly type: CsType;
  get(target: CsValue, env: Env, site: MemberSite): CsValue;
}

/** Compiles one use of a method; undefined when this overload is not in the subset. */
export type MethodDef = (site: CallSite) => Compiled | undefined;
export type IndexerDef = (site: IndexSite) => Compiled | undefined;
export type ConstructorDef = (site: ConstructorSite) => Compiled | undefined;

/** The members of one receiver type. */
export interface TypeMembers {
  readonly properties?: Readonly<Record<string, PropertyDef>>;
  readonly methods?: Readonly<Record<string, MethodDef>>;
  readonly indexer?: IndexerDef;
}

/** A name usable as a value: `context`, or a type such as `string` or `DateTime`. */
export interface GlobalDef {
  readonly type: CsType;
  value(env: Env): CsValue;
}

/** One domain of the .NET library (strings, certificates, headers, …). */
export interface Library {
  /** Members by receiver type. */
  members?(type: CsType): TypeMembers | undefined;
  /** Constructors by type as written (`X509Certificate2`, `HashSet<string>`). */
  readonly constructors?: Readonly<Record<string, ConstructorDef>>;
  readonly globals?: Readonly<Record<string, GlobalDef>>;
}

/** Whether the arguments of `site` convert to `types`, one for one. */
export function takes(site: CallSite, ...types: CsType[]): boolean {
  return site.argTypes.length === types.length && site.argTypes.every((type, i) => type !== LAMBDA_ARGUMENT && type !== OUT_ARGUMENT && isAssignable(type, types[i]));
}

/** Whether every argument of `site` converts to `type` (a `params` list), with at least `min`. */
export function takesAll(site: CallSite | ConstructorSite, type: CsType, min = 1): boolean {
  const types = 'argTypes' in site ? site.argTypes : site.args.map((arg) => arg.type);
  return types.length >= min && types.every((argType) => isAssignable(argType, type));
}

/** A member that only reads its receiver. */
export function property(type: CsType, get: (target: CsValue, env: Env, site: MemberSite) => CsValue): PropertyDef {
  return { type, get };
}

/** A method that runs its receiver (null-checked), then its arguments, then `apply`. */
export function invoke(site: CallSite, type: CsType, apply: (receiver: CsValue, args: CsValue[], env: Env) => CsValue): Compiled {
  const args = site.argTypes.map((_, i) => site.arg(i));
  return {
    type,
    run: (env) => {
      const receiver = site.receiver(env);
      return apply(
        receiver,
        args.map((arg) => arg.run(env)),
        env,
      );
    },
  };
}

/** `ArgumentNullException` for a null argument, as .NET names it. */
export function argumentNull(site: MemberSite, parameter: string): Error {
  return site.exception('ArgumentNullException', `Value cannot be null. (Parameter '${parameter}')`);
}

/** Whether the only argument of `site` is a lambda. */
export function takesLambda(site: CallSite): boolean {
  return site.argTypes.length === 1 && site.argTypes[0] === LAMBDA_ARGUMENT;
}

/**
 * `dictionary[key]` with a string key: `find` looks the key up; ArgumentNullException for a null
 * key and KeyNotFoundException for a missing one, as .NET dictionaries throw.
 */
export function stringKeyIndexer(type: CsType, find: (key: string, receiver: CsValue, env: Env, site: MemberSite) => { readonly value: CsValue } | undefined): IndexerDef {
  return (site) => {
    if (site.args.length !== 1 || site.args[0].type !== 'string') return undefined;
    const [key] = site.args;
    return {
      type,
      run: (env) => {
        const receiver = site.receiver(env);
        const name = key.run(env);
        if (name === null) throw argumentNull(site, 'key');
        const found = find(name as string, receiver, env, site);
        if (!found) throw site.exception('KeyNotFoundException', `The given key '${name}' was not present in the dictionary.`);
        return found.value;
      },
    };
  };
}
