import { PolicyXmlElement } from './policy-xml-reader';
import { InvalidPolicyError } from './simulation-errors';

/*
 * The policy elements API Management knows, from the Microsoft policy reference
 * (learn.microsoft.com/azure/api-management/api-management-policies, 2025), and where they
 * may stand. APIM refuses a document with an element it does not know, or with an element in a
 * section the reference does not allow it in; so does the simulator, whether or not a request
 * reaches the element.
 */

/** Every policy statement of the reference, including those the simulator does not run. */
export const APIM_POLICY_ELEMENTS: ReadonlySet<string> = new Set([
  // Rate limiting and quotas
  'rate-limit', 'rate-limit-by-key', 'quota', 'quota-by-key', 'limit-concurrency', 'llm-token-limit', 'azure-openai-token-limit',
  // Authentication and authorization
  'check-header', 'get-authorization-context', 'ip-filter', 'validate-azure-ad-token', 'validate-jwt', 'validate-client-certificate',
  'authentication-basic', 'authentication-certificate', 'authentication-managed-identity',
  // Content validation and content safety
  'validate-content', 'validate-graphql-request', 'validate-odata-request', 'validate-parameters', 'validate-headers', 'validate-status-code',
  'llm-content-safety',
  // Routing
  'forward-request', 'set-backend-service', 'proxy',
  // Caching
  'cache-lookup', 'cache-store', 'cache-lookup-value', 'cache-store-value', 'cache-remove-value',
  'azure-openai-semantic-cache-lookup', 'azure-openai-semantic-cache-store', 'llm-semantic-cache-lookup', 'llm-semantic-cache-store',
  // Transformation
  'set-method', 'set-status', 'set-variable', 'set-body', 'set-header', 'set-query-parameter', 'rewrite-uri', 'json-to-xml', 'xml-to-json',
  'find-and-replace', 'redirect-content-urls', 'xsl-transform', 'return-response', 'mock-response',
  // Cross-domain
  'cross-domain', 'cors', 'jsonp',
  // Integration and external communication
  'send-request', 'send-one-way-request', 'send-service-bus-message', 'log-to-eventhub', 'publish-to-dapr', 'invoke-dapr-binding',
  // Logging
  'trace', 'emit-metric', 'llm-emit-token-metric', 'azure-openai-emit-token-metric',
  // GraphQL resolvers
  'sql-data-source', 'cosmosdb-data-source', 'http-data-source', 'publish-event', 'set-graphql-resolver',
  // Policy control and flow
  'choose', 'include-fragment', 'retry', 'wait', 'base',
]);

export const SECTIONS = ['inbound', 'backend', 'outbound', 'on-error'] as const;

/** Elements the reference allows in the inbound section only. */
const INBOUND_ONLY = new Set(['validate-client-certificate', 'authentication-certificate']);

/** Policies that hold other policy statements. */
const STATEMENT_CONTAINERS = new Set(['retry', 'wait', 'limit-concurrency']);

/** What `return-response` may hold. */
const RESPONSE_PARTS = new Set(['set-status', 'set-header', 'set-body']);

/**
 * Refuses what APIM refuses when the document is saved: an unknown element, a section that is
 * not one, a policy outside the sections it is allowed in. `root` is `<policies>` or `<fragment>`.
 */
export function checkPolicyStructure(root: PolicyXmlElement): void {
  if (root.name === 'fragment') {
    checkStatements(root.children, undefined);
    return;
  }
  for (const section of root.children) {
    if (!(SECTIONS as readonly string[]).includes(section.name)) throw new InvalidPolicyError(`${section.path}: <${section.name}> is not a policy section`);
    checkStatements(section.children, section.name);
  }
}

/** A fragment included in `section`: its section-bound policies must be allowed there. */
export function checkFragmentPlacement(fragment: PolicyXmlElement, section: string): void {
  checkStatements(fragment.children, section);
}

function checkStatements(statements: readonly PolicyXmlElement[], section: string | undefined): void {
  for (const statement of statements) {
    if (!APIM_POLICY_ELEMENTS.has(statement.name)) throw new InvalidPolicyError(`${statement.path}: <${statement.name}> is not an API Management policy`);
    if (section !== undefined && section !== 'inbound' && INBOUND_ONLY.has(statement.name)) {
      throw new InvalidPolicyError(`${statement.path}: <${statement.name}> is allowed only in the inbound section, not in ${section}`);
    }
    if (statement.name === 'choose') {
      for (const branch of statement.children) {
        if (branch.name !== 'when' && branch.name !== 'otherwise') throw new InvalidPolicyError(`${branch.path}: <choose> holds only <when> and <otherwise>`);
        checkStatements(branch.children, section);
      }
    } else if (STATEMENT_CONTAINERS.has(statement.name)) {
      checkStatements(statement.children, section);
    } else if (statement.name === 'return-response') {
      const stray = statement.children.find((part) => !RESPONSE_PARTS.has(part.name));
      if (stray) throw new InvalidPolicyError(`${stray.path}: <return-response> holds only <set-status>, <set-header> and <set-body>`);
    }
  }
}
