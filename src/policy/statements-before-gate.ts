import { PolicyElement } from './policy-element';
import { APIM_POLICY_ELEMENTS } from './simulator/policy-catalogue';

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

/**
 * The attribute that sets the status a rejecting statement answers with. A success status would
 * turn its rejection into an answer that runs before the gate.
 */
const REJECTION_STATUS: Readonly<Record<string, string>> = {
  'validate-jwt': 'failed-validation-httpcode',
  'validate-azure-ad-token': 'failed-validation-httpcode',
  'check-header': 'failed-check-httpcode',
};

/** Why `statement` cannot run before the gate, or undefined when it may. */
export function statementBeforeGateProblem(statement: PolicyElement): string | undefined {
  if (!STATEMENTS_ALLOWED_BEFORE_GATE.includes(statement.name)) {
    return (
      `<${statement.name}> before <base /> in <inbound> would run before the client-certificate gate, where a statement that can answer ` +
      `or forward a request lets callers past it. Move it after <base /> (the gate goes right after it). Before <base /> only these may run: ` +
      `${STATEMENTS_ALLOWED_BEFORE_GATE.join(', ')}`
    );
  }
  const nested = nestedStatement(statement);
  if (nested) {
    // APIM refuses such a document; a simulation of it would not run the nested statement either.
    return `<${statement.name}> before <base /> in <inbound> holds <${nested}>, a policy statement: there, statements hold only their own settings (values, claims, addresses). Move <${nested}> after <base />`;
  }
  const statusAttribute = REJECTION_STATUS[statement.name];
  const status = statement.attributes.find((attribute) => attribute.name === statusAttribute)?.value;
  if (status !== undefined && !(status.kind !== 'expression' && status.kind !== 'token' && /^[45][0-9]{2}$/.test(status.text.trim()))) {
    return (
      `<${statement.name} ${statusAttribute}="${status.kind === 'expression' || status.kind === 'token' ? '…' : status.text}"> before <base /> in <inbound> must answer the callers it refuses with an error status, ` +
      `or it answers them before the client-certificate gate runs. Write ${statusAttribute} as a number from 400 to 599 (e.g. 401), or leave it out`
    );
  }
  return undefined;
}

/** The first policy statement nested anywhere inside `statement`, by name. */
function nestedStatement(statement: PolicyElement): string | undefined {
  for (const child of statement.children) {
    if (APIM_POLICY_ELEMENTS.has(child.name)) return child.name;
    const deeper = nestedStatement(child);
    if (deeper) return deeper;
  }
  return undefined;
}
