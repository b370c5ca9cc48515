import { CallSite, ConstructorDef, ConstructorSite, invoke, Library, MethodDef, property, takes, takesLambda, TypeMembers } from '../csharp/members';
import { acceptsNull, CsType, elementTypeOf, enumerableOf, isAssignable, UNKNOWN } from '../csharp/types';
import { CharValue, Compiled, CsValue, DictionaryValue, EntryValue, Env, EnumValue, SequenceValue, StringSetValue } from '../csharp/values';
import { TextComparison, textComparison, textEquals } from './text-rules';

/*
 * Arrays, List<string>, HashSet<string> and the LINQ methods policies call on them (and on
 * `context.Deployment.Certificates`). LINQ is lazy, as in .NET: `Any` stops at the first match,
 * so a predicate that would throw for a later element does not run for it.
 */

/** The items of any sequence value, in .NET's enumeration order. */
export function enumerate(value: CsValue): Iterable<CsValue> {
  if (Array.isArray(value) || value instanceof SequenceValue) return value as Iterable<CsValue>;
  if (value instanceof StringSetValue) return value.items;
  if (value instanceof DictionaryValue) return value.entries.map(([key, item]) => new EntryValue(key, item));
  throw new Error(`not a sequence: ${String(value)}`);
}

function lazy(produce: () => Iterable<CsValue>): SequenceValue {
  return new SequenceValue(produce);
}

function predicate(site: CallSite, element: CsType): (env: Env, item: CsValue) => boolean {
  const lambda = site.lambda(0, element);
  if (lambda.type !== 'bool' && lambda.type !== UNKNOWN) throw site.notCompiling(`the lambda must return bool, not ${lambda.type}`);
  return (env, item) => lambda.invoke(env, item) as boolean;
}

/** `Method(x => …)`: `finish` gets the items the predicate keeps, enumerated lazily. */
function withPredicate(site: CallSite, element: CsType, type: CsType, finish: (items: Iterable<CsValue>, site: CallSite) => CsValue): Compiled | undefined {
  if (!takesLambda(site)) return undefined;
  const test = predicate(site, element);
  return { type, run: (env) => finish(lazyFilter(enumerate(site.receiver(env)), (item) => test(env, item)), site) };
}

/** `Method()` or `Method(x => …)`: the optional predicate of Any, Count, First, FirstOrDefault. */
function withOptionalPredicate(type: (element: CsType) => CsType, apply: (items: Iterable<CsValue>, site: CallSite) => CsValue): (element: CsType) => MethodDef {
  return (element) => (site) =>
    takes(site) ? invoke(site, type(element), (receiver) => apply(enumerate(receiver), site)) : withPredicate(site, element, type(element), apply);
}

function* lazyFilterGenerator(source: Iterable<CsValue>, keep: (item: CsValue) => boolean): Generator<CsValue> {
  for (const item of source) if (keep(item)) yield item;
}

function lazyFilter(source: Iterable<CsValue>, keep: (item: CsValue) => boolean): Iterable<CsValue> {
  return { [Symbol.iterator]: () => lazyFilterGenerator(source, keep) };
}

function first(orDefault: boolean) {
  return withOptionalPredicate(
    (element) => element,
    (items, site) => {
      for (const item of items) return item;
      if (orDefault) return null;
      throw site.exception('InvalidOperationException', 'Sequence contains no matching element');
    },
  );
}

/** Contains(value) and Contains(value, comparer), with the set's own comparer for a HashSet. */
function contains(element: CsType): MethodDef {
  return (site) => {
    if (element !== 'string' && element !== 'char') return undefined;
    if (takes(site, element)) {
      return invoke(site, 'bool', (receiver, [value]) => {
        const comparison: TextComparison = receiver instanceof StringSetValue && receiver.ignoreCase ? 'OrdinalIgnoreCase' : 'Ordinal';
        return anyEqual(enumerate(receiver), value, comparison, site);
      });
    }
    if (element === 'string' && takes(site, 'string', 'StringComparer')) {
      return invoke(site, 'bool', (receiver, [value, comparer]) => anyEqual(enumerate(receiver), value, comparerOf(comparer, site), site));
    }
    return undefined;
  };
}

function anyEqual(items: Iterable<CsValue>, value: CsValue, comparison: TextComparison, site: CallSite | ConstructorSite): boolean {
  for (const item of items) {
    if (typeof item === 'string' && typeof value === 'string' ? textEquals(item, value, comparison, site) : sameChar(item, value) || item === value) return true;
  }
  return false;
}

function sameChar(a: CsValue, b: CsValue): boolean {
  return a instanceof CharValue && b instanceof CharValue && a.code === b.code;
}

function comparerOf(value: CsValue, site: CallSite | ConstructorSite): TextComparison {
  const comparison = textComparison((value as EnumValue).name);
  if (!comparison) throw site.unsupportedValue(`StringComparer.${(value as EnumValue).name} depends on culture data and is not simulated`);
  return comparison;
}

/** The LINQ methods of a sequence of `element`. */
function linq(element: CsType): Readonly<Record<string, MethodDef>> {
  return {
    Any: withOptionalPredicate(
      () => 'bool',
      (items) => {
        for (const _ of items) return true;
        return false;
      },
    )(element),
    All: (site) => {
      if (!takesLambda(site)) return undefined;
      const test = predicate(site, element);
      return {
        type: 'bool',
        run: (env) => {
          for (const item of enumerate(site.receiver(env))) if (!test(env, item)) return false;
          return true;
        },
      };
    },
    Count: withOptionalPredicate(
      () => 'int',
      (items) => [...items].length,
    )(element),
    First: first(false)(element),
    FirstOrDefault: (site) => (acceptsNull(element) ? first(true)(element)(site) : undefined),
    Contains: contains(element),
    Where: (site) => withPredicate(site, element, enumerableOf(element), (items) => lazy(() => items)),
    Select: (site) => {
      if (!takesLambda(site)) return undefined;
      const selector = site.lambda(0, element);
      return {
        type: enumerableOf(selector.type),
        run: (env) => {
          const source = enumerate(site.receiver(env));
          return lazy(function* () {
            for (const item of source) yield selector.invoke(env, item);
          });
        },
      };
    },
    ToArray: (site) => (takes(site) && (element === 'string' || element === 'char') ? invoke(site, `${element}[]`, (receiver) => [...enumerate(receiver)]) : undefined),
    ToList: (site) => (takes(site) && element === 'string' ? invoke(site, 'List<string>', (receiver) => [...enumerate(receiver)]) : undefined),
  };
}

function indexer(element: CsType, exceptionType: string): TypeMembers['indexer'] {
  return (site) => {
    if (site.args.length !== 1 || site.args[0].type !== 'int') return undefined;
    const [position] = site.args;
    return {
      type: element,
      run: (env) => {
        const items = site.receiver(env) as readonly CsValue[];
        const i = position.run(env) as number;
        if (i < 0 || i >= items.length) throw site.exception(exceptionType, `Index ${i} was outside the bounds of the collection of ${items.length}`);
        return items[i];
      },
    };
  };
}

const size = property('int', (target) => (target instanceof StringSetValue ? target.items.length : (target as readonly CsValue[]).length));

/** Members of the collection types themselves (on top of LINQ). */
const COLLECTIONS: Readonly<Record<string, TypeMembers>> = {
  'string[]': { properties: { Length: size }, indexer: indexer('string', 'IndexOutOfRangeException') },
  'char[]': { properties: { Length: size }, indexer: indexer('char', 'IndexOutOfRangeException') },
  'List<string>': { properties: { Count: size }, indexer: indexer('string', 'ArgumentOutOfRangeException') },
  'HashSet<string>': { properties: { Count: size } },
};

function membersOf(type: CsType): TypeMembers | undefined {
  const element = elementTypeOf(type);
  const own = COLLECTIONS[type];
  if (element === undefined) return own;
  return { ...own, methods: { ...linq(element), ...own?.methods } };
}

/** `new HashSet<string>(…) { … }`: optional source sequence, optional comparer, optional initializer. */
const hashSet: ConstructorDef = (site) => {
  const [first, second] = site.args.map((arg) => arg.type);
  const hasSource = first !== undefined && first !== 'StringComparer' && isAssignable(first, enumerableOf('string'));
  const comparerIndex = hasSource ? 1 : 0;
  const comparerType = hasSource ? second : first;
  if (site.args.length > comparerIndex + (comparerType === 'StringComparer' ? 1 : 0)) return undefined;
  if (comparerType !== undefined && comparerType !== 'StringComparer') return undefined;
  if (site.initializer?.some((item) => !isAssignable(item.type, 'string'))) return undefined;
  return {
    type: 'HashSet<string>',
    run: (env) => {
      const values = site.args.map((arg) => arg.run(env));
      const comparison = comparerType ? comparerOf(values[comparerIndex], site) : 'Ordinal';
      if (hasSource && values[0] === null) throw site.exception('ArgumentNullException', "Value cannot be null. (Parameter 'collection')");
      const items: CsValue[] = [];
      const add = (item: CsValue) => {
        if (!anyEqual(items, item, comparison, site)) items.push(item);
      };
      if (hasSource) for (const item of enumerate(values[0])) add(item);
      for (const item of site.initializer ?? []) add(item.run(env));
      return new StringSetValue(items as string[], comparison === 'OrdinalIgnoreCase');
    },
  };
};

const list: ConstructorDef = (site) => {
  if (site.args.length > 1 || (site.args.length === 1 && !isAssignable(site.args[0].type, enumerableOf('string')))) return undefined;
  if (site.initializer?.some((item) => !isAssignable(item.type, 'string'))) return undefined;
  return {
    type: 'List<string>',
    run: (env) => {
      const source = site.args.map((arg) => arg.run(env));
      if (source.length === 1 && source[0] === null) throw site.exception('ArgumentNullException', "Value cannot be null. (Parameter 'collection')");
      return [...(source.length === 1 ? enumerate(source[0]) : []), ...(site.initializer ?? []).map((item) => item.run(env))];
    },
  };
};

export const SEQUENCES: Library = {
  members: membersOf,
  constructors: { 'HashSet<string>': hashSet, 'List<string>': list },
};
