import { Plan, PlanApi, PlanOperation, PlanService, PlanValue } from '../plan';
import { AccessCell, AccessMatrix, ChainScope, OperationAccess, OperationRef, ScopeKind, ServiceAccess } from './access-matrix';
import { Caller, CallerKind, CallerRole } from './caller';
import { ChainOutcome, SimulationEnvironment, simulateChain, verdictOf } from './simulate-chain';
import { CallerSetup, callersOf, serviceCertificates, thumbprintsIn } from './simulated-callers';

export interface AccessMatrixOptions {
  /**
   * The moment callers call: certificates of known validity are presented within it, expired
   * copies after it.
   * @default - the current time
   */
  readonly now?: Date;
  /**
   * Only these callers get cells (e.g. the synth-time proof asks only for the unknown and the
   * missing certificate, which keeps it linear in the plan's size).
   * @default - every caller of the service
   */
  readonly callers?: (caller: Caller) => boolean;
}

/**
 * Composes the scopes APIM runs for every operation of every API in `plan` (global, product,
 * API, operation; one route per linked product and one without) and simulates the fixed set of
 * callers of each service. Chains shared by many operations are simulated once.
 */
export function accessMatrix(plan: Plan, options: AccessMatrixOptions = {}): AccessMatrix {
  const now = options.now ?? new Date();
  return { plan, services: plan.services.map((service) => new ServiceSimulation(plan, service, now, options.callers).run()) };
}

/** A route to an API: through one of its products, or without a product. */
interface Route {
  readonly key: string;
  readonly productId?: string;
  readonly scope?: ChainScope;
  readonly presence?: string;
}

class ServiceSimulation {
  private readonly env: SimulationEnvironment;
  private readonly setups: CallerSetup[];
  private readonly order: ReadonlyMap<string, number>;
  /** Callers simulated in every chain; the others only where a chain mentions their thumbprint. */
  private readonly everyChain: readonly CallerSetup[];
  private readonly byMentionedThumbprint = new Map<string, CallerSetup[]>();
  /** Cells by the chain's scope addresses and the API's service URL. */
  private readonly cellsByChain = new Map<string, readonly AccessCell[]>();
  /** Simulation outcomes by chain texts and caller. */
  private readonly cache = new Map<string, ChainOutcome>();
  /** Interned policy texts: chains are keyed by the ids of their texts. */
  private readonly textIds = new Map<string, number>();
  private readonly mentionsByText = new Map<string, ReadonlySet<string>>();
  private readonly serviceWideMentions: ReadonlySet<string>;
  private readonly serviceWideTexts: readonly string[];
  /** Certificate ids by caller key, for callers that are uploaded certificates. */
  private readonly certificateIds = new Map<string, string>();

  constructor(
    plan: Plan,
    private readonly service: PlanService,
    now: Date,
    wanted: (caller: Caller) => boolean = () => true,
  ) {
    const certificates = serviceCertificates(service, now);
    const fragments: Record<string, string> = {};
    const undecidedFragments = new Map<string, string>();
    for (const fragment of service.fragments) {
      if (!fragment.name.known) continue;
      if (fragment.text.known) fragments[fragment.name.value] = fragment.text.value;
      else undecidedFragments.set(fragment.name.value, fragment.text.reason);
    }
    const namedValues: Record<string, string> = {};
    for (const namedValue of service.namedValues) {
      if (namedValue.name.known && namedValue.value.known) namedValues[namedValue.name.value] = namedValue.value.value;
    }
    this.env = {
      service,
      certificates,
      // Undecided counts as asking: callers then present their certificates, the case that admits more.
      asksForCertificates: service.asksForCertificates.known ? service.asksForCertificates.value : true,
      fragments,
      undecidedFragments,
      namedValues,
    };
    const serviceWideTexts = [...Object.values(fragments), ...Object.values(namedValues)];
    this.serviceWideTexts = serviceWideTexts;
    this.serviceWideMentions = new Set(serviceWideTexts.flatMap(thumbprintsIn));
    for (const certificate of service.certificates) {
      if (certificate.name.known) this.certificateIds.set(`certificate:${certificate.address}`, certificate.name.value);
    }
    this.setups = callersOf(plan, service, certificates, [...policyTexts(service), ...serviceWideTexts], now).filter((setup) => wanted(setup.caller));
    this.order = new Map(this.setups.map((setup, i) => [setup.caller.key, i]));
    this.everyChain = this.setups.filter((setup) => setup.onlyIfMentioned === undefined);
    for (const setup of this.setups) {
      if (setup.onlyIfMentioned === undefined) continue;
      const list = this.byMentionedThumbprint.get(setup.onlyIfMentioned) ?? [];
      list.push(setup);
      this.byMentionedThumbprint.set(setup.onlyIfMentioned, list);
    }
  }

  run(): ServiceAccess {
    const operations: OperationAccess[] = [];
    const global = scopeOf(ScopeKind.GLOBAL, this.service.policy);
    const routesByProduct = new Map(this.service.products.map((product) => [product.key, product]));
    for (const api of this.service.apis) {
      const routes: Route[] = [{ key: 'none' }];
      for (const link of api.productLinks) {
        const product = routesByProduct.get(link.productKey);
        if (!product || routes.some((route) => route.key === `product:${product.productId.toLowerCase()}`)) continue;
        const presence = link.presence?.reason ?? product.presence?.reason;
        routes.push({
          key: `product:${product.productId.toLowerCase()}`,
          productId: product.productId,
          scope: scopeOf(ScopeKind.PRODUCT, product.policy),
          ...(presence ? { presence } : {}),
        });
      }
      for (const operation of operationsOf(api)) {
        for (const route of routes) {
          const chain = [global, route.scope, scopeOf(ScopeKind.API, api.policy), scopeOf(ScopeKind.OPERATION, operation.policy)].filter(
            (scope): scope is ChainScope => scope !== undefined,
          );
          const presence = api.presence?.reason ?? operation.presence?.reason ?? route.presence;
          operations.push({
            ref: refOf(this.service, api, operation, route),
            chain,
            ...(presence ? { presence } : {}),
            cells: this.cells(chain, api.serviceUrl),
          });
        }
      }
    }
    const callers = this.callersWithRoles(operations);
    const changed = new Map(callers.filter((caller, i) => caller !== this.setups[i].caller).map((caller) => [caller.key, caller]));
    // Rows share their chain's cells; cells are rewritten once per chain, only where a caller changed.
    const rewritten = new Map<readonly AccessCell[], readonly AccessCell[]>();
    const withRoles = (cells: readonly AccessCell[]): readonly AccessCell[] => {
      let result = rewritten.get(cells);
      if (!result) {
        result = cells.some((cell) => changed.has(cell.caller.key)) ? cells.map((cell) => (changed.has(cell.caller.key) ? { ...cell, caller: changed.get(cell.caller.key)! } : cell)) : cells;
        rewritten.set(cells, result);
      }
      return result;
    };
    return {
      service: this.service.key,
      name: this.service.name,
      asksForCertificates: this.service.asksForCertificates,
      callers,
      operations: changed.size === 0 ? operations : operations.map((operation) => ({ ...operation, cells: withRoles(operation.cells) })),
    };
  }

  /** The cells of a chain: operations of one API without their own policy share them. */
  private cells(chain: readonly ChainScope[], serviceUrl: PlanValue<string> | undefined): readonly AccessCell[] {
    const key = `${chain.map((scope) => scope.address).join('/')}|${serviceUrl?.known ? serviceUrl.value : (serviceUrl?.reason ?? '')}`;
    let cells = this.cellsByChain.get(key);
    if (!cells) {
      cells = this.simulateCells(chain, serviceUrl);
      this.cellsByChain.set(key, cells);
    }
    return cells;
  }

  private simulateCells(chain: readonly ChainScope[], serviceUrl: PlanValue<string> | undefined): AccessCell[] {
    const chainKey = chain.map((scope) => (scope.text.known ? `${scope.kind}#${this.textId(scope.text.value)}` : `${scope.kind}!${scope.address}`)).join('/');
    const mentioned = this.mentions(chain);
    const setups = [...this.everyChain, ...[...mentioned].flatMap((thumbprint) => this.byMentionedThumbprint.get(thumbprint) ?? [])].sort(
      (a, b) => this.order.get(a.caller.key)! - this.order.get(b.caller.key)!,
    );
    return setups.map((setup) => {
      const cell = this.cell(chainKey, chain, setup, serviceUrl);
      const mention = this.mentionOf(setup, mentioned, chain);
      return mention ? { ...cell, mentioned: mention } : cell;
    });
  }

  private cell(chainKey: string, chain: readonly ChainScope[], setup: CallerSetup, serviceUrl: PlanValue<string> | undefined): AccessCell {
    const cacheKey = `${chainKey}|${setup.caller.key}`;
    let outcome = this.cache.get(cacheKey);
    if (!outcome) {
      outcome = simulateChain(chain, setup, this.env);
      this.cache.set(cacheKey, outcome);
    }
    const scopesRun = 'simulation' in outcome ? outcome.simulation.scopesRun.flatMap((name) => chain.find((scope) => scope.kind === name)?.address ?? []) : [];
    const sent = new Set(Object.keys(setup.headers ?? {}).map((name) => name.toLowerCase()));
    const headersNotSent = 'simulation' in outcome ? outcome.simulation.requestHeadersRead.filter((name) => !sent.has(name)) : [];
    return { caller: setup.caller, verdict: verdictOf(outcome, chain, serviceUrl, this.env), scopesRun, ...(headersNotSent.length > 0 ? { headersNotSent } : {}) };
  }

  private textId(text: string): number {
    let id = this.textIds.get(text);
    if (id === undefined) {
      id = this.textIds.size;
      this.textIds.set(text, id);
    }
    return id;
  }

  /** Thumbprints the chain (or a fragment or named value of the service) mentions. */
  private mentions(chain: readonly ChainScope[]): ReadonlySet<string> {
    const all = new Set(this.serviceWideMentions);
    for (const scope of chain) {
      if (!scope.text.known) continue;
      let found = this.mentionsByText.get(scope.text.value);
      if (!found) {
        found = new Set(thumbprintsIn(scope.text.value));
        this.mentionsByText.set(scope.text.value, found);
      }
      for (const thumbprint of found) all.add(thumbprint);
    }
    return all;
  }

  /** How the chain names the caller's certificate, if it does: copies (expired, impostor) are never named. */
  private mentionOf(setup: CallerSetup, thumbprints: ReadonlySet<string>, chain: readonly ChainScope[]): 'thumbprint' | 'name' | undefined {
    const caller = setup.caller;
    if (caller.copyOf !== undefined || caller.thumbprint === undefined) return undefined;
    if (thumbprints.has(caller.thumbprint)) return 'thumbprint';
    const id = this.certificateIds.get(caller.key);
    if (id === undefined) return undefined;
    const quoted = [`"${id}"`, `'${id}'`, `&quot;${id}&quot;`];
    const texts = [...chain.flatMap((scope) => (scope.text.known ? [scope.text.value] : [])), ...this.serviceWideTexts];
    return texts.some((text) => quoted.some((form) => text.includes(form))) ? 'name' : undefined;
  }

  /** Callers with the roles the simulation revealed: a certificate APIM presents to a backend. */
  private callersWithRoles(operations: readonly OperationAccess[]): Caller[] {
    const presented = new Set<string>();
    for (const operation of operations) {
      for (const cell of operation.cells) if (cell.verdict.kind === 'forwarded') for (const certificate of cell.verdict.presents) presented.add(certificate);
    }
    return this.setups.map(({ caller }) =>
      caller.kind === CallerKind.CERTIFICATE && presented.has(caller.certificate!) && !caller.roles.includes(CallerRole.BACKEND_CLIENT)
        ? { ...caller, roles: [...caller.roles, CallerRole.BACKEND_CLIENT] }
        : caller,
    );
  }
}

function scopeOf(kind: ScopeKind, policy: PlanApi['policy']): ChainScope | undefined {
  return policy ? { kind, address: policy.address, text: policy.text, ...(policy.written !== undefined ? { written: policy.written } : {}) } : undefined;
}

/** The operations of an API, plus "every other request" when the plan cannot list them all. */
function operationsOf(api: PlanApi): PlanOperation[] {
  return api.otherOperations === undefined ? [...api.operations] : [...api.operations, { key: '*', source: 'policy' }];
}

function refOf(service: PlanService, api: PlanApi, operation: PlanOperation, route: Route): OperationRef {
  const apiPath = api.path.known ? api.path.value : undefined;
  const version = api.version !== undefined ? `@${api.version}` : '';
  return {
    service: service.key,
    api: api.key,
    apiMatch: apiPath !== undefined ? `path:${apiPath.toLowerCase()}${version}` : `name:${api.name}`,
    apiName: api.name,
    ...(apiPath !== undefined ? { apiPath } : {}),
    operation: operation.key,
    ...(operation.method !== undefined ? { method: operation.method } : {}),
    ...(operation.urlTemplate !== undefined ? { urlTemplate: operation.urlTemplate } : {}),
    route: route.key,
    ...(route.productId !== undefined ? { productId: route.productId } : {}),
  };
}

/** Every decided policy text of the service, for the thumbprints they pin. */
function policyTexts(service: PlanService): string[] {
  const policies = [
    service.policy,
    ...service.products.map((product) => product.policy),
    ...service.apis.flatMap((api) => [api.policy, ...api.operations.map((operation) => operation.policy)]),
  ];
  return policies.flatMap((policy) => (policy?.text.known ? [policy.text.value] : []));
}
