import { PlanService, PlanValue, known, undecided } from '../plan';
import {
  InvalidPolicyError,
  PolicyFormat,
  PolicySimulation,
  PolicySimulationError,
  SimulatedOutcome,
  simulatePolicy,
  UnknownNamedValueError,
  UnsupportedExpressionError,
  ValueObserver,
} from '../policy/simulator';
import { ChainScope } from './access-matrix';
import { CallerSetup, ServiceCertificates } from './simulated-callers';
import { Destination, Responsible, Verdict } from './verdict';

/** APIM's own policy where no scope has one: each section runs the enclosing scope. */
const DEFAULT_POLICY = '<policies><inbound><base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';

/** The service around a simulated request: certificates, fragments, named values. */
export interface SimulationEnvironment {
  readonly service: PlanService;
  readonly certificates: ServiceCertificates;
  readonly asksForCertificates: boolean;
  readonly fragments: Readonly<Record<string, string>>;
  /** How each fragment is written (azurerm's `format`: xml or rawxml). */
  readonly fragmentFormats: Readonly<Record<string, PolicyFormat>>;
  /** Fragments the plan cannot show, by id, with the reason. */
  readonly undecidedFragments: ReadonlyMap<string, string>;
  readonly namedValues: Readonly<Record<string, string>>;
}

/**
 * What a simulation decided for one chain and one caller, before the API's own facts are
 * applied: the few fields verdicts need (simulations also carry a trace, kept out of the cache).
 */
export type ChainOutcome = { readonly simulation: SimulationFacts } | { readonly undecided: string };

type SimulationFacts = Pick<
  PolicySimulation,
  'outcome' | 'statusCode' | 'rejectedBy' | 'answeredBy' | 'backendId' | 'backendUrl' | 'backendCertificate' | 'scopesRun' | 'inboundScopesRun' | 'requestHeadersRead'
> & {
  readonly errorMessage?: string;
  /** Parts that ran and could change the outcome, when the outcome is uncertain. */
  readonly uncertain?: readonly { readonly element: string; readonly path: string }[];
  /** The request ended by a rate limit, token check or cache lookup it went through (see simulatePolicy). */
  readonly alternatives?: readonly SimulationFacts[];
};

function factsOf(result: PolicySimulation): SimulationFacts {
  return {
    outcome: result.outcome,
    statusCode: result.statusCode,
    rejectedBy: result.rejectedBy,
    answeredBy: result.answeredBy,
    backendId: result.backendId,
    backendUrl: result.backendUrl,
    backendCertificate: result.backendCertificate,
    scopesRun: result.scopesRun,
    inboundScopesRun: result.inboundScopesRun,
    requestHeadersRead: result.requestHeadersRead,
    ...(result.error ? { errorMessage: result.error.message } : {}),
    ...(result.outcomeUncertain ? { uncertain: result.notSimulated.filter((part) => part.reached && part.mayChangeOutcome).map(({ element, path }) => ({ element, path })) } : {}),
    ...(result.alternatives.length > 0 ? { alternatives: result.alternatives.map((alternative) => factsOf(alternative.simulation)) } : {}),
  };
}

/** Simulates `setup` against the composed `chain` (outermost first). Never throws for policy content. */
export function simulateChain(chain: readonly ChainScope[], setup: CallerSetup, env: SimulationEnvironment, observer?: ValueObserver): ChainOutcome {
  const open = chain.find((scope) => !scope.text.known);
  if (open && !open.text.known) return { undecided: `the ${open.kind} policy ${open.address} is undecided: ${open.text.reason}` };
  const texts = chain.map((scope) => (scope.text as { value: string }).value);
  const inner = chain[chain.length - 1];
  const request = {
    scope: inner?.kind ?? 'default',
    enclosingPolicies: chain.slice(0, -1).map((scope, i) => ({ scope: scope.kind, policy: texts[i] })),
    clientCertificate: env.asksForCertificates ? setup.presented : undefined,
    ...(setup.headers ? { headers: setup.headers } : {}),
    uploadedCertificates: env.certificates.uploaded,
    caCertificates: env.certificates.cas,
    intermediateCertificates: env.certificates.intermediates,
    now: setup.at,
    fragments: env.fragments,
    fragmentFormats: env.fragmentFormats,
    namedValues: env.namedValues,
    // azurerm sends xml_content as rawxml: read it as APIM will, not as XML (the two readings can differ).
    format: PolicyFormat.RAWXML,
    ...(observer ? { observer } : {}),
  };
  // The simulator models policy failures (a gate rejecting) as exceptions; their stack traces
  // are most of its cost and nobody reads them here.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return { simulation: factsOf(simulatePolicy(inner ? texts[texts.length - 1] : DEFAULT_POLICY, request)) };
  } catch (error) {
    if (error instanceof InvalidPolicyError) {
      const fragment = [...env.undecidedFragments].find(([id]) => error.message.includes(`fragment "${id}"`));
      if (fragment) return { undecided: `fragment "${fragment[0]}" is undecided: ${fragment[1]}` };
      return { undecided: `APIM would refuse the composed policy: ${error.message}` };
    }
    if (error instanceof UnknownNamedValueError) {
      const namedValue = env.service.namedValues.find((candidate) => candidate.name.known && candidate.name.value === error.namedValue);
      return { undecided: namedValue && !namedValue.value.known ? `named value ${JSON.stringify(error.namedValue)} is ${namedValue.value.reason}` : `named value ${JSON.stringify(error.namedValue)} is not in this plan` };
    }
    if (error instanceof UnsupportedExpressionError) return { undecided: `not simulated: ${error.message}` };
    if (error instanceof PolicySimulationError) return { undecided: `not simulated: ${error.message}` };
    throw error;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * The verdict of one cell: the simulation's outcome with the API's and the plan's facts applied.
 * Where a rate limit, token check or cache lookup could also have ended the request, the caller
 * gets the furthest of the outcomes: forwarded before answered before rejected.
 */
export function verdictOf(outcome: ChainOutcome, chain: readonly ChainScope[], serviceUrl: PlanValue<string> | undefined, env: SimulationEnvironment): Verdict {
  if ('undecided' in outcome) return { kind: 'undecided', reason: outcome.undecided };
  const verdicts = [outcome.simulation, ...(outcome.simulation.alternatives ?? [])].map((facts) => singleVerdict(facts, chain, serviceUrl, env));
  const undecidedVerdict = verdicts.find((verdict) => verdict.kind === 'undecided');
  const furthest = verdicts.reduce((best, verdict) => (REACH[verdict.kind] > REACH[best.kind] ? verdict : best));
  return undecidedVerdict && furthest.kind !== 'forwarded' ? undecidedVerdict : furthest;
}

/** How far a caller gets: the backend, an answer of the gateway, or a rejection. */
const REACH: Readonly<Record<Verdict['kind'], number>> = { rejected: 0, undecided: 0, answered: 1, forwarded: 2 };

function singleVerdict(result: SimulationFacts, chain: readonly ChainScope[], serviceUrl: PlanValue<string> | undefined, env: SimulationEnvironment): Verdict {
  if (result.uncertain) {
    const parts = result.uncertain.map((part) => `<${part.element}> at ${responsible(part.path, chain, env)?.element ?? part.path}`);
    return { kind: 'undecided', reason: `runs ${parts.join(', ')}, which the simulator does not decide` };
  }
  const answeredOrRejectedBy = result.answeredBy ?? result.rejectedBy;
  const by = answeredOrRejectedBy === undefined ? undefined : responsible(answeredOrRejectedBy, chain, env);
  switch (result.outcome as string) {
    case SimulatedOutcome.REJECTED:
      // A return-response with a success or redirect status is an answer, not a rejection.
      if (result.statusCode! < 400) return { kind: 'answered', status: result.statusCode!, ...(by ? { by } : {}) };
      return { kind: 'rejected', status: result.statusCode!, ...(by ? { by } : {}), ...(result.errorMessage !== undefined ? { detail: result.errorMessage } : {}) };
    case 'answered':
      return { kind: 'answered', status: result.statusCode!, ...(by ? { by } : {}) };
    case SimulatedOutcome.FORWARDED:
      return forwarded(result, serviceUrl, env);
    default:
      return { kind: 'undecided', reason: `the simulator's outcome ${JSON.stringify(result.outcome)} is not one the review knows` };
  }
}

function forwarded(result: SimulationFacts, serviceUrl: PlanValue<string> | undefined, env: SimulationEnvironment): Verdict {
  const presents: string[] = [];
  const certificateNamed = (certificateId?: string, thumbprint?: string): string => {
    const match = env.service.certificates.find(
      (certificate) => (certificateId !== undefined && certificate.name.known && certificate.name.value === certificateId) || (thumbprint !== undefined && certificate.thumbprint === thumbprint.toUpperCase()),
    );
    return match?.address ?? (certificateId !== undefined ? `id:${certificateId}` : `thumbprint:${thumbprint}`);
  };
  if (result.backendCertificate) presents.push(certificateNamed(result.backendCertificate.certificateId, result.backendCertificate.thumbprint));
  if (result.backendId !== undefined) {
    const backend = env.service.backends.find((candidate) => candidate.name.known && candidate.name.value === result.backendId);
    if (!backend) {
      return {
        kind: 'forwarded',
        destination: Destination.BACKEND,
        backend: result.backendId,
        url: undecided(`backend-id "${result.backendId}" names no backend of this plan`),
        presents,
      };
    }
    for (const ref of backend.clientCertificates) presents.push(ref.certificate ?? (ref.thumbprint !== undefined ? `thumbprint:${ref.thumbprint}` : `undecided:${ref.undecided}`));
    return {
      kind: 'forwarded',
      destination: Destination.BACKEND,
      backend: backend.address,
      url: backend.url,
      ...hostOf(backend.url),
      presents: unique(presents),
      ...(backend.validateCertificateChain ? { validateCertificateChain: backend.validateCertificateChain } : {}),
      ...(backend.validateCertificateName ? { validateCertificateName: backend.validateCertificateName } : {}),
    };
  }
  if (result.backendUrl !== undefined) {
    const url = known(result.backendUrl);
    return { kind: 'forwarded', destination: Destination.BASE_URL, url, ...hostOf(url), presents: unique(presents) };
  }
  if (serviceUrl) return { kind: 'forwarded', destination: Destination.SERVICE_URL, url: serviceUrl, ...hostOf(serviceUrl), presents: unique(presents) };
  return { kind: 'forwarded', destination: Destination.NONE, url: undecided('no backend URL is set'), presents: unique(presents) };
}

/** `{ host }` of a known absolute URL (lower case, with a port when one is written). */
function hostOf(url: PlanValue<string>): { host?: string } {
  if (!url.known) return {};
  try {
    const parsed = new URL(url.value);
    return parsed.host === '' ? {} : { host: parsed.host.toLowerCase() };
  } catch {
    return {};
  }
}

/**
 * The resource and element path of a simulator path such as `api:/policies/inbound/choose` or
 * `fragment(shortcut):/fragment/return-response`.
 */
export function responsible(path: string, chain: readonly ChainScope[], env?: SimulationEnvironment): Responsible | undefined {
  const colon = path.indexOf(':/');
  if (colon < 0) return undefined;
  const scopeName = path.slice(0, colon);
  const element = path.slice(colon + 1);
  const scope = chain.find((candidate) => candidate.kind === scopeName);
  if (scope) return { scope: scope.address, element };
  const fragment = /^fragment\((.*)\)$/.exec(scopeName);
  const address = fragment ? env?.service.fragments.find((candidate) => candidate.name.known && candidate.name.value === fragment[1])?.address : undefined;
  return { scope: address ?? scopeName, element };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
