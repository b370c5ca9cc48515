import { attributeOf, PolicyXmlElement } from './policy-xml-reader';

/*
 * Some policies decide on state the simulator does not have: a rate-limit counter, a quota, a
 * token's signature, the response cache. They never forward a request elsewhere; they either let
 * it go on or end it in one known way. The simulator runs them both ways: the request goes on
 * (the simulation's own outcome), and, as an alternative outcome, the policy ends it. Whoever
 * judges access then takes the outcome that lets the caller furthest.
 */

/** How a policy whose decision the simulator cannot make may end a request. */
export enum AlternativeKind {
  /** The policy raises an error (a limit exceeded, a token refused): on-error runs. */
  REJECTS = 'rejects',
  /** The policy answers the caller itself, e.g. with a response from the cache. */
  ANSWERS = 'answers',
}

export interface DecisionPoint {
  readonly kind: AlternativeKind;
  /** The status APIM uses when the policy ends the request. */
  readonly statusCode: number;
  /** The error reason (`context.LastError.Reason`) for REJECTS. */
  readonly reason: string;
}

/** Policies that only ever let a request go on or reject it, with the status they reject with. */
const REJECTING: Readonly<Record<string, (element: PolicyXmlElement) => DecisionPoint>> = {
  'rate-limit': () => rejects(429, 'RateLimitExceeded'),
  'rate-limit-by-key': () => rejects(429, 'RateLimitExceeded'),
  'quota': () => rejects(403, 'QuotaExceeded'),
  'quota-by-key': () => rejects(403, 'QuotaExceeded'),
  'llm-token-limit': () => rejects(429, 'TokenLimitExceeded'),
  'azure-openai-token-limit': () => rejects(429, 'TokenLimitExceeded'),
  'ip-filter': () => rejects(403, 'CallerIpNotAllowed'),
  'check-header': (element) => rejects(statusAttribute(element, 'failed-check-httpcode', 400), 'HeaderCheckFailed'),
  'validate-jwt': (element) => rejects(statusAttribute(element, 'failed-validation-httpcode', 401), 'TokenValidationFailed'),
  'validate-azure-ad-token': (element) => rejects(statusAttribute(element, 'failed-validation-httpcode', 401), 'TokenValidationFailed'),
  'validate-content': () => rejects(400, 'ContentValidationFailed'),
  'validate-parameters': () => rejects(400, 'ParameterValidationFailed'),
  'validate-headers': () => rejects(400, 'HeaderValidationFailed'),
  'validate-odata-request': () => rejects(400, 'ODataValidationFailed'),
  'validate-graphql-request': () => rejects(400, 'GraphQLValidationFailed'),
};

/** Policies that may answer the caller from the response cache instead of letting the request go on. */
const ANSWERING_FROM_CACHE = new Set(['cache-lookup', 'azure-openai-semantic-cache-lookup', 'llm-semantic-cache-lookup']);

/** The other way `element` may end a request, when it is a policy the simulator runs both ways. */
export function decisionPointOf(element: PolicyXmlElement): DecisionPoint | undefined {
  const rejecting = REJECTING[element.name];
  if (rejecting) return rejecting(element);
  if (ANSWERING_FROM_CACHE.has(element.name)) return { kind: AlternativeKind.ANSWERS, statusCode: 200, reason: 'OK (from the cache)' };
  return undefined;
}

/** Whether the simulator runs `name` both ways. */
export function isDecisionPoint(name: string): boolean {
  return name in REJECTING || ANSWERING_FROM_CACHE.has(name);
}

function rejects(statusCode: number, reason: string): DecisionPoint {
  return { kind: AlternativeKind.REJECTS, statusCode, reason };
}

/** A literal status attribute, or the fallback when it is absent or an expression. */
function statusAttribute(element: PolicyXmlElement, name: string, fallback: number): number {
  const value = attributeOf(element, name);
  return value !== undefined && /^[1-5][0-9]{2}$/.test(value.trim()) ? Number(value.trim()) : fallback;
}
