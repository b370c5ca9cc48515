import { isDecisionPoint } from './alternative-outcomes';
import { SECTIONS } from './policy-catalogue';
import { NotSimulatedElement } from './policy-simulation';
import { PolicyXmlElement } from './policy-xml-reader';
import { IDENTITY_CLAIMS, VALIDATE_ATTRIBUTES } from './validate-client-certificate';

/*
 * Which elements and attributes the simulator interprets. Everything else in a policy is listed
 * as not simulated, so a result never hides a part of the policy it did not look at.
 */

interface ElementSupport {
  readonly attributes: readonly string[];
  /** Attributes not interpreted that cannot change the outcome (timeouts and the like). */
  readonly inertAttributes?: readonly string[];
  readonly children: readonly string[];
  /** The element's text is interpreted (a literal or an expression). */
  readonly text?: boolean;
}

/** Statements the simulator runs inside a section, a branch or a fragment. */
export const STATEMENTS = [
  'base',
  'choose',
  'return-response',
  'validate-client-certificate',
  'set-backend-service',
  'authentication-certificate',
  'include-fragment',
  'forward-request',
  'set-status',
  'set-variable',
  'set-header',
  'mock-response',
] as const;

const STATEMENT_CONTAINER: ElementSupport = { attributes: [], children: STATEMENTS };

const SUPPORT: Readonly<Record<string, ElementSupport>> = {
  'policies': { attributes: [], children: SECTIONS },
  'fragment': STATEMENT_CONTAINER,
  'inbound': STATEMENT_CONTAINER,
  'backend': STATEMENT_CONTAINER,
  'on-error': STATEMENT_CONTAINER,
  'outbound': { attributes: [], children: ['base'] },
  'base': { attributes: [], children: [] },
  'choose': { attributes: [], children: ['when', 'otherwise'] },
  'when': { attributes: ['condition'], children: STATEMENTS },
  'otherwise': STATEMENT_CONTAINER,
  'return-response': { attributes: [], children: ['set-status'] },
  'set-status': { attributes: ['code', 'reason'], children: [] },
  'validate-client-certificate': { attributes: Object.keys(VALIDATE_ATTRIBUTES), children: ['identities'] },
  'identities': { attributes: [], children: ['identity'] },
  'identity': { attributes: IDENTITY_CLAIMS, children: [] },
  'set-backend-service': { attributes: ['backend-id', 'base-url'], inertAttributes: ['sf-resolve-condition', 'sf-service-instance-name', 'sf-listener-name'], children: [] },
  'authentication-certificate': { attributes: ['thumbprint', 'certificate-id'], children: [] },
  'include-fragment': { attributes: ['fragment-id'], children: [] },
  'set-variable': { attributes: ['name', 'value'], children: [] },
  'set-header': { attributes: ['name', 'exists-action'], children: ['value'] },
  'value': { attributes: [], children: [], text: true },
  'mock-response': { attributes: ['status-code'], inertAttributes: ['content-type'], children: [] },
  'forward-request': {
    attributes: [],
    inertAttributes: ['timeout', 'timeout-ms', 'continue-timeout', 'http-version', 'follow-redirects', 'buffer-request-body', 'buffer-response', 'fail-on-error-status-code'],
    children: [],
  },
};

/**
 * Elements that never reject, answer, fail or reroute a request as long as they contain no
 * policy expression (an expression can throw, and then on-error runs).
 */
const INERT_ELEMENTS = new Set([
  'set-header',
  'set-query-parameter',
  'set-body',
  'set-method',
  'rewrite-uri',
  'trace',
  'log-to-eventhub',
  'emit-metric',
  'find-and-replace',
  'redirect-content-urls',
  'json-to-xml',
  'xml-to-json',
]);

/**
 * Every part of the document under `root` that the simulator does not interpret. `reached`
 * holds the elements the simulated request ran through.
 */
export function unsupportedParts(root: PolicyXmlElement, reached: ReadonlySet<PolicyXmlElement>): NotSimulatedElement[] {
  const found: NotSimulatedElement[] = [];
  visit(root, reached, found);
  return found;
}

function visit(element: PolicyXmlElement, reached: ReadonlySet<PolicyXmlElement>, found: NotSimulatedElement[]): void {
  const support = SUPPORT[element.name];
  const wasReached = reached.has(element);
  if (isDecisionPoint(element.name)) {
    // Its settings are not read: the run takes both of its outcomes (see alternative-outcomes.ts).
    found.push({
      path: element.path,
      element: element.name,
      reason: `<${element.name}> decides on state the simulator does not have; the request is simulated going on and, in alternatives, ended by it`,
      mayChangeOutcome: false,
      reached: wasReached,
    });
    return;
  }
  for (const attribute of element.attributes) {
    if (support.attributes.includes(attribute.name)) continue;
    found.push({
      path: element.path,
      element: element.name,
      attribute: attribute.name,
      reason: `attribute ${attribute.name} of <${element.name}> is not simulated`,
      mayChangeOutcome: !(support.inertAttributes ?? []).includes(attribute.name),
      reached: wasReached,
    });
  }
  if (element.text.trim() !== '' && !support.text) {
    found.push({
      path: element.path,
      element: element.name,
      reason: `text inside <${element.name}> is not simulated`,
      mayChangeOutcome: EXPRESSION.test(element.text),
      reached: wasReached,
    });
  }
  for (const child of element.children) {
    if (support.children.includes(child.name) || (isDecisionPoint(child.name) && support.children === STATEMENTS)) {
      visit(child, reached, found);
    } else if (element.name === 'outbound') {
      found.push({
        path: child.path,
        element: child.name,
        reason: 'the outbound section runs after the backend answered; the simulation ends when the request is forwarded',
        mayChangeOutcome: false,
        reached: false,
      });
    } else {
      found.push({
        path: child.path,
        element: child.name,
        reason: `<${child.name}> is not simulated`,
        mayChangeOutcome: !(INERT_ELEMENTS.has(child.name) && !containsExpression(child)),
        reached: reached.has(child),
      });
    }
  }
}

const EXPRESSION = /@[({]/;

function containsExpression(element: PolicyXmlElement): boolean {
  return (
    element.attributes.some((attribute) => EXPRESSION.test(attribute.value)) ||
    EXPRESSION.test(element.text) ||
    element.children.some(containsExpression)
  );
}
