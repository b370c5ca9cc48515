import { CustomPolicy } from './custom-policy';
import { element, PolicyElement } from './policy-element';
import { POLICY_SECTION_NAMES, PolicySection, PolicySectionName } from './policy-sections';
import { InvalidCustomPolicyError } from './policy-xml-sections';
import { statementBeforeGateProblem } from './statements-before-gate';

/** Where a gate's policy document applies; decides how `<base />` and forwarding are written. */
export enum GateScope {
  /** The global (all APIs) policy: nothing encloses it, and it must forward the request itself. */
  SERVICE = 'service',
  /** A product policy: runs for calls made with the product's subscription. */
  PRODUCT = 'product',
  /** An API policy: runs for every operation of the API. */
  API = 'api',
}

export interface GatedPolicyDocumentParts {
  /** The gate statement (`clientCertificateGate(...)`), written first after `<base />` in `<inbound>`. */
  readonly gate: PolicyElement;
  readonly scope: GateScope;
  /**
   * The user's own statements around the gate.
   * @default - none
   */
  readonly customPolicy?: CustomPolicy;
  /**
   * Statements that route admitted requests, written last in `<inbound>`. When given, the custom
   * policy may not route (`set-backend-service`) itself.
   * @default - none
   */
  readonly routing?: readonly PolicyElement[];
}

/**
 * The complete policy document of a gated scope: the gate first after `<base />` in `<inbound>`,
 * the user's statements around it, and the routing last. Throws InvalidCustomPolicyError when the
 * user's statements could let a caller past the gate or drop what the enclosing scopes run.
 */
export function gatedPolicyDocument(parts: GatedPolicyDocumentParts): PolicyElement {
  const custom = parts.customPolicy?.sections() ?? {};
  const global = parts.scope === GateScope.SERVICE;
  const sections = POLICY_SECTION_NAMES.map((name) => {
    const given = custom[name];
    checkSection(name, given, parts);
    const section: PolicySection = given ?? { beforeBase: [], afterBase: defaultStatements(name, parts.scope), inheritsBase: !global };
    const around = name === PolicySectionName.INBOUND ? [parts.gate] : [];
    const last = name === PolicySectionName.INBOUND ? parts.routing ?? [] : [];
    return element(name, [], [
      ...section.beforeBase,
      ...(section.inheritsBase ? [element('base')] : []),
      ...around,
      ...section.afterBase,
      ...last,
    ]);
  });
  return element('policies', [], sections);
}

/**
 * The global scope ends the chain of `<base />`: its backend section is where every request is
 * forwarded, so a global policy without `forward-request` would forward nothing anywhere.
 */
function defaultStatements(name: PolicySectionName, scope: GateScope): PolicyElement[] {
  return scope === GateScope.SERVICE && name === PolicySectionName.BACKEND ? [element('forward-request')] : [];
}

function checkSection(name: PolicySectionName, section: PolicySection | undefined, parts: GatedPolicyDocumentParts): void {
  if (!section) return;
  const statements = [...section.beforeBase, ...section.afterBase];
  for (const statement of statements) checkNoTerraformTokens(statement);
  if (parts.scope !== GateScope.SERVICE && !section.inheritsBase) {
    throw new InvalidCustomPolicyError(
      `<${name}> has no <base />, so the ${name} policies of the enclosing scopes (product, global) would not run, including any gate there. ` +
        `Add <base /> to <${name}> where they should run (usually first).`,
    );
  }
  if (name === PolicySectionName.INBOUND) {
    for (const statement of section.beforeBase) {
      const problem = statementBeforeGateProblem(statement);
      if (problem) throw new InvalidCustomPolicyError(`${problem}.`);
    }
  }
  // The backend section runs after inbound, so a <set-backend-service> there overrides the construct's routing too.
  if ((name === PolicySectionName.INBOUND || name === PolicySectionName.BACKEND) && parts.routing && parts.routing.length > 0) {
    if (statements.some((statement) => containsElement(statement, 'set-backend-service'))) {
      throw new InvalidCustomPolicyError(
        `<set-backend-service> in <${name}> would override where the construct routes admitted requests (its backend or serviceUrl), and send its client certificate there. Remove it, or route with the construct.`,
      );
    }
  }
  if (parts.scope === GateScope.SERVICE && name === PolicySectionName.BACKEND && !statements.some((s) => containsElement(s, 'forward-request'))) {
    throw new InvalidCustomPolicyError(
      'the global <backend> section has no <forward-request />, so no API of the service would reach its backend. Add <forward-request /> to <backend>.',
    );
  }
}

function containsElement(statement: PolicyElement, name: string): boolean {
  return statement.name === name || statement.children.some((child) => containsElement(child, name));
}

/** A Terraform value is only known at apply time, so nothing could prove it leaves the policy's structure alone. */
function checkNoTerraformTokens(statement: PolicyElement): void {
  const values = [...statement.attributes.map((a) => a.value), ...(statement.text ? [statement.text] : [])];
  if (values.some((value) => value.kind === 'token')) {
    throw new InvalidCustomPolicyError(
      `<${statement.name}> holds a Terraform token. Values known only at apply time cannot be checked at synth and could change the policy's structure: ` +
        'use a literal, or an APIM named value ({{name}}) for values managed outside the policy.',
    );
  }
  statement.children.forEach(checkNoTerraformTokens);
}
