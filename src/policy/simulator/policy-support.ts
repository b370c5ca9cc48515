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
}

/** Statements the simulator runs inside a section, a branch or a fragment. */
export const STATEMENTS = [
  'base',
  'choose',
  'return-response',
  'mock-response',
  'validate-client-certificate',
  'set-backend-service',
  'authentication-certificate',
  'include-fragment',
  'forward-request',
  'set-status',
  'set-variable',
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
  // The sample body it answers with is not simulated; whom it answers is.
  'mock-response': { attributes: ['status-code'], inertAttributes: ['content-type', 'index'], children: [] },
  'set-status': { attributes: ['code', 'reason'], children: [] },
  'validate-client-certificate': { attributes: Object.keys(VALIDATE_ATTRIBUTES), children: ['identities'] },
  'identities': { attributes: [], children: ['identity'] },
  'identity': { attributes: IDENTITY_CLAIMS, children: [] },
  'set-backend-service': { attributes: ['backend-id', 'base-url'], inertAttributes: ['sf-resolve-condition', 'sf-service-instance-name', 'sf-listener-name'], children: [] },
  'authentication-certificate': { attributes: ['thumbprint', 'certificate-id'], children: [] },
  'include-fragment': { attributes: ['fragment-id'], children: [] },
  'set-variable': { attributes: ['name', 'value'], children: [] },
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
 * Elements that can only reject a request (429, 403, 401) or let it go on unchanged, as long as
 * they hold no policy expression (an expression can throw, and then on-error runs) and answer
 * with an error status: when the simulated request was rejected anyway, they change nothing.
 */
const REJECT_ONLY_ELEMENTS: Readonly<Record<string, string | undefined>> = {
  'rate-limit': undefined,
  'quota': undefined,
  'ip-filter': undefined,
  'check-header': 'failed-check-httpcode',
  'validate-jwt': 'failed-validation-httpcode',
  'validate-azure-ad-token': 'failed-validation-httpcode',
};

function onlyRejects(element: PolicyXmlElement): boolean {
  if (!(element.name in REJECT_ONLY_ELEMENTS) || containsExpression(element)) return false;
  const statusAttribute = REJECT_ONLY_ELEMENTS[element.name];
  const status = statusAttribute === undefined ? undefined : element.attributes.find((attribute) => attribute.name === statusAttribute)?.value;
  return status === undefined || /^[45][0-9]{2}$/.test(status.trim());
}

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
  if (element.text.trim() !== '') {
    found.push({
      path: element.path,
      element: element.name,
      reason: `text inside <${element.name}> is not simulated`,
      mayChangeOutcome: EXPRESSION.test(element.text),
      reached: wasReached,
    });
  }
  for (const child of element.children) {
    if (support.children.includes(child.name)) {
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
        ...(onlyRejects(child) ? { mayOnlyReject: true } : {}),
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
