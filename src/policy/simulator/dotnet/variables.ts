import { argumentNull, CallSite, invoke, Library, MemberSite, stringKeyIndexer, takes } from '../csharp/members';
import { acceptsNull, CsType, UNKNOWN } from '../csharp/types';
import { CharValue, CsValue, DateTimeValue, dotnetTypeName, Env, runtimeTypeName, unboxAs } from '../csharp/values';
import { findKey } from './text-rules';

/*
 * `context.Variables`: what `set-variable` stored earlier in the request, by name.
 * `GetValueOrDefault<T>` casts to T and throws when the stored value is of another type, as
 * APIM documents (a literal `value` is always stored as a string).
 */

function lookup(env: Env, name: CsValue, site: MemberSite): { found: boolean; value: CsValue } {
  if (name === null) throw argumentNull(site, 'key');
  const variables = env.host.variables ?? new Map<string, CsValue>();
  const key = findKey(variables.keys(), name as string, site);
  return key === undefined ? { found: false, value: null } : { found: true, value: variables.get(key)! };
}

/** `DateTime.MinValue`, 0001-01-01T00:00:00. */
const DATETIME_MIN_VALUE = -62135596800000;

/** `default(T)` for the types a variable can be read as. */
function defaultOf(type: CsType): CsValue | undefined {
  if (acceptsNull(type)) return null;
  switch (type) {
    case 'bool':
      return false;
    case 'int':
      return 0;
    case 'char':
      return new CharValue(0);
    case 'DateTime':
      return new DateTimeValue(DATETIME_MIN_VALUE);
    default:
      return undefined;
  }
}

const getValueOrDefault = (site: CallSite) => {
  const [type] = site.typeArguments;
  if (site.typeArguments.length !== 1 || type === UNKNOWN) return undefined;
  const withDefault = takes(site, 'string', type);
  if (!withDefault && !takes(site, 'string')) return undefined;
  const fallback = defaultOf(type);
  if (!withDefault && fallback === undefined) return undefined;
  return invoke(site, type, (_receiver, [name, given], env) => {
    const { found, value } = lookup(env, name, site);
    if (!found) return withDefault ? given : fallback!;
    const cast = unboxAs(value, type);
    if ('value' in cast) return cast.value;
    if (cast.failure === 'null') throw site.exception('NullReferenceException', `Object reference not set to an instance of an object (variable "${name}" is null)`);
    throw site.exception('InvalidCastException', `Unable to cast object of type '${runtimeTypeName(value)}' to type '${dotnetTypeName(type)}'.`);
  });
};

export const VARIABLES: Library = {
  members: (type) =>
    type !== 'IReadOnlyDictionary<string, object>'
      ? undefined
      : {
          indexer: stringKeyIndexer('object', (name, _receiver, env, site) => {
            const { found, value } = lookup(env, name, site);
            return found ? { value } : undefined;
          }),
          methods: {
            GetValueOrDefault: getValueOrDefault,
            ContainsKey: (site) => (takes(site, 'string') ? invoke(site, 'bool', (_receiver, [name], env) => lookup(env, name, site).found) : undefined),
          },
        },
};
