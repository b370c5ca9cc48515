import { AccessMatrix, Caller } from '../access';
import { PlanSymbolKind } from '../plan';

/** What the report calls things the matrix names by address or placeholder. */
export interface Names {
  /** Certificate address → its id in APIM. */
  readonly certificates: ReadonlyMap<string, string>;
  /** Backend address → its name. */
  readonly backends: ReadonlyMap<string, string>;
  /** Placeholder thumbprint or URL → the Terraform value or certificate it stands for. */
  readonly symbols: ReadonlyMap<string, { readonly kind: PlanSymbolKind; readonly standsFor: string }>;
  /** Caller key → caller, per service key. */
  readonly callers: ReadonlyMap<string, ReadonlyMap<string, Caller>>;
  /** `<service key>|<apiMatch>` → how many operations the API has in the matrix. */
  readonly operationCounts: ReadonlyMap<string, number>;
}

export function namesOf(matrix: AccessMatrix): Names {
  const certificates = new Map<string, string>();
  const backends = new Map<string, string>();
  for (const service of matrix.plan.services) {
    for (const certificate of service.certificates) certificates.set(certificate.address, certificate.name.known ? certificate.name.value : certificate.address);
    for (const backend of service.backends) backends.set(backend.address, backend.name.known ? backend.name.value : backend.address);
  }
  return {
    certificates,
    backends,
    symbols: new Map(matrix.plan.symbols.map((symbol) => [symbol.value, { kind: symbol.kind, standsFor: symbol.standsFor }])),
    callers: new Map(matrix.services.map((service) => [service.service, new Map(service.callers.map((caller) => [caller.key, caller]))])),
    operationCounts: operationCounts(matrix),
  };
}

function operationCounts(matrix: AccessMatrix): Map<string, number> {
  const operations = new Map<string, Set<string>>();
  for (const service of matrix.services) {
    for (const row of service.operations) {
      const key = `${service.service}|${row.ref.apiMatch}`;
      const set = operations.get(key) ?? new Set<string>();
      set.add(row.ref.operation);
      operations.set(key, set);
    }
  }
  return new Map([...operations].map(([key, set]) => [key, set.size]));
}

/** Names of several matrices (base and head), the later ones winning. */
export function mergedNames(...all: Names[]): Names {
  const merge = <K, V>(maps: ReadonlyMap<K, V>[]) => new Map(maps.flatMap((map) => [...map]));
  return {
    certificates: merge(all.map((names) => names.certificates)),
    backends: merge(all.map((names) => names.backends)),
    symbols: merge(all.map((names) => names.symbols)),
    callers: merge(all.map((names) => names.callers)),
    operationCounts: merge(all.map((names) => names.operationCounts)),
  };
}
