import { argumentNull, CallSite, invoke, Library, MethodDef, property, takes, takesAll, TypeMembers } from '../csharp/members';
import { staticType } from '../csharp/types';
import { CharValue, Compiled, CsValue, EnumValue, HOST_OBJECT } from '../csharp/values';
import { ValueTest } from '../value-observer';
import { cultureSensitive, equalsIgnoringCase, isDotNetWhiteSpace, lowerCase, TextComparison, textComparison, textEquals, trimDotNet, upperCase } from './text-rules';

/*
 * System.String as policies use it: comparison, case, trimming, splitting, and the enums that
 * choose a comparison. Members of the .NET Framework only: overloads added by .NET Core
 * (`Contains(string, StringComparison)`, `Split(string)`, …) are not simulated, since the
 * gateway's runtime is not documented.
 */

const STRING_COMPARISONS = ['Ordinal', 'OrdinalIgnoreCase', 'CurrentCulture', 'CurrentCultureIgnoreCase', 'InvariantCulture', 'InvariantCultureIgnoreCase'];

/** The comparison a StringComparison value chooses, or an UnsupportedExpressionError for culture-sensitive ones. */
function comparisonOf(value: CsValue, site: CallSite): TextComparison {
  const comparison = textComparison((value as EnumValue).name);
  if (!comparison) throw site.unsupportedValue(`StringComparison.${(value as EnumValue).name} depends on culture data and is not simulated`);
  return comparison;
}

const text = (value: CsValue) => value as string;

/** StartsWith / EndsWith: culture-sensitive without a StringComparison. */
function affix(atStart: boolean): MethodDef {
  const test = atStart ? ValueTest.STARTS_WITH : ValueTest.ENDS_WITH;
  const matches = (haystack: string, needle: string, same: (a: string, b: string) => boolean) => {
    if (needle.length > haystack.length) return false;
    const part = atStart ? haystack.slice(0, needle.length) : haystack.slice(haystack.length - needle.length);
    return same(part, needle);
  };
  return (site) => {
    if (takes(site, 'string')) {
      return invoke(site, 'bool', (receiver, [needle], env) => {
        if (needle === null) throw argumentNull(site, 'value');
        env.host.observer?.tested(receiver, test, needle);
        return cultureSensitive(text(receiver), text(needle), (haystack, prefix) => matches(haystack, prefix, (a, b) => a === b), site);
      });
    }
    if (takes(site, 'string', 'StringComparison')) {
      return invoke(site, 'bool', (receiver, [needle, comparison], env) => {
        if (needle === null) throw argumentNull(site, 'value');
        const how = comparisonOf(comparison, site);
        env.host.observer?.tested(receiver, test, needle, how === 'OrdinalIgnoreCase');
        return matches(text(receiver), text(needle), (a, b) => textEquals(a, b, how, site));
      });
    }
    return undefined;
  };
}

function caseMapping(map: typeof upperCase): MethodDef {
  return (site) => (takes(site) ? invoke(site, 'string', (receiver) => map(text(receiver), site)) : undefined);
}

function trim(start: boolean, end: boolean): MethodDef {
  return (site) => {
    if (takes(site)) return invoke(site, 'string', (receiver) => trimDotNet(text(receiver), start, end));
    if (takesAll(site, 'char')) {
      return invoke(site, 'string', (receiver, chars) => {
        const set = new Set(chars.map((c) => (c as CharValue).code));
        let value = text(receiver);
        while (start && value.length > 0 && set.has(value.charCodeAt(0))) value = value.slice(1);
        while (end && value.length > 0 && set.has(value.charCodeAt(value.length - 1))) value = value.slice(0, -1);
        return value;
      });
    }
    return undefined;
  };
}

/** `Split(params char[])` and `Split(char[], StringSplitOptions)`. */
const split: MethodDef = (site) => {
  const run = (separators: (args: CsValue[]) => CsValue, options: (args: CsValue[]) => string): Compiled =>
    invoke(site, 'string[]', (receiver, args) => {
      const chars = separators(args);
      const codes = new Set((chars === null ? [] : (chars as CharValue[])).map((c) => c.code));
      const parts: string[] = [];
      let current = '';
      for (const ch of text(receiver)) {
        // A null or empty separator list splits at white space, as .NET does.
        const separates = codes.size === 0 ? isDotNetWhiteSpace(ch.charCodeAt(0)) : ch.length === 1 && codes.has(ch.charCodeAt(0));
        if (separates) {
          parts.push(current);
          current = '';
        } else current += ch;
      }
      parts.push(current);
      return options(args) === 'RemoveEmptyEntries' ? parts.filter((part) => part !== '') : parts;
    });
  if (takesAll(site, 'char')) return run((args) => args, () => 'None');
  if (takes(site, 'char[]')) return run(([chars]) => chars, () => 'None');
  if (takes(site, 'char[]', 'StringSplitOptions')) return run(([chars]) => chars, ([, options]) => (options as EnumValue).name);
  return undefined;
};

const replace: MethodDef = (site) => {
  if (takes(site, 'string', 'string')) {
    return invoke(site, 'string', (receiver, [from, to]) => {
      if (from === null) throw argumentNull(site, 'oldValue');
      if (from === '') throw site.exception('ArgumentException', "String cannot be of zero length. (Parameter 'oldValue')");
      return text(receiver).split(text(from)).join(to === null ? '' : text(to)); // ordinal
    });
  }
  if (takes(site, 'char', 'char')) {
    return invoke(site, 'string', (receiver, [from, to]) => text(receiver).split((from as CharValue).text).join((to as CharValue).text));
  }
  return undefined;
};

const substring: MethodDef = (site) => {
  if (!takes(site, 'int') && !takes(site, 'int', 'int')) return undefined;
  return invoke(site, 'string', (receiver, [start, length]) => {
    const value = text(receiver);
    const from = start as number;
    const count = length === undefined ? value.length - from : (length as number);
    if (from < 0 || from > value.length || count < 0 || from + count > value.length) {
      throw site.exception('ArgumentOutOfRangeException', `startIndex ${from} and length ${count} must refer to a location within the string of length ${value.length}`);
    }
    return value.slice(from, from + count);
  });
};

const STRING: TypeMembers = {
  properties: { Length: property('int', (target) => text(target).length) },
  methods: {
    Contains: (site) =>
      takes(site, 'string')
        ? invoke(site, 'bool', (receiver, [needle], env) => {
            if (needle === null) throw argumentNull(site, 'value');
            env.host.observer?.tested(receiver, ValueTest.CONTAINS, needle);
            return text(receiver).includes(text(needle)); // ordinal
          })
        : undefined,
    StartsWith: affix(true),
    EndsWith: affix(false),
    Equals: (site) => {
      if (takes(site, 'string')) return invoke(site, 'bool', (receiver, [other], env) => (env.host.observer?.compared(receiver, other), receiver === other));
      if (takes(site, 'string', 'StringComparison')) {
        return invoke(site, 'bool', (receiver, [other, comparison], env) => {
          const how = comparisonOf(comparison, site);
          env.host.observer?.compared(receiver, other, how === 'OrdinalIgnoreCase');
          return other !== null && textEquals(text(receiver), text(other), how, site);
        });
      }
      return undefined;
    },
    ToUpper: caseMapping(upperCase),
    ToUpperInvariant: caseMapping(upperCase),
    ToLower: caseMapping(lowerCase),
    ToLowerInvariant: caseMapping(lowerCase),
    Trim: trim(true, true),
    TrimStart: trim(true, false),
    TrimEnd: trim(false, true),
    Split: split,
    Replace: replace,
    Substring: substring,
    ToString: (site) => (takes(site) ? invoke(site, 'string', (receiver) => receiver) : undefined),
  },
};

const isNullOrWhiteSpace = (value: CsValue) => value === null || [...text(value)].every((ch) => isDotNetWhiteSpace(ch.charCodeAt(0)));

const STATIC_STRING: TypeMembers = {
  properties: { Empty: property('string', () => '') },
  methods: {
    IsNullOrEmpty: (site) => (takes(site, 'string') ? invoke(site, 'bool', (_, [value]) => value === null || value === '') : undefined),
    IsNullOrWhiteSpace: (site) => (takes(site, 'string') ? invoke(site, 'bool', (_, [value]) => isNullOrWhiteSpace(value)) : undefined),
    Equals: (site) => {
      if (takes(site, 'string', 'string')) return invoke(site, 'bool', (_, [a, b], env) => (env.host.observer?.compared(a, b), a === b));
      if (takes(site, 'string', 'string', 'StringComparison')) {
        return invoke(site, 'bool', (_, [a, b, comparison], env) => {
          const how = comparisonOf(comparison, site);
          env.host.observer?.compared(a, b, how === 'OrdinalIgnoreCase');
          if (a === null || b === null) return a === b;
          return how === 'Ordinal' ? a === b : equalsIgnoringCase(text(a), text(b), site);
        });
      }
      return undefined;
    },
  },
};

function enumMembers(type: string, names: readonly string[]): TypeMembers {
  return { properties: Object.fromEntries(names.map((name) => [name, property(type, () => new EnumValue(type, name))])) };
}

const MEMBERS: Readonly<Record<string, TypeMembers>> = {
  'string': STRING,
  [staticType('string')]: STATIC_STRING,
  [staticType('StringComparison')]: enumMembers('StringComparison', STRING_COMPARISONS),
  [staticType('StringComparer')]: enumMembers('StringComparer', STRING_COMPARISONS),
  [staticType('StringSplitOptions')]: enumMembers('StringSplitOptions', ['None', 'RemoveEmptyEntries']),
};

const typeName = (name: string) => ({ type: staticType(name), value: () => HOST_OBJECT });

export const STRINGS: Library = {
  members: (type) => MEMBERS[type],
  globals: {
    string: typeName('string'),
    String: typeName('string'),
    StringComparison: typeName('StringComparison'),
    StringComparer: typeName('StringComparer'),
    StringSplitOptions: typeName('StringSplitOptions'),
  },
};
