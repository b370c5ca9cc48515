import { Plan, PlanApi, PlanOperation, PlanService, PlanValue } from '../plan';
import { HEADER_NAME, headerKey, PolicyFormat, ValueObservation, ValueObserver, ValueTest } from '../policy/simulator';
import { AccessCell, AccessMatrix, ChainScope, OperationAccess, OperationRef, ScopeKind, ServiceAccess } from './access-matrix';
import { ChosenHeaders, headersThatAdmit } from './chosen-headers';
import { AnsweredVerdict, ForwardedVerdict, Verdict } from './verdict';
import { Caller, CallerKind, CallerRole } from './caller';
import { ChainOutcome, SimulationEnvironment, simulateChain, verdictOf } from './simulate-chain';
import { derivedCallers, isStandIn, passes } from './derived-callers';
import { CallerSetup, callersOf, expiredCopy, serviceCertificates, thumbprintsIn, WatchedField, watchedValues } from './simulated-callers';

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

/** Rounds of callers derived from callers derived before (a subject chosen, then an issuer). */
const DERIVATION_ROUNDS = 3;
/** At most this many derived callers per service, so a policy cannot make the review quadratic. */
const MAX_DERIVED_CALLERS = 64;

class ServiceSimulation {
  private readonly env: SimulationEnvironment;
  private readonly setups: CallerSetup[] = [];
  private readonly byKey = new Map<string, CallerSetup>();
  private readonly order = new Map<string, number>();
  /** Callers simulated in every chain: those that stand for themselves only. */
  private readonly everyChain: CallerSetup[] = [];
  /**
   * Callers that differ from a stand-in in one field (pinned thumbprints), by stand-in key and
   * field, then by upper-case value: simulated only in chains whose run of the stand-in tested
   * that field against a text they pass, or used it otherwise. Anywhere else they fare exactly
   * as the stand-in, whose cell stands for them. Looked up by value, so a plan of N APIs each
   * pinning its own thumbprint stays linear.
   */
  private readonly represented = new Map<string, Map<string, CallerSetup[]>>();
  /** Callers made to pass a test the policies apply (few): each checked in every chain. */
  private readonly chosen: CallerSetup[] = [];
  /** What each stand-in's run did with its watched fields, by chain and caller. */
  private readonly observations = new Map<string, ReadonlyMap<WatchedField, ValueObservation>>();
  private derived = 0;
  /** Thumbprints callers present as their own (not as copies): a thumbprint found again is no new caller. */
  private readonly ownThumbprints = new Set<string>();
  /** Cells by the chain's scope addresses and the API's service URL. */
  private readonly cellsByChain = new Map<string, readonly AccessCell[]>();
  /** Headers that get a caller in, by chain texts and caller (undefined: none found). */
  private readonly headerCache = new Map<string, ChosenHeaders | undefined>();
  /** Simulation outcomes by chain texts and caller. */
  private readonly cache = new Map<string, ChainOutcome>();
  /** Interned policy texts: chains are keyed by the ids of their texts. */
  private readonly textIds = new Map<string, number>();
  private readonly serviceWideTexts: readonly string[];
  private readonly thumbprintsByText = new Map<string, ReadonlySet<string>>();
  /** Certificate ids by caller key, for callers that are uploaded certificates. */
  private readonly certificateIds = new Map<string, string>();

  constructor(
    plan: Plan,
    private readonly service: PlanService,
    now: Date,
    private readonly wanted: (caller: Caller) => boolean = () => true,
  ) {
    const certificates = serviceCertificates(service, now);
    const fragments: Record<string, string> = {};
    const fragmentFormats: Record<string, PolicyFormat> = {};
    const undecidedFragments = new Map<string, string>();
    for (const fragment of service.fragments) {
      if (!fragment.name.known) continue;
      if (fragment.text.known) fragments[fragment.name.value] = fragment.text.value;
      else undecidedFragments.set(fragment.name.value, fragment.text.reason);
      fragmentFormats[fragment.name.value] = fragment.format === 'rawxml' ? PolicyFormat.RAWXML : PolicyFormat.XML;
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
      fragmentFormats,
      undecidedFragments,
      namedValues,
    };
    const serviceWideTexts = [...Object.values(fragments), ...Object.values(namedValues)];
    this.serviceWideTexts = serviceWideTexts;
    for (const certificate of service.certificates) {
      if (certificate.name.known) this.certificateIds.set(`certificate:${certificate.address}`, certificate.name.value);
    }
    const setups = callersOf(plan, service, certificates, [...policyTexts(service), ...serviceWideTexts], now).filter((setup) => wanted(setup.caller));
    for (const setup of setups) this.byKey.set(setup.caller.key, setup);
    for (const setup of setups) this.add(setup);
  }

  private add(setup: CallerSetup): void {
    this.byKey.set(setup.caller.key, setup);
    if (setup.caller.copyOf === undefined && setup.caller.thumbprint !== undefined) this.ownThumbprints.add(setup.caller.thumbprint);
    this.order.set(setup.caller.key, this.setups.length);
    this.setups.push(setup);
    const represents = setup.represents;
    // A caller whose stand-in is not simulated (the synth-time proof asks for a few) stands for itself.
    if (represents === undefined || !this.byKey.has(represents.standIn)) {
      this.everyChain.push(setup);
    } else if (setup.caller.kind === CallerKind.CHOSEN) {
      this.chosen.push(setup);
    } else {
      const key = `${represents.standIn}|${represents.field}`;
      const byValue = this.represented.get(key) ?? new Map<string, CallerSetup[]>();
      this.represented.set(key, byValue);
      const value = represents.value.toUpperCase();
      byValue.set(value, [...(byValue.get(value) ?? []), setup]);
    }
  }

  run(): ServiceAccess {
    const rows: (Omit<OperationAccess, 'cells'> & { readonly serviceUrl?: PlanValue<string> })[] = [];
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
          rows.push({ ref: refOf(this.service, api, operation, route), chain, ...(presence ? { presence } : {}), serviceUrl: api.serviceUrl });
        }
      }
    }
    this.deriveCallers(rows.map((row) => row.chain));
    const operations: OperationAccess[] = rows.map(({ serviceUrl, ...row }) => ({ ...row, cells: this.cells(row.chain, serviceUrl) }));
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

  private chainKeyOf(chain: readonly ChainScope[]): string {
    return chain.map((scope) => (scope.text.known ? `${scope.kind}#${this.textId(scope.text.value)}` : `${scope.kind}!${scope.address}`)).join('/');
  }

  private simulateCells(chain: readonly ChainScope[], serviceUrl: PlanValue<string> | undefined): AccessCell[] {
    const chainKey = this.chainKeyOf(chain);
    const cells: AccessCell[] = [];
    const simulate = (setup: CallerSetup) => {
      const cell = this.cell(chainKey, chain, setup, serviceUrl);
      const mention = this.mentionOf(chainKey, setup, chain);
      cells.push(mention ? { ...cell, mentioned: mention } : cell);
    };
    // Stand-ins first: the callers they stand for join where their run says they may differ.
    for (const setup of this.everyChain) simulate(setup);
    for (const setup of this.chosen) if (this.reaches(chainKey, setup)) simulate(setup);
    for (const setup of this.representedIn(chainKey)) simulate(setup);
    return cells.sort((a, b) => this.order.get(a.caller.key)! - this.order.get(b.caller.key)!);
  }

  /** The indexed represented callers that may fare differently from their stand-in in a chain. */
  private representedIn(chainKey: string): CallerSetup[] {
    const found = new Set<CallerSetup>();
    for (const [key, byValue] of this.represented) {
      const separator = key.lastIndexOf('|');
      const observation = this.observations.get(`${chainKey}|${key.slice(0, separator)}`)?.get(key.slice(separator + 1) as WatchedField);
      if (!observation) continue;
      if (observation.otherUses.length > 0) {
        for (const setups of byValue.values()) for (const setup of setups) found.add(setup);
        continue;
      }
      for (const test of observation.tests) {
        if (test.test === ValueTest.EQUALS) {
          for (const setup of byValue.get(test.against.toUpperCase()) ?? []) found.add(setup);
        } else {
          for (const [value, setups] of byValue) if (passes(test, value)) for (const setup of setups) found.add(setup);
        }
      }
    }
    return [...found];
  }

  private cell(chainKey: string, chain: readonly ChainScope[], setup: CallerSetup, serviceUrl: PlanValue<string> | undefined): AccessCell {
    let outcome = this.outcome(chainKey, chain, setup);
    let verdict = verdictOf(outcome, chain, serviceUrl, this.env);
    const sent = new Set(Object.keys(setup.headers ?? {}).map(headerKey));
    // Only names a request can carry: a caller cannot send "X Cert: a", whatever a policy looks up.
    const headersNotSent = 'simulation' in outcome ? outcome.simulation.requestHeadersRead.filter((name) => !sent.has(name) && HEADER_NAME.test(name)) : [];
    // Any caller can send the headers the policies read: if some value gets it in, that is its fate.
    if (headersNotSent.length > 0 && !isAdmitted(verdict)) {
      const cacheKey = `${chainKey}|${setup.caller.key}|headers`;
      const found = this.headerCache.has(cacheKey)
        ? this.headerCache.get(cacheKey)
        : headersThatAdmit(chain, setup, headersNotSent, this.env, (candidate) => isAdmitted(verdictOf(candidate, chain, serviceUrl, this.env)));
      this.headerCache.set(cacheKey, found);
      if (found) {
        outcome = found.outcome;
        const admittedVerdict = verdictOf(found.outcome, chain, serviceUrl, this.env) as AnsweredVerdict | ForwardedVerdict;
        verdict = { ...admittedVerdict, chosenHeaders: Object.keys(found.headers).sort() };
      } else if (verdict.kind === 'rejected') {
        verdict = { ...verdict, steerableBy: headersNotSent };
      }
    }
    const addresses = (names: readonly string[]) => names.flatMap((name) => chain.find((scope) => scope.kind === name)?.address ?? []);
    const scopesRun = 'simulation' in outcome ? addresses(outcome.simulation.scopesRun) : [];
    const inboundScopesRun = 'simulation' in outcome ? addresses(outcome.simulation.inboundScopesRun) : [];
    return {
      caller: setup.caller,
      verdict,
      scopesRun,
      inboundScopesRun,
      ...(headersNotSent.length > 0 ? { headersNotSent } : {}),
    };
  }

  /** The simulation of one caller against one chain, cached; a stand-in's run is watched. */
  private outcome(chainKey: string, chain: readonly ChainScope[], setup: CallerSetup): ChainOutcome {
    const cacheKey = `${chainKey}|${setup.caller.key}`;
    let outcome = this.cache.get(cacheKey);
    if (!outcome) {
      const watched = isStandIn(setup) && setup.presented && this.env.asksForCertificates ? watchedValues(setup.presented) : undefined;
      const observer = watched ? new ValueObserver(watched.values()) : undefined;
      outcome = simulateChain(chain, setup, this.env, observer);
      this.cache.set(cacheKey, outcome);
      if (observer && watched) this.observations.set(cacheKey, new Map([...watched].map(([field, value]) => [field, observer.observationOf(value)])));
    }
    return outcome;
  }

  /**
   * Callers the policies single out by a field of the certificate that the plan's callers do not
   * have: a thumbprint compared in full (however the text writes it), and certificates anyone can
   * make to pass a test of a name or of part of a thumbprint. Found by watching the unknown
   * certificate (and the callers found) in every chain, a few rounds deep.
   */
  private deriveCallers(chains: readonly (readonly ChainScope[])[]): void {
    const unknown = this.byKey.get('unknown');
    if (!unknown) return;
    const distinct = new Map<string, readonly ChainScope[]>();
    for (const chain of chains) distinct.set(this.chainKeyOf(chain), chain);
    let frontier: CallerSetup[] = [unknown];
    for (let round = 0; round < DERIVATION_ROUNDS && frontier.length > 0; round++) {
      const next: CallerSetup[] = [];
      for (const [chainKey, chain] of distinct) {
        for (const standIn of frontier) {
          if (standIn !== unknown && !this.reaches(chainKey, standIn)) continue;
          this.outcome(chainKey, chain, standIn);
          const observed = this.observations.get(`${chainKey}|${standIn.caller.key}`);
          for (const candidate of derivedCallers(standIn, observed, standIn === unknown)) {
            if (this.byKey.has(candidate.caller.key) || this.derived >= MAX_DERIVED_CALLERS || !this.wanted(candidate.caller)) continue;
            if (candidate.caller.kind === CallerKind.PINNED_THUMBPRINT && this.ownThumbprints.has(candidate.caller.thumbprint!)) continue;
            this.derived++;
            this.add(candidate);
            if (candidate.caller.kind === CallerKind.CHOSEN) next.push(candidate);
            else this.addExpiredCopy(candidate);
          }
        }
      }
      frontier = next;
    }
  }

  private addExpiredCopy(setup: CallerSetup): void {
    const copy = expiredCopy(setup);
    if (this.wanted(copy.caller) && !this.byKey.has(copy.caller.key)) this.add(copy);
  }

  /**
   * Whether a represented caller may fare differently from its stand-in in a chain: the nearest
   * of its stand-ins simulated there tested the field it differs in against a text its value
   * passes, or used that field otherwise. (Case is ignored in the test, which can only add callers.)
   */
  private reaches(chainKey: string, setup: CallerSetup): boolean {
    const represents = setup.represents;
    if (!represents) return true;
    for (let standIn: string | undefined = represents.standIn; standIn !== undefined; standIn = this.byKey.get(standIn)?.represents?.standIn) {
      const observations = this.observations.get(`${chainKey}|${standIn}`);
      if (!observations) continue;
      const observation = observations.get(represents.field);
      return observation !== undefined && (observation.otherUses.length > 0 || observation.tests.some((test) => passes(test, represents.value)));
    }
    return false;
  }

  private textId(text: string): number {
    let id = this.textIds.get(text);
    if (id === undefined) {
      id = this.textIds.size;
      this.textIds.set(text, id);
    }
    return id;
  }

  /**
   * How the chain names the caller's certificate, if it does: by comparing the presented
   * thumbprint with the caller's (as the unknown certificate's run shows), or by its certificate
   * id in quotes. Copies (expired, impostor) are never named.
   */
  private mentionOf(chainKey: string, setup: CallerSetup, chain: readonly ChainScope[]): 'thumbprint' | 'name' | undefined {
    const caller = setup.caller;
    if (caller.copyOf !== undefined || caller.thumbprint === undefined) return undefined;
    const texts = [...chain.flatMap((scope) => (scope.text.known ? [scope.text.value] : [])), ...this.serviceWideTexts];
    // Pinned: the run compared the presented thumbprint with this one, and a text holds it literally
    // (a comparison with context.Deployment.Certificates is not a pin).
    const compared = this.observations.get(`${chainKey}|unknown`)?.get(WatchedField.THUMBPRINT)?.tests ?? [];
    if (compared.some((test) => test.test === ValueTest.EQUALS && test.against.toUpperCase() === caller.thumbprint) && texts.some((text) => this.thumbprintsOf(text).has(caller.thumbprint!))) {
      return 'thumbprint';
    }
    const id = this.certificateIds.get(caller.key);
    if (id === undefined) return undefined;
    const quoted = [`"${id}"`, `'${id}'`, `&quot;${id}&quot;`];
    return texts.some((text) => quoted.some((form) => text.includes(form))) ? 'name' : undefined;
  }

  private thumbprintsOf(text: string): ReadonlySet<string> {
    let found = this.thumbprintsByText.get(text);
    if (!found) {
      found = new Set(thumbprintsIn(text));
      this.thumbprintsByText.set(text, found);
    }
    return found;
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


function isAdmitted(verdict: Verdict): verdict is AnsweredVerdict | ForwardedVerdict {
  return verdict.kind === 'forwarded' || verdict.kind === 'answered';
}
