import { Caller, CallerKind, ChosenFact, Destination, ScopeKind, Verdict } from '../access';
import { ClientCertificateNegotiation, PlanIssueKind } from '../plan';
import { Finding } from '../rules';
import { AccessChange, CertificateFacts, ChangeSubject } from './access-change';
import { code, text } from './markdown';
import { Names } from './names';

/*
 * Every sentence of the review report. The engine, the rules and the diff hand over facts;
 * only this module turns them into words (Markdown, with every plan value escaped).
 */

export const WARNING_ICON = '⚠️';
export const NOTE_ICON = 'ℹ️';

export const TITLE = '# Client-certificate review';
export const CHANGES_TITLE = '# Client-certificate review: changes';
export const NO_CHANGES = 'No security-relevant changes.';
export const NO_FINDINGS = 'No findings.';
export const NO_RESOURCES = 'No API Management resources.';

export const HEADINGS = {
  findings: '## Findings',
  stack: (name: string) => `## Stack ${code(name)}`,
  service: (name: string) => `### Service ${code(name)}`,
  whoMayCall: '#### Who may call',
  callers: '#### Callers simulated',
  backends: '#### Backends',
  certificates: '#### Certificates',
  annotations: '### Synth annotations',
  weakened: `## ${WARNING_ICON} Weakened`,
  strengthened: '## Strengthened',
  toNote: '## To note',
  policyChanges: '## Policy changes',
  newAnnotations: '## New synth annotations (not compared)',
};

export function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(counts: { stacks: number; services: number; apis: number; backends: number; certificates: number; findings: number; warnings: number }): string {
  return [
    count(counts.stacks, 'stack'),
    count(counts.services, 'service'),
    count(counts.apis, 'API'),
    count(counts.backends, 'backend'),
    count(counts.certificates, 'certificate'),
    count(counts.findings, 'finding'),
    count(counts.warnings, 'synth warning'),
  ].join(' · ');
}

export function changesSummaryLine(weakened: number, strengthened: number, toNote: number): string {
  return `${weakened} weakened · ${strengthened} strengthened · ${toNote} to note`;
}

// --- things -----------------------------------------------------------------------------------

export function apiLabel(apiPath: string | undefined, apiName: string): string {
  return apiPath !== undefined ? `API ${code('/' + apiPath)}` : `API ${code(apiName)} (path unknown)`;
}

export function operationLabel(operation: string): string {
  if (operation === '*') return 'any other request';
  if (operation.startsWith('id:')) return `operation ${code(operation.slice(3))}`;
  return code(operation);
}

export function operationsLabel(operations: readonly string[], total?: number): string {
  if (total !== undefined && total > 1 && operations.length === total) return `all ${total} operations`;
  return operations.map(operationLabel).join(', ');
}

export function routeLabel(route: string): string {
  return route === 'none' ? 'no product' : `product ${code(route.replace(/^product:/, ''))}`;
}

export function routesLabel(routes: readonly string[], total?: number): string {
  if (total !== undefined && total > 1 && routes.length === total) return 'every route';
  return routes.map(routeLabel).join(', ');
}

function shortThumbprint(thumbprint: string): string {
  return `${thumbprint.slice(0, 8)}…`;
}

/** What a caller is, in a few words. */
export function callerLabel(caller: Caller, names: Names): string {
  if (caller.kind === CallerKind.EXPIRED) return `${originalLabel(caller, names)} after it expired`;
  if (caller.kind === CallerKind.IMPOSTOR) return `an impostor of ${originalLabel(caller, names)}`;
  return originalLabel(caller, names);
}

function originalLabel(caller: Caller, names: Names): string {
  const key = caller.copyOf ?? caller.key;
  if (key.startsWith('certificate:')) return `certificate ${code(names.certificates.get(caller.certificate ?? '') ?? caller.certificate ?? key)}`;
  if (key.startsWith('ca-leaf:')) return `a certificate issued by ${code(caller.issuer ?? key)}`;
  if (key.startsWith('thumbprint:')) {
    const thumbprint = key.slice('thumbprint:'.length);
    const symbol = names.symbols.get(thumbprint);
    return symbol ? `the thumbprint in ${code(symbol.standsFor)}` : `thumbprint ${code(shortThumbprint(thumbprint))}`;
  }
  if (key === 'unknown') return 'an unknown certificate';
  if (caller.kind === CallerKind.CHOSEN) return `a certificate anyone can make, with ${(caller.chosen ?? []).map(chosenFactText).join(' and ')}`;
  if (key === 'none') return 'no certificate';
  if (key === 'forged-header') return 'no certificate but a forged client-certificate header';
  return code(key);
}

const FIELD_WORDS: Readonly<Record<string, string>> = { thumbprint: 'thumbprint', subject: 'subject', issuer: 'issuer', 'common-name': 'common name', 'serial-number': 'serial number' };
const TEST_WORDS: Readonly<Record<string, string>> = { equals: '', 'starts-with': 'starting with ', 'ends-with': 'ending with ', contains: 'containing ' };

function chosenFactText(fact: ChosenFact): string {
  return `a ${FIELD_WORDS[fact.field] ?? text(fact.field)} ${TEST_WORDS[fact.test] ?? ''}${code(fact.against)}`;
}

export function certificateRef(ref: string, names: Names): string {
  if (ref.startsWith('thumbprint:')) return `thumbprint ${code(ref.slice(11))}`;
  if (ref.startsWith('id:')) return `certificate ${code(ref.slice(3))} (not in this plan)`;
  if (ref.startsWith('undecided:')) return `a certificate Terraform decides (${text(ref.slice(10))})`;
  return `certificate ${code(names.certificates.get(ref) ?? ref)}`;
}

function hostLabel(host: string, names: Names): string {
  const symbol = [...names.symbols].find(([value]) => value.includes(host));
  return symbol ? `the host in ${code(symbol[1].standsFor)}` : code(host);
}

/** Where a forwarded request goes, and what APIM presents there. */
export function destinationText(verdict: Extract<Verdict, { kind: 'forwarded' }>, names: Names): string {
  if (verdict.destination === Destination.NONE) return 'no backend: neither a service URL nor set-backend-service (APIM fails the request, the gate no longer decides)';
  const where = verdict.host !== undefined ? hostLabel(verdict.host, names) : verdict.url.known ? code(verdict.url.value) : `a URL Terraform decides (${text(verdict.url.reason)})`;
  const via =
    verdict.destination === Destination.BACKEND
      ? ` (backend ${code(names.backends.get(verdict.backend ?? '') ?? verdict.backend ?? '')})`
      : verdict.destination === Destination.SERVICE_URL
        ? ' (the API\'s service URL)'
        : '';
  const presents = verdict.presents.length > 0 ? `, presenting ${verdict.presents.map((ref) => certificateRef(ref, names)).join(', ')}` : '';
  return `${where}${via}${presents}`;
}

export function verdictText(verdict: Verdict, names: Names): string {
  switch (verdict.kind) {
    case 'rejected':
      return `rejected ${code(String(verdict.status))}${verdict.steerableBy ? ` for the headers it sent (the policies read request header${verdict.steerableBy.length > 1 ? 's' : ''} ${verdict.steerableBy.map(code).join(', ')} first, which any caller can send)` : ''}`;
    case 'answered':
      return `answered ${code(String(verdict.status))} by the gateway${chosenHeadersText(verdict.chosenHeaders)}`;
    case 'forwarded':
      return `forwarded to ${destinationText(verdict, names)}${chosenHeadersText(verdict.chosenHeaders)}`;
    case 'undecided':
      return `undecided: ${text(verdict.reason)}`;
  }
}

/** How a caller gets the verdict when it only does by sending headers (empty otherwise). */
export function chosenHeadersText(headers: readonly string[] | undefined): string {
  if (!headers) return '';
  return ` when it also sends request header${headers.length > 1 ? 's' : ''} ${headers.map(code).join(', ')}`;
}

export function scopeLabel(scope: ScopeKind): string {
  return { global: 'service-wide policy', product: 'product policy', api: 'API policy', operation: 'operation policy' }[scope];
}

// --- services, backends, certificates --------------------------------------------------------------

const MECHANISM_TEXT: Record<string, string> = {
  [ClientCertificateNegotiation.CONSUMPTION_FLAG]: '`client_certificate_enabled = true`',
  [ClientCertificateNegotiation.HOSTNAME_NEGOTIATION]: '`negotiate_client_certificate = true` on a gateway host name',
  [ClientCertificateNegotiation.AZAPI_ENABLE_CLIENT_CERTIFICATE]: '`properties.enableClientCertificate = true` (azapi)',
};

export function serviceLines(facts: {
  sku?: string;
  managed: boolean;
  asks: { known: boolean; value?: boolean; reason?: string };
  mechanisms: readonly string[];
  required?: string;
  caCertificates: number;
  address?: string;
}): string[] {
  const lines: string[] = [];
  lines.push(`- ${facts.managed ? `Managed by this plan${facts.address ? ` (${code(facts.address)})` : ''}` : 'Not managed by this plan'}${facts.sku ? `; SKU ${code(facts.sku)}` : ''}`);
  if (facts.asks.known) {
    lines.push(
      facts.asks.value
        ? `- Asks callers for client certificates: yes, ${facts.mechanisms.map((m) => MECHANISM_TEXT[m] ?? code(m)).join(', ')}`
        : `- Asks callers for client certificates: **no**${facts.required ? `: the SKU needs ${MECHANISM_TEXT[facts.required] ?? code(facts.required)}` : ''}; every caller is simulated without one`,
    );
  } else {
    lines.push(`- Asks callers for client certificates: not decided here (${text(facts.asks.reason ?? '')}); callers are simulated presenting theirs`);
  }
  lines.push(`- CA certificates for chain validation: ${facts.caCertificates === 0 ? 'none' : String(facts.caCertificates)}`);
  return lines;
}

export function backendLine(backend: {
  name: string;
  url: string;
  chain?: { known: boolean; value?: boolean };
  name_?: { known: boolean; value?: boolean };
  presents: readonly string[];
  address: string;
}, names: Names): string {
  const check = (value?: { known: boolean; value?: boolean }) => (value === undefined ? '**not set**' : !value.known ? 'decided by Terraform' : value.value ? 'on' : '**off**');
  const presents = backend.presents.length > 0 ? backend.presents.map((ref) => certificateRef(ref, names)).join(', ') : 'none from its credentials';
  return `- Backend ${code(backend.name)}: ${code(backend.url)}; client certificate: ${presents}; server certificate checks: chain ${check(backend.chain)} · name ${check(backend.name_)} (${code(backend.address)})`;
}

export function certificateLine(certificate: {
  name: string;
  address: string;
  source: string;
  thumbprint?: string;
  subject?: string;
  issuer?: string;
  notAfter?: string;
  daysLeft?: number;
}): string {
  const thumbprint = certificate.thumbprint !== undefined ? `thumbprint ${code(certificate.thumbprint)}` : 'thumbprint known after apply';
  const names = [certificate.subject !== undefined ? `subject ${code(certificate.subject)}` : undefined, certificate.issuer !== undefined ? `issuer ${code(certificate.issuer)}` : undefined].filter(Boolean).join(', ');
  const expiry =
    certificate.notAfter === undefined
      ? 'expiry not known at synth'
      : certificate.daysLeft !== undefined && certificate.daysLeft < 0
        ? `**expired** on ${code(certificate.notAfter)} (${count(-certificate.daysLeft, 'day')} ago)`
        : `expires ${code(certificate.notAfter)} (${count(certificate.daysLeft ?? 0, 'day')} left)`;
  return `- Certificate ${code(certificate.name)}: ${certificate.source}; ${thumbprint}${names ? `; ${names}` : ''}; ${expiry} (${code(certificate.address)})`;
}

export function certificateSourceText(source: { kind: string; file?: string; secretId?: string; reason?: string }): string {
  switch (source.kind) {
    case 'pfx-file':
      return `PFX file ${code((source.file ?? '').split('/').pop() ?? '')}`;
    case 'key-vault':
      return `Key Vault secret ${code(source.secretId ?? '')}`;
    case 'inline':
      return 'PFX written into the configuration (content not shown)';
    default:
      return `source decided by Terraform (${text(source.reason ?? '')})`;
  }
}

/** The cells of a row of the callers table: callers that share a thumbprint on one row. */
export function callerRow(labels: readonly string[], thumbprint: string | undefined, placeholder: boolean, subject?: string, issuer?: string): string[] {
  const print = thumbprint === undefined ? '' : placeholder ? 'known after apply' : code(thumbprint);
  return [labels.join(', '), print, subject !== undefined ? code(subject) : '', issuer !== undefined ? code(issuer) : ''];
}

export const CALLERS_TABLE_HEADER = ['| Caller | Thumbprint | Subject | Issuer |', '|---|---|---|---|'];
export const MATRIX_TABLE_HEADER = ['| API | Operations | Route | Admitted | Rejected or undecided |', '|---|---|---|---|---|'];

export function admittedCellText(groups: readonly { callers: readonly string[]; destination: string }[]): string {
  if (groups.length === 0) return 'nobody';
  return groups.map((group) => `${group.callers.join(', ')} → ${group.destination}`).join('; ');
}

export function othersCellText(groups: readonly { verdict: string; callers: readonly string[] }[], everyoneElse: boolean): string {
  if (groups.length === 0) return '';
  if (everyoneElse && groups.length === 1) return `everyone else: ${groups[0].verdict}`;
  return groups.map((group) => `${group.verdict}: ${group.callers.join(', ')}`).join('; ');
}

// --- findings -----------------------------------------------------------------------------------

export function subjectText(subject: { service: string; serviceName?: string; apiPath?: string; apiName?: string; api?: string; route?: string; resource?: string }, names: Names): string {
  const parts: string[] = [];
  if (subject.api !== undefined) parts.push(apiLabel(subject.apiPath, subject.apiName ?? subject.api));
  else if (subject.resource !== undefined) parts.push(resourceLabel(subject.resource, names));
  if (subject.route !== undefined && subject.route !== 'none') parts.push(`through ${routeLabel(subject.route)}`);
  if (subject.serviceName !== undefined) parts.push(parts.length > 0 ? `on service ${code(subject.serviceName)}` : `Service ${code(subject.serviceName)}`);
  return parts.join(' ') || 'The plan';
}

function resourceLabel(address: string, names: Names): string {
  if (names.certificates.has(address)) return `Certificate ${code(names.certificates.get(address)!)}`;
  if (names.backends.has(address)) return `Backend ${code(names.backends.get(address)!)}`;
  return code(address);
}

function callersList(keys: readonly string[], service: string, names: Names): string {
  const callers = names.callers.get(service);
  return keys.map((key) => (callers?.get(key) ? callerLabel(callers.get(key)!, names) : code(key))).join(', ');
}

export function findingText(finding: Finding, names: Names): string {
  const total = names.operationCounts.get(`${finding.subject.service}|${finding.subject.api ?? ''}`);
  const where = (operations: readonly string[]) => ` (${operationsLabel(operations, total)})`;
  const to = (hosts?: readonly string[]) => (hosts && hosts.length > 0 ? `, forwarded to ${hosts.map((host) => hostLabel(host, names)).join(', ')}` : '');
  switch (finding.code) {
    case 'unknown-certificate-admitted':
      return `admits a certificate this plan does not know${to(finding.hosts)}${where(finding.operations)}`;
    case 'no-certificate-admitted':
      return `admits callers without a certificate${to(finding.hosts)}${where(finding.operations)}`;
    case 'expired-certificate-admitted':
      return `admits expired certificates: validity is not checked (${callersList(finding.callers, finding.subject.service, names)})${where(finding.operations)}`;
    case 'impostor-admitted':
      return `admits a certificate that only copies the subject and issuer names of a trusted one (${callersList(finding.callers, finding.subject.service, names)}): names are checked, not the chain${where(finding.operations)}`;
    case 'backend-certificate-admitted':
      return `admits ${callersList(finding.callers, finding.subject.service, names)}, which APIM presents to backends: whoever holds it may call${where(finding.operations)}`;
    case 'named-certificate-rejected':
      return `rejects ${callersList(finding.callers, finding.subject.service, names)}, which its policy names: check it is not locked out${finding.details ? ` (${finding.details.map(text).join('; ')})` : ''}${where(finding.operations)}`;
    case 'nobody-admitted':
      return `admits no simulated caller: every certificate is locked out${where(finding.operations)}`;
    case 'undecided-access':
      return `cannot be judged from the plan: ${text(finding.reason)}${where(finding.operations)}`;
    case 'unreadable-configuration':
      if (finding.reason === 'module') return 'is a module: the resources it creates are not in this plan and are not judged';
      if (finding.kind === PlanIssueKind.SIDE_CHANNEL) return `${text(finding.reason)}: the review cannot judge what it changes`;
      return `could not be attached to a scope: ${text(finding.reason)}`;
    case 'service-does-not-ask':
      return `never asks callers for a client certificate${finding.required ? ` (its SKU needs ${MECHANISM_TEXT[finding.required] ?? code(finding.required)})` : ''}: every client-certificate gate rejects every caller`;
    case 'unmanaged-service':
      return `is not managed by this plan: whether it asks for client certificates, and any policy set on it elsewhere, is not visible here`;
    case 'client-certificate-flag-refused':
      return `sets \`client_certificate_enabled\` on ${code(finding.sku)}; azurerm accepts it only on Consumption, so the apply fails`;
    case 'backend-tls-check-off':
      return `${finding.written ? 'does not validate' : 'does not set validation of'} its server certificate's ${finding.check === 'chain' ? 'chain' : 'host name'}${finding.written ? '' : ' (the service default is undocumented)'}: APIM would talk to an impostor backend and present its client certificate there`;
    case 'subscription-not-required':
      return 'can be called without a subscription key: the client certificate is the only check';
    case 'plain-http-accepted':
      return 'accepts plain http or ws, where no client certificate is ever presented';
    case 'pinned-thumbprint-unmatched':
      return `pins thumbprint ${code(finding.thumbprint)} in a policy; no certificate of this plan has it`;
    case 'certificate-expiring':
      return finding.daysLeft < 0 ? `expired on ${code(finding.notAfter)}` : `expires on ${code(finding.notAfter)}, in ${count(finding.daysLeft, 'day')}`;
    case 'conflicting-claims':
      return 'has two different descriptions under `//` (per resource and per stack): one was edited';
    case 'literal-secret':
      return `has its ${finding.attribute === 'password' ? 'PFX password' : 'PFX content'} written in plain text in the configuration (value not shown): pass it as a sensitive variable or read it with filebase64()`;
    case 'versioned-key-vault-secret':
      return 'names one version of its Key Vault secret, so API Management does not follow rotations: use the versionless id';
    case 'key-vault-certificate-pinned':
      return `pins Key Vault certificate ${code(names.certificates.get(finding.subject.resource ?? '') ?? '')} by thumbprint, which goes stale when Key Vault rotates it: match it by certificate id${where(finding.operations)}`;
  }
}

// --- changes ------------------------------------------------------------------------------------

function facts(certificate?: CertificateFacts): string {
  if (!certificate) return '';
  const parts = [
    certificate.thumbprint !== undefined ? `thumbprint ${code(certificate.thumbprint)}` : undefined,
    certificate.subject !== undefined ? `subject ${code(certificate.subject)}` : undefined,
    certificate.issuer !== undefined ? `issuer ${code(certificate.issuer)}` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'facts not known at synth';
}

export function changeSubjectText(subject: ChangeSubject, names: Names): string {
  return subjectText(subject, names);
}

export function changeText(change: AccessChange, names: Names): string {
  switch (change.kind) {
    case 'verdict': {
      const who = change.callers.map((caller) => callerLabel(caller, names)).join(', ');
      const where = `${operationsLabel(change.operations, names.operationCounts.get(`${change.subject.service}|${change.subject.api ?? ''}`))}${change.routes.length === 1 && change.routes[0] === 'none' ? '' : ` (${routesLabel(change.routes)})`}`;
      return `${who}: ${verdictText(change.before, names)} → ${verdictText(change.after, names)} for ${where}`;
    }
    case 'operation-added': {
      const what = `new: ${operationsLabel(change.operations)}${change.routes.length === 1 && change.routes[0] === 'none' ? '' : ` (${routesLabel(change.routes)})`}`;
      const why = [change.admitsUnknown ? 'admits an unknown certificate' : '', change.admitsNone ? 'admits callers without a certificate' : '', change.undecided !== undefined ? `is undecided (${text(change.undecided)})` : '']
        .filter(Boolean)
        .join(', ');
      return why ? `${what}; it ${why}` : `${what}; check who may call it in the full report`;
    }
    case 'operation-removed':
      return `removed: ${operationsLabel(change.operations)}`;
    case 'subscription':
      return change.after ? 'now requires a subscription key' : 'no longer requires a subscription key: the client certificate is the only check';
    case 'backend-tls': {
      const state = (value?: boolean) => (value === undefined ? 'not set' : value ? 'on' : 'off');
      return `server certificate ${change.check === 'chain' ? 'chain' : 'name'} validation ${state(change.before)} → ${state(change.after)}`;
    }
    case 'backend-url':
      return `moved: ${change.before !== undefined ? code(change.before) : 'undecided'} → ${change.after !== undefined ? code(change.after) : 'undecided'}`;
    case 'certificate':
      switch (change.change) {
        case 'claims-changed':
          return `same source, but its claims under \`//\` changed (${facts(change.before)} → ${facts(change.after)}): the claims no longer describe the file`;
        case 'claims-stale':
          return `its file changed but its claims under \`//\` did not (${facts(change.after)}): they describe another file than the one deployed`;
        case 'rotated':
          return `rotated: a new file with the same subject and issuer (${facts(change.before)} → ${facts(change.after)})`;
        case 'replaced':
          return `replaced by a certificate with another subject or issuer (${facts(change.before)} → ${facts(change.after)})`;
        case 'replaced-unverified':
          return `its source changed and the plan cannot tell a rotation from a replacement (${facts(change.before)} → ${facts(change.after)})`;
        case 'added':
          return `newly uploaded (${facts(change.after)})`;
        case 'removed':
          return 'no longer uploaded';
      }
      break;
    case 'pin-orphaned':
      return `a policy pins ${code(change.thumbprint)}, the thumbprint this certificate had in the base (${facts(change.formerly)}); no certificate of the plan has it now: a stale pin, or claims that no longer describe the file`;
    case 'service':
      return {
        'asks-no-longer': 'no longer asks callers for client certificates: every gate now rejects every caller',
        'asks-now': 'now asks callers for client certificates',
        added: 'new service',
        removed: 'no longer in the plan',
      }[change.change];
    case 'finding':
      return change.added ? findingText(change.finding, names) : `no longer: ${findingText(change.finding, names)}`;
  }
  return '';
}

export function policyChangeTitle(scope: ScopeKind, address: string): string {
  return `${scopeLabel(scope)} ${code(address)}`;
}

export const POLICY_ADDED = '(new policy)';
export const POLICY_REMOVED = '(policy removed)';

export function annotationLine(level: string, constructPath: string, message: string): string {
  const icon = level === 'info' ? NOTE_ICON : WARNING_ICON;
  return `- ${icon} ${level} ${code(constructPath)}: ${text(message)}`;
}
