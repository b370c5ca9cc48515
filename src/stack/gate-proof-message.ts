import { OperationRef } from '../access';
import { GateFinding, LockoutCause } from './gate-proof';

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
      const who = finding.callers
        .map((caller) => (caller === 'no-certificate' ? 'a caller without a client certificate' : 'a caller with an unknown client certificate'))
        .join(' and ');
      const verb = finding.callers.length > 1 ? 'are' : 'is';
      const what = finding.outcome === 'forwarded' ? `${verb} forwarded to the backend` : `${verb} answered by the gateway`;
      const how = finding.gateRan
        ? `although ${named(finding.gate.policyAddress)} runs: its document no longer rejects such callers (an override of xml_content?)`
        : `because ${named(finding.responsible)} does not run the gate: it answers or routes before <base /> in <inbound>, or drops <base />`;
      return (
        `${gate}: ${who} ${what} on ${operations(finding.operations)} ${how}. ` +
        'Keep <base /> first in <inbound> of every policy under the gate (API, product and operation policies), and put your statements after it, as the gate\'s customPolicy does.'
      );
    }
    case 'lockout':
      return `${gate}: locks out ${named(finding.certificate.replace(/^thumbprint:/, 'the certificate with thumbprint '))}, which it trusts: ${cause(finding.cause)}`;
    case 'unproven':
      return `${gate}: could not prove at synth that the gate holds${finding.operations.length > 0 ? ` on ${operations(finding.operations)}` : ''}: ${finding.what}.`;
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
      return `verifyChain needs a CA that issues it uploaded to the service, and the certificate is self-signed ("${c.issuer}"). Pin it without verifyChain, or issue it from a CA you upload in caCertificates.`;
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
