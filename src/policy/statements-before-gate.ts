import { PolicyElement } from './policy-element';

/**
 * The statements a policy may run before the client-certificate gate, i.e. before `<base />` in
 * `<inbound>` (the gate goes right after `<base />`). Each one can only let a request continue
 * unchanged in whom it reaches, annotate it, or reject it: none can answer a caller with success,
 * forward the request, or hold other statements that could. Everything else (`return-response`,
 * `mock-response`, `send-request`, `choose`, `include-fragment`, `cors`, which answers preflight
 * requests itself, …) must come after the gate.
 */
export const STATEMENTS_ALLOWED_BEFORE_GATE: readonly string[] = [
  // Annotate the request or the trace.
  'set-variable',
  'set-header',
  'set-query-parameter',
  'trace',
  'emit-metric',
  'log-to-eventhub',
  // Reject only (429, 403, 401): they never admit a caller the gate would refuse.
  'rate-limit',
  'rate-limit-by-key',
  'quota',
  'quota-by-key',
  'ip-filter',
  'check-header',
  'validate-jwt',
  'validate-azure-ad-token',
];

/** Why `statement` cannot run before the gate, or undefined when it may. */
export function statementBeforeGateProblem(statement: PolicyElement): string | undefined {
  if (STATEMENTS_ALLOWED_BEFORE_GATE.includes(statement.name)) return undefined;
  return (
    `<${statement.name}> before <base /> in <inbound> would run before the client-certificate gate, where a statement that can answer ` +
    `or forward a request lets callers past it. Move it after <base /> (the gate goes right after it). Before <base /> only these may run: ` +
    `${STATEMENTS_ALLOWED_BEFORE_GATE.join(', ')}`
  );
}
