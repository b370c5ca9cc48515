import { OperationRef } from '../access';
import { GateFinding, LockoutCause, Tampering } from './gate-proof';
import { UntrustedCaller } from './untrusted-callers';

/** How many operations a message lists before "and N more". */
const LISTED_OPERATIONS = 3;

/** The words for a finding of the synth-time proof; `constructPathOf` names resources. */
export function gateFindingMessage(finding: GateFinding, constructPathOf: (address: string) => string | undefined): string {
  const named = (address: string) => {
    const path = constructPathOf(address);
    return path === undefined ? address : `${path} (${address})`;
  };
  const gate = finding.gate.name;
  switch (finding.code) {
    case 'bypass': {
      const verb = finding.callers.length > 1 ? 'are' : 'is';
      const what =
        finding.outcome === 'forwarded'
          ? `${verb} forwarded to the backend`
          : finding.outcome === 'answered'
            ? `${verb} answered by the gateway`
            : `${verb} answered or forwarded before the gate runs (${finding.undecided})`;
      const whenSending = finding.chosenHeaders
        ? ` when ${finding.callers.length > 1 ? 'they also send' : 'it also sends'} request header${finding.chosenHeaders.length > 1 ? 's' : ''} ${finding.chosenHeaders.map((name) => `"${name}"`).join(', ')} (any caller can)`
        : '';
      const at = `${finding.by ? ` (<${elementName(finding.by.element)}> at ${finding.by.element} of ${named(finding.by.scope)})` : ''}${whenSending}`;
      if (finding.gateRan) {
        return (
          `${gate}: ${callers(finding.callers)} ${what}${at} on ${operations(finding.operations)} although ${named(finding.gate.policyAddress)} runs: ` +
          'the composed policy no longer rejects such callers. Keep the gate\'s document as the construct writes it (no override of xml_content), and make ' +
          'on-error sections and statements that can fail before the gate answer only with an error status.'
        );
      }
      return (
        `${gate}: ${callers(finding.callers)} ${what}${at} on ${operations(finding.operations)} because ${named(finding.responsible)} does not run the gate: ` +
        'it answers or routes before <base /> in <inbound>, or drops <base />. ' +
        'Keep <base /> first in <inbound> of every policy under the gate (API, product and operation policies), and put your statements after it, as the gate\'s customPolicy does.'
      );
    }
    case 'side-door':
      return `${gate}: ${sideDoor(finding, named)}`;
    case 'uncovered-revision': {
      const list = finding.revisions.map(({ revision, address }) => `${revision} (${named(address)})`).join(', ');
      return (
        `${gate}: API "${finding.api}" on service "${finding.service}" has revisions ${list} in this stack, and a gate naming the API runs for its current revision only: ` +
        `API Management keeps a policy per revision, and callers reach the others at <path>;rev=<n> without the gate. ` +
        `Gate each other revision by name (GateTarget.apiByName(service, "${finding.api};rev=${finding.revisions[finding.revisions.length - 1].revision}")) or gate the whole service (GateTarget.service).`
      );
    }
    case 'tampered':
      return `${gate}: ${tampering(finding.how, named(finding.gate.policyAddress))}`;
    case 'lockout':
      return `${gate}: locks out ${named(finding.certificate.replace(/^thumbprint:/, 'the certificate with thumbprint '))}, which it trusts: ${cause(finding.cause)}`;
    case 'unproven':
      return `${gate}: could not prove at synth that the gate holds${finding.operations.length > 0 ? ` on ${operations(finding.operations)}` : ''}: ${finding.what}.`;
  }
}

function sideDoor(finding: Extract<GateFinding, { code: 'side-door' }>, named: (address: string) => string): string {
  const verb = finding.callers.length > 1 ? 'reach' : 'reaches';
  const where = `${callers(finding.callers)} ${verb} ${operations(finding.operations)} without the gate`;
  switch (finding.via) {
    case 'no-subscription':
      return (
        `${where}: ${named(finding.responsible)} does not require a subscription key, and API Management runs a product's policy only for calls made with that product's key. ` +
        'Set subscription_required = true on the API, or gate the API itself (GateTarget.api) or the service (GateTarget.service).'
      );
    case 'open-product':
      return (
        `${where}: product "${finding.productId}" (${named(finding.responsible)}) requires no subscription key, so anyone calls through it. ` +
        'Require a subscription on that product, gate it too, or gate the API itself (GateTarget.api).'
      );
    case 'other-product':
      return (
        `${where} when they hold a subscription key of product "${finding.productId}" (${named(finding.responsible)}), which has no gate. ` +
        'Gate that product too, or gate the API itself (GateTarget.api), if its subscribers must present a certificate.'
      );
  }
}

function callers(list: readonly UntrustedCaller[]): string {
  const words: Record<UntrustedCaller, string> = {
    'no-certificate': 'a caller without a client certificate',
    'unknown-certificate': 'a caller with an unknown client certificate',
    'forged-certificate-header': 'a caller that sends a forged client-certificate header (X-ARR-ClientCert, …)',
  };
  return list.map((caller) => words[caller]).join(' and ');
}

/** `return-response` for `/policies/on-error/return-response`. */
function elementName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function tampering(how: Tampering, policy: string): string {
  switch (how.kind) {
    case 'removed':
      return `its policy ${policy} is not in the synthesized stack (removed from the construct tree?), so nothing it guards is gated. Keep the gate's policy resource.`;
    case 'conditional':
      return (
        `${how.attribute} = ${JSON.stringify(how.value)} on ${policy} decides at apply whether the gate exists (and with 0 or an empty set, it does not). ` +
        `Remove the ${how.attribute} override; create the gate (or not) in your program instead.`
      );
    case 'ignore-changes':
      return (
        `lifecycle.ignore_changes = ${JSON.stringify(how.value)} on ${policy} keeps Terraform from ever updating the policy document: ` +
        'a trusted certificate you remove stays trusted, and a policy that already exists keeps whatever it holds. Remove xml_content (and "all") from ignore_changes.'
      );
    case 'retargeted':
      if (how.attribute === 'provider') {
        const provider = (value: unknown) => (value === undefined ? "the stack's default azurerm provider" : `provider ${JSON.stringify(value)}`);
        return (
          `${policy} goes through ${provider(how.written)}, not ${provider(how.expected)} of the resource it gates, so the gate lands on a service of that name in another subscription and the one it was built for is not gated. ` +
          'Leave the provider of the gate\'s policy alone: the gate takes the provider of the API, product or service it gates.'
        );
      }
      return (
        `${how.attribute} of ${policy} is ${JSON.stringify(how.written)}, not ${JSON.stringify(how.expected)} as the gate wrote it, so the gate lands on another scope and the one it was built for is not gated. ` +
        `Remove the override of ${how.attribute}; build a gate with the target you mean.`
      );
    case 'document-unknown':
      return (
        `the document of ${policy} was replaced by one only Terraform knows (${how.reason}), so the gate the construct wrote is not what API Management gets. ` +
        'Remove the override of xml_content or xml_link; put your statements in the gate\'s customPolicy.'
      );
  }
}

function cause(c: LockoutCause): string {
  switch (c.kind) {
    case 'issuer-order':
    case 'subject-order':
      return (
        `its ${c.kind.replace('-order', '')} rule "${c.written}" lists the names in openssl's order, but the gate compares them as .NET prints them. ` +
        `Write ${c.kind.replace('-order', '')}: "${c.dotnet}".`
      );
    case 'issuer':
    case 'subject':
      return `its ${c.kind} is "${c.dotnet}" as .NET prints it, not "${c.written}". Write ${c.kind}: "${c.dotnet}", or trust another certificate.`;
    case 'no-issuing-ca':
      return c.consumption
        ? `verifyChain needs a CA that issues it uploaded to the service, and the certificate is self-signed ("${c.issuer}"); a Consumption service holds no CA certificates. Pin it without verifyChain, or move the service to a tier that takes caCertificates.`
        : `verifyChain needs a CA that issues it uploaded to the service, and the certificate is self-signed ("${c.issuer}"). Pin it without verifyChain, or issue it from a CA you upload in caCertificates.`;
    case 'anchor-store':
      return (
        `verifyChain needs the chain's root "${c.root}" in the Root store, but it is uploaded to the CertificateAuthority store only, which holds intermediates and anchors no chain. ` +
        'Upload the root with store CaCertificateStore.ROOT (the default for a self-signed certificate).'
      );
    case 'revocation':
      return `checkRevocation fails for chains ending at a private CA ("${c.issuer}"), whose CRL/OCSP endpoint API Management cannot reach. Set checkRevocation: false.`;
    case 'other':
      return `the gate rejects it${c.element ? ` at ${c.element}` : ''}${c.detail ? ` (${c.detail})` : ''}. Check the gate's options against the certificate.`;
  }
}

function operations(refs: readonly OperationRef[]): string {
  const names = [...new Set(refs.map(operationName))];
  const listed = names.slice(0, LISTED_OPERATIONS).join(', ');
  return names.length > LISTED_OPERATIONS ? `${listed} and ${names.length - LISTED_OPERATIONS} more` : listed;
}

function operationName(ref: OperationRef): string {
  const operation = ref.operation === '*' ? 'every request' : ref.method && ref.urlTemplate ? `${ref.method} ${ref.urlTemplate}` : ref.operation;
  const api = ref.apiPath !== undefined ? `/${ref.apiPath}` : ref.apiName;
  const route = ref.productId !== undefined ? ` through product "${ref.productId}"` : '';
  return `${operation} of API ${api}${route}`;
}
