import { ConstructorDef, GlobalDef, Library, TypeMembers } from '../csharp/members';
import { CsType } from '../csharp/types';
import { BASE_64 } from './base64';
import { CERTIFICATES } from './certificates';
import { CONTEXT } from './context';
import { HEADERS } from './headers';
import { SEQUENCES } from './sequences';
import { STRINGS } from './strings';
import { VARIABLES } from './variables';

/* The part of .NET the simulator evaluates, one domain per file, merged for the compiler. */

const LIBRARIES: readonly Library[] = [CONTEXT, CERTIFICATES, BASE_64, STRINGS, SEQUENCES, HEADERS, VARIABLES];

/** Merged records without a prototype: a name from the policy such as `constructor` finds nothing. */
function lookupTable<T>(records: ReadonlyArray<Readonly<Record<string, T>> | undefined>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, ...records));
}

const membersCache = new Map<CsType, TypeMembers | undefined>();

function members(type: CsType): TypeMembers | undefined {
  if (membersCache.has(type)) return membersCache.get(type);
  const found = LIBRARIES.map((library) => library.members?.(type)).filter((m): m is TypeMembers => m !== undefined);
  const merged =
    found.length === 0
      ? undefined
      : {
          properties: lookupTable(found.map((m) => m.properties)),
          methods: lookupTable(found.map((m) => m.methods)),
          indexer: found.find((m) => m.indexer)?.indexer,
        };
  membersCache.set(type, merged);
  return merged;
}

export const DOTNET: {
  members(type: CsType): TypeMembers | undefined;
  readonly constructors: Readonly<Record<string, ConstructorDef>>;
  readonly globals: Readonly<Record<string, GlobalDef>>;
} = {
  members,
  constructors: lookupTable(LIBRARIES.map((library) => library.constructors)),
  globals: lookupTable(LIBRARIES.map((library) => library.globals)),
};
