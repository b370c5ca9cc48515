import { PolicySimulation } from './policy-simulation';
import { loadPolicy } from './policy-source';
import { PolicyRun, ScopeDocument } from './policy-run';
import { SimulatedRequest } from './simulated-request';
import { environmentOf } from './simulation-environment';
import { PolicySimulationError } from './simulation-errors';

/**
 * What API Management would do with `request` under the policy document `policy` (XML or
 * azurerm's rawxml): reject the caller (REJECTED, a 4xx/5xx answer with the element
 * responsible), answer it itself without rejecting (ANSWERED, e.g. a 200 from return-response),
 * or forward the request (FORWARDED, with the backend and the client certificate presented to it).
 *
 * Named values are substituted first, as APIM does. The inbound and backend sections run, then
 * on-error if a policy fails. A request that gets through both without an answer counts as
 * forwarded, as with APIM's default global policy (`<forward-request />` in backend); the
 * outbound section is not run. Policies that decide on state the simulator does not have (rate
 * limits, quotas, token checks, the response cache) are run both ways: the result is the request
 * going on, and `alternatives` hold the request ended by each of them. Elements outside the
 * supported set are listed in `notSimulated`;
 * `outcomeUncertain` tells whether one of them could have changed the result. An expression
 * outside the supported C# subset that the request reaches throws UnsupportedExpressionError
 * (UnknownNamedValueError for a named value that is not given), and a policy APIM would refuse
 * throws InvalidPolicyError: the simulator never guesses.
 */
export function simulatePolicy(policy: string, request: SimulatedRequest = {}): PolicySimulation {
  const env = environmentOf(request);
  if (request.basePolicy !== undefined && request.enclosingPolicies !== undefined) {
    throw new PolicySimulationError('give request.basePolicy or request.enclosingPolicies, not both');
  }
  const enclosing = request.enclosingPolicies ?? (request.basePolicy === undefined ? [] : [{ scope: 'base', policy: request.basePolicy }]);
  const namedValues: string[] = [];
  const scopes: ScopeDocument[] = enclosing.map((entry, i) => {
    if (typeof entry?.scope !== 'string' || entry.scope === '' || typeof entry.policy !== 'string') {
      throw new PolicySimulationError(`request.enclosingPolicies[${i}] needs a non-empty scope name and a policy text`);
    }
    const what = entry.scope === 'base' ? 'the base policy' : `the ${entry.scope} policy`;
    const loaded = loadPolicy(entry.policy, env, `${entry.scope}:`, 'policies', what);
    namedValues.push(...loaded.namedValues);
    return { scope: entry.scope, document: loaded.document };
  });
  const own = request.scope ?? '';
  const loaded = loadPolicy(policy, env, own === '' ? '' : `${own}:`, 'policies', 'a policy');
  namedValues.push(...loaded.namedValues);
  scopes.push({ scope: own, document: loaded.document });
  const run = new PolicyRun(env, scopes, namedValues);
  const simulation = run.simulate();
  const points = [...new Map(run.decisionPoints.map((point) => [point.path, point])).values()];
  if (points.length === 0) return simulation;
  // Each policy that decides on state the simulator lacks also ends the request in a run of its own.
  const alternatives = points.map((point) => ({
    path: point.path,
    element: point.element,
    kind: point.kind,
    simulation: new PolicyRun(env, scopes, namedValues, point.path).simulate(),
  }));
  return { ...simulation, alternatives };
}
