import { ClientCertificateNegotiation } from '../service/sku';
import { code, text } from './markdown';
import {
  AnnotationLevel,
  CertificateOrigin,
  CertificateReference,
  ClientCertificatePresentation,
  ReviewedApi,
  ReviewedBackend,
  ReviewedCertificate,
  ReviewedGate,
  ReviewedGateStatus,
  ReviewedGateStyle,
  ReviewedService,
  ReviewedStack,
  SecurityModel,
  TrustMember,
  TrustMemberKind,
} from './security-model';

export interface RenderReportOptions {
  /** The time certificate expiry is measured from. */
  readonly now: Date;
  /**
   * Warn about certificates that expire within this many days.
   * @default 30
   */
  readonly expiryWarningDays?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const FLAG = '⚠️';

/** A finding shown in the summary at the top and next to the thing it is about. */
interface Finding {
  readonly stack: string;
  readonly subject: string;
  readonly message: string;
}

/** Renders the security model as Markdown for a pull-request comment. Pure and deterministic. */
export function renderReport(model: SecurityModel, options: RenderReportOptions): string {
  const findings: Finding[] = [];
  const sections: string[] = [];
  for (const stack of model.stacks) sections.push(renderStack(stack, options, findings));

  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const all = model.stacks;
  const warnings = all.flatMap((s) => s.annotations).filter((a) => a.level !== AnnotationLevel.INFO).length;
  const lines = [
    '# Client-certificate review',
    '',
    [
      count(all.length, 'stack'),
      count(sum(all, (s) => s.services.length), 'service'),
      count(sum(all, (s) => s.apis.length), 'API'),
      count(sum(all, (s) => s.backends.length), 'backend'),
      count(sum(all, (s) => s.certificates.length), 'certificate'),
      count(findings.length, 'finding'),
      count(warnings, 'synth warning'),
    ].join(' · '),
    '',
  ];
  if (findings.length > 0) {
    lines.push('## Findings', '');
    for (const f of findings) lines.push(`- ${FLAG} ${f.subject} in stack ${code(f.stack)}: ${text(f.message)}`);
    lines.push('');
  } else if (all.length > 0) {
    lines.push('No findings.', '');
  }
  return [...lines, ...sections].join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function sum<T>(items: readonly T[], f: (item: T) => number): number {
  return items.reduce((total, item) => total + f(item), 0);
}

function renderStack(stack: ReviewedStack, options: RenderReportOptions, findings: Finding[]): string {
  const out: string[] = [`## Stack ${code(stack.name)}`, ''];
  const note = (subject: string, flags: readonly string[]) => {
    for (const message of flags) findings.push({ stack: stack.name, subject, message });
  };
  if (stack.services.length + stack.apis.length + stack.backends.length + stack.certificates.length === 0) {
    out.push('No API Management resources.', '');
  }

  if (stack.services.length > 0) out.push('### Services', '');
  for (const service of stack.services) {
    out.push(`#### Service ${code(service.name)}`, '');
    out.push(...serviceLines(service));
    out.push(...flagLines(service.flags), '');
    note(`Service ${code(service.name)}`, service.flags);
  }

  if (stack.apis.length > 0) out.push('### APIs', '');
  for (const api of stack.apis) {
    const title = api.path !== undefined ? `API ${code('/' + api.path.replace(/^\/+/, ''))}` : `API ${code(api.name)}`;
    out.push(`#### ${title}${api.displayName ? `: ${text(api.displayName)}` : ''}`, '');
    out.push(...apiLines(api, stack));
    out.push(...flagLines(api.flags), '');
    note(title, api.flags);
  }

  if (stack.backends.length > 0) out.push('### Backends', '');
  for (const backend of stack.backends) {
    out.push(`#### Backend ${code(backend.name)}`, '');
    out.push(...backendLines(backend, stack));
    out.push(...flagLines(backend.flags), '');
    note(`Backend ${code(backend.name)}`, backend.flags);
  }

  if (stack.certificates.length > 0) out.push('### Certificates', '');
  for (const certificate of stack.certificates) {
    const flags = [...certificate.flags, ...expiryFlags(certificate, options)];
    out.push(`#### Certificate ${code(certificate.name)}`, '');
    out.push(...certificateLines(certificate, stack, options));
    out.push(...flagLines(flags), '');
    note(`Certificate ${code(certificate.name)}`, flags);
  }

  if (stack.otherPolicies.length > 0) {
    out.push('### Other policies', '');
    for (const policy of stack.otherPolicies) {
      out.push(`- ${text(policy.scope)} (${code(policy.address)}): ${gateSummary(policy.gate)}`);
    }
    out.push('');
  }

  if (stack.annotations.length > 0) {
    out.push('### Synth annotations', '');
    const marks: Record<AnnotationLevel, string> = { [AnnotationLevel.ERROR]: '❌ error', [AnnotationLevel.WARNING]: `${FLAG} warning`, [AnnotationLevel.INFO]: 'ℹ️ info' };
    for (const a of stack.annotations) out.push(`- ${marks[a.level]} ${code(a.constructPath)}: ${text(a.message)}`);
    out.push('');
  }
  return out.join('\n');
}

function flagLines(flags: readonly string[]): string[] {
  return flags.map((flag) => `- ${FLAG} ${text(flag)}`);
}

function resourceLine(address: string | undefined, constructPath: string | undefined): string[] {
  if (address === undefined) return [];
  return [`- Resource: ${code(address)}${constructPath ? ` (construct ${code(constructPath)})` : ''}`];
}

// --- services ---------------------------------------------------------------------------------

const MECHANISMS: Record<string, string> = {
  [ClientCertificateNegotiation.CONSUMPTION_FLAG]: '`client_certificate_enabled = true`',
  [ClientCertificateNegotiation.HOSTNAME_NEGOTIATION]: '`negotiate_client_certificate = true` on the gateway host name',
  [ClientCertificateNegotiation.AZAPI_ENABLE_CLIENT_CERTIFICATE]: '`properties.enableClientCertificate = true` through `azapi_update_resource`',
};

function serviceLines(service: ReviewedService): string[] {
  const lines: string[] = [];
  if (!service.managed) {
    lines.push('- Not managed by this plan (APIs, backends or certificates are attached to an existing service)');
    return lines;
  }
  lines.push(`- SKU: ${service.skuName !== undefined ? code(service.skuName) : 'not set'}`);
  const present = service.mechanisms.map((m) => MECHANISMS[m] ?? code(m));
  const required = service.requiredMechanism;
  let asks: string;
  if (required !== undefined && service.mechanisms.includes(required)) {
    asks = `yes, ${MECHANISMS[required] ?? code(required)}`;
  } else if (required !== undefined) {
    asks = `**no**: the SKU needs ${MECHANISMS[required] ?? code(required)}${present.length ? `; the plan has ${present.join(', ')}` : ''}`;
  } else {
    asks = present.length ? `${present.join(', ')} (SKU not known at synth)` : 'unknown (SKU not known at synth)';
  }
  lines.push(`- Asks callers for client certificates: ${asks}`);
  if (service.negotiatingHostNames.length > 0) {
    lines.push(`- Host names negotiating client certificates: ${service.negotiatingHostNames.map(code).join(', ')}`);
  }
  lines.push(
    `- CA certificates for chain validation: ${
      service.caCertificateStores.length === 0 ? 'none' : service.caCertificateStores.map((store) => code(store)).join(', ')
    }`,
  );
  lines.push(...resourceLine(service.address, service.constructPath));
  return lines;
}

// --- APIs -------------------------------------------------------------------------------------

const STYLES: Record<ReviewedGateStyle, string> = {
  [ReviewedGateStyle.VALIDATE_POLICY]: '`validate-client-certificate`',
  [ReviewedGateStyle.VALIDATE_POLICY_WITH_EXPRESSION]: '`validate-client-certificate`, membership tested by a `choose`/`when` expression',
  [ReviewedGateStyle.EXPRESSION]: '`choose`/`when` expression with `return-response`',
};

function apiLines(api: ReviewedApi, stack: ReviewedStack): string[] {
  const lines: string[] = [];
  const facts = [`API ${code(api.name)} on service ${code(api.serviceName)}`];
  if (api.protocols.length > 0) facts.push(`protocols ${api.protocols.map(code).join(', ')}`);
  if (api.subscriptionRequired !== undefined) facts.push(api.subscriptionRequired ? 'subscription key required' : 'no subscription key required');
  lines.push(`- ${facts.join('; ')}`);
  lines.push(...gateLines(api.gate, stack, api.serviceKey));
  lines.push(`- Routes to: ${routingText(api, stack)}`);
  if (api.policyAddress) lines.push(`- Policy: ${code(api.policyAddress)}`);
  lines.push(...resourceLine(api.address, api.constructPath));
  return lines;
}

function gateLines(gate: ReviewedGate, stack: ReviewedStack, serviceKey: string): string[] {
  switch (gate.status) {
    case ReviewedGateStatus.NO_POLICY:
      return ['- Gate: **none** (no policy for this API in the plan)'];
    case ReviewedGateStatus.NO_GATE:
      return ['- Gate: **none** (the policy checks no client certificate)'];
    case ReviewedGateStatus.NOT_RECOGNISED:
      return [
        `- Gate: **not recognised**: ${text(gate.problem ?? 'unknown form')}`,
        ...gate.details.map((detail) => `  - ${code(detail)}`),
      ];
  }
  const checks = gate.checks!;
  const reject =
    gate.style === ReviewedGateStyle.EXPRESSION
      ? `rejects with ${code(String(gate.rejectStatusCode))}${gate.rejectReason !== undefined ? ` ${code(gate.rejectReason)}` : ''}`
      : `rejects with ${code(String(gate.rejectStatusCode ?? 401))}`;
  const onOff = (on: boolean) => (on ? 'on' : '**off**');
  const lines = [`- Gate: ${STYLES[gate.style!]}, ${reject}`, '- Trusted:'];
  for (const member of gate.members) lines.push(`  - ${memberText(member, stack, serviceKey)}`);
  lines.push(
    `- Rules: ${gate.rules.length === 0 ? 'none' : gate.rules.map((rule) => `${text(RULE_NAMES[rule.name] ?? rule.name)} ${code(rule.value)}`).join('; ')}`,
  );
  lines.push(
    `- Checks: chain ${checks.chain ? 'on' : 'off'} · revocation ${checks.revocation ? 'on' : 'off'} · not before ${onOff(checks.notBefore)} · not after ${onOff(checks.notAfter)}`,
  );
  return lines;
}

const RULE_NAMES: Record<string, string> = {
  'issuer-subject': 'issuer',
  subject: 'subject',
  'common-name': 'common name',
  'dns-name': 'DNS name',
  'serial-number': 'serial number',
  'issuer-thumbprint': 'issuer thumbprint',
  'issuer-certificate-id': 'issuer certificate id',
};

function certificateNames(names: readonly string[]): string {
  return names.map(code).join(', ');
}

function memberText(member: TrustMember, stack: ReviewedStack, serviceKey: string): string {
  switch (member.kind) {
    case TrustMemberKind.THUMBPRINT:
      if (member.reference !== undefined) {
        return member.certificateNames.length > 0
          ? `thumbprint of uploaded certificate ${certificateNames(member.certificateNames)} (known after apply)`
          : `thumbprint ${code(member.reference)} (known after apply)`;
      }
      return `thumbprint ${code(member.thumbprint ?? '')}${member.certificateNames.length > 0 ? ` = uploaded certificate ${certificateNames(member.certificateNames)}` : ''}`;
    case TrustMemberKind.CERTIFICATE_ID:
      return `the certificate uploaded as ${code(member.certificateId ?? '')}, matched by id${member.certificateNames.length === 0 ? ' (not uploaded in this plan)' : ''}`;
    case TrustMemberKind.ANY_UPLOADED: {
      const uploaded = stack.certificates.filter((c) => c.serviceKey === serviceKey).map((c) => c.name);
      return `**any certificate uploaded to the service** (in this plan: ${uploaded.length === 0 ? 'none' : certificateNames(uploaded)})`;
    }
    case TrustMemberKind.ANY_CERTIFICATE:
      return '**any certificate** that passes the rules and checks below (nothing pinned)';
    case TrustMemberKind.ANYONE:
      return '**every caller**, with or without a certificate';
    case TrustMemberKind.NOT_UPLOADED:
      return '**any certificate NOT uploaded to the service** (inverted check)';
    case TrustMemberKind.IDENTITY:
      return `identity ${(member.claims ?? []).map((c) => `${text(RULE_NAMES[c.name] ?? c.name)} ${code(c.value)}`).join(', ')}`;
  }
}

function routingText(api: ReviewedApi, stack: ReviewedStack): string {
  const parts: string[] = [];
  if (api.routing.backendId !== undefined) {
    const backend = stack.backends.find((b) => b.serviceKey === api.serviceKey && b.name === api.routing.backendId);
    parts.push(
      backend
        ? `backend ${code(backend.name)}${backend.url !== undefined ? ` (${code(backend.url)})` : ''}`
        : `backend ${code(api.routing.backendId)} (not defined in this plan)`,
    );
  } else if (api.routing.baseUrl !== undefined) {
    parts.push(`${code(api.routing.baseUrl)} (set-backend-service base-url)`);
  } else if (api.serviceUrl !== undefined) {
    parts.push(code(api.serviceUrl));
  } else {
    parts.push('not set in this plan');
  }
  if (api.routing.authenticationCertificates.length > 0) {
    parts.push(`presenting ${api.routing.authenticationCertificates.map(referenceText).join(', ')} from the policy`);
  }
  return parts.join(', ');
}

function referenceText(ref: CertificateReference): string {
  if (ref.certificateId !== undefined) return `certificate ${code(ref.certificateId)} (by id)`;
  if (ref.reference !== undefined) {
    return ref.certificateNames.length > 0 ? `certificate ${certificateNames(ref.certificateNames)} (by thumbprint)` : `thumbprint ${code(ref.reference)}`;
  }
  return `thumbprint ${code(ref.thumbprint ?? '')}${ref.certificateNames.length > 0 ? ` = certificate ${certificateNames(ref.certificateNames)}` : ''}`;
}

/** One line about a gate, for policies outside APIs. */
function gateSummary(gate: ReviewedGate): string {
  switch (gate.status) {
    case ReviewedGateStatus.NO_POLICY:
    case ReviewedGateStatus.NO_GATE:
      return 'no client-certificate check';
    case ReviewedGateStatus.NOT_RECOGNISED:
      return `gate **not recognised**: ${text(gate.problem ?? 'unknown form')}`;
  }
  const members = gate.members.map((m) => (m.thumbprint !== undefined ? code(m.thumbprint) : m.certificateId !== undefined ? code(m.certificateId) : text(m.kind)));
  return `${STYLES[gate.style!]} gate trusting ${members.join(', ')}`;
}

// --- backends ---------------------------------------------------------------------------------

function backendLines(backend: ReviewedBackend, stack: ReviewedStack): string[] {
  const lines = [`- URL: ${backend.url !== undefined ? code(backend.url) : 'not set'}${backend.protocol && backend.protocol !== 'http' ? ` (protocol ${code(backend.protocol)})` : ''}`];
  switch (backend.presentation) {
    case ClientCertificatePresentation.NONE:
      lines.push('- Client certificate: none');
      break;
    case ClientCertificatePresentation.BACKEND_CREDENTIALS:
      lines.push(`- Client certificate: ${backend.clientCertificates.map(referenceText).join(', ')}, presented by the backend itself (${code('credentials.certificate')}) for every API that uses it`);
      break;
    case ClientCertificatePresentation.API_POLICY:
      lines.push(`- Client certificate: ${backend.clientCertificates.map(referenceText).join(', ')}, presented by each API policy (${code('authentication-certificate')})`);
      break;
  }
  const validation = (value: boolean | undefined) => (value === undefined ? '**not set**' : value ? 'on' : '**off**');
  lines.push(`- Server certificate validation: chain ${validation(backend.validateCertificateChain)} · name ${validation(backend.validateCertificateName)}`);
  const users = backend.usedByApis.map((key) => apiLabel(key, stack));
  lines.push(`- Used by: ${users.length === 0 ? 'no API in this plan' : users.join(', ')}`);
  lines.push(...resourceLine(backend.address, backend.constructPath));
  return lines;
}

function apiLabel(key: string, stack: ReviewedStack): string {
  const api = stack.apis.find((a) => a.key === key);
  if (!api) return code(key);
  return api.path !== undefined ? `API ${code('/' + api.path.replace(/^\/+/, ''))}` : `API ${code(api.name)}`;
}

// --- certificates -----------------------------------------------------------------------------

function daysLeft(certificate: ReviewedCertificate, now: Date): number | undefined {
  if (certificate.notAfter === undefined) return undefined;
  const end = Date.parse(certificate.notAfter);
  return Number.isNaN(end) ? undefined : Math.floor((end - now.getTime()) / DAY_MS);
}

function expiryFlags(certificate: ReviewedCertificate, options: RenderReportOptions): string[] {
  const days = daysLeft(certificate, options.now);
  if (days === undefined) return [];
  if (days < 0) return [`expired ${-days} day${days === -1 ? '' : 's'} ago (${certificate.notAfter})`];
  if (days < (options.expiryWarningDays ?? 30)) return [`expires in ${days} day${days === 1 ? '' : 's'} (${certificate.notAfter})`];
  return [];
}

function certificateLines(certificate: ReviewedCertificate, stack: ReviewedStack, options: RenderReportOptions): string[] {
  const lines: string[] = [];
  switch (certificate.origin) {
    case CertificateOrigin.KEY_VAULT:
      lines.push(
        `- Source: Key Vault secret ${code(certificate.keyVaultSecretId ?? '')}${
          certificate.keyVaultIdentityClientId !== undefined ? `, read with identity ${code(certificate.keyVaultIdentityClientId)}` : ", read with the service's system-assigned identity"
        }`,
      );
      break;
    case CertificateOrigin.PFX_FILE:
      lines.push(
        `- Source: PFX file ${certificate.fileName !== undefined ? code(certificate.fileName) : '(embedded)'}${
          certificate.passwordSource !== undefined ? `, password from ${text(certificate.passwordSource)}` : ''
        }`,
      );
      break;
    default:
      lines.push('- Source: unknown');
  }
  if (certificate.thumbprint !== undefined) {
    lines.push(`- Thumbprint: ${code(certificate.thumbprint)}`);
  } else {
    lines.push(
      `- Thumbprint: known after apply${certificate.origin === CertificateOrigin.PFX_FILE ? ' (the PFX was not opened at synth)' : certificate.origin === CertificateOrigin.KEY_VAULT ? ' (changes when Key Vault rotates it)' : ''}`,
    );
  }
  if (certificate.subject !== undefined) lines.push(`- Subject: ${code(certificate.subject)}`);
  if (certificate.issuer !== undefined) {
    lines.push(`- Issuer: ${code(certificate.issuer)}${certificate.selfSigned ? ' (self-signed)' : ''}`);
  }
  const days = daysLeft(certificate, options.now);
  if (certificate.notAfter !== undefined) {
    const left = days === undefined ? '' : days < 0 ? `, **expired ${-days} days ago**` : `, ${days} day${days === 1 ? '' : 's'} left`;
    lines.push(`- Expires: ${code(certificate.notAfter)}${left}`);
  } else {
    lines.push('- Expires: not known at synth');
  }
  lines.push(`- Used by: ${usesOf(certificate, stack)}`);
  lines.push(...resourceLine(certificate.address, certificate.constructPath));
  return lines;
}

function usesOf(certificate: ReviewedCertificate, stack: ReviewedStack): string {
  const uses: string[] = [];
  for (const api of stack.apis) {
    if (api.serviceKey !== certificate.serviceKey) continue;
    const members = api.gate.members;
    if (members.some((m) => m.certificateNames.includes(certificate.name))) uses.push(`trusted by ${apiLabel(api.key, stack)}`);
    else if (members.some((m) => m.kind === TrustMemberKind.ANY_UPLOADED)) uses.push(`trusted by ${apiLabel(api.key, stack)} (any uploaded certificate)`);
    if (api.routing.authenticationCertificates.some((ref) => ref.certificateNames.includes(certificate.name))) {
      uses.push(`presented by ${apiLabel(api.key, stack)}`);
    }
  }
  for (const backend of stack.backends) {
    if (backend.serviceKey === certificate.serviceKey && backend.clientCertificates.some((ref) => ref.certificateNames.includes(certificate.name))) {
      uses.push(`client certificate of backend ${code(backend.name)}`);
    }
  }
  return uses.length === 0 ? 'nothing in this plan' : uses.join('; ');
}
