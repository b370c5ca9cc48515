import { AccessCell, CallerKind, OperationAccess, ServiceAccess } from '../access';
import { PlanService } from '../plan';
import { Finding } from '../rules';
import { code, tableCell, text } from './markdown';
import { Names, namesOf } from './names';
import { REVIEW_SEVERITY, Severity } from './severity';
import { StackReport } from './stack-report';
import * as words from './wording';

export interface RenderReportOptions {
  /** The time certificate expiry is measured from. */
  readonly now: Date;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * The full report of one or more stacks as Markdown for a pull-request comment: findings
 * first, then per service who may call what (the matrix), the callers, backends and
 * certificates. Pure and deterministic; never prints a secret.
 */
export function renderReport(stacks: readonly StackReport[], options: RenderReportOptions): string {
  const findingLines: string[] = [];
  const sections: string[] = [];
  for (const stack of stacks) {
    const names = namesOf(stack.matrix);
    const ordered = [...stack.findings].sort((a, b) => severityRank(a) - severityRank(b));
    for (const finding of ordered) {
      const icon = REVIEW_SEVERITY[finding.code] === Severity.WARNING ? words.WARNING_ICON : words.NOTE_ICON;
      findingLines.push(`- ${icon} ${words.subjectText(finding.subject, names)} in stack ${code(stack.name)}: ${words.findingText(finding, names)}`);
    }
    sections.push(...renderStack(stack, names, options));
  }
  const plans = stacks.map((stack) => stack.matrix.plan);
  const lines = [
    words.TITLE,
    '',
    words.summaryLine({
      stacks: stacks.length,
      services: sum(plans, (plan) => plan.services.length),
      apis: sum(plans, (plan) => plan.services.reduce((n, service) => n + service.apis.length, 0)),
      backends: sum(plans, (plan) => plan.services.reduce((n, service) => n + service.backends.length, 0)),
      certificates: sum(plans, (plan) => plan.services.reduce((n, service) => n + service.certificates.length, 0)),
      findings: findingLines.length,
      warnings: sum(stacks, (stack) => stack.annotations.filter((a) => a.level !== 'info').length),
    }),
    '',
  ];
  if (findingLines.length > 0) lines.push(words.HEADINGS.findings, '', ...findingLines, '');
  else if (stacks.length > 0) lines.push(words.NO_FINDINGS, '');
  return [...lines, ...sections].join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function severityRank(finding: Finding): number {
  return REVIEW_SEVERITY[finding.code] === Severity.WARNING ? 0 : 1;
}

function sum<T>(items: readonly T[], f: (item: T) => number): number {
  return items.reduce((total, item) => total + f(item), 0);
}

function renderStack(stack: StackReport, names: Names, options: RenderReportOptions): string[] {
  const out = [words.HEADINGS.stack(stack.name), ''];
  if (stack.matrix.services.length === 0) out.push(words.NO_RESOURCES, '');
  for (const service of stack.matrix.services) {
    const facts = stack.matrix.plan.services.find((candidate) => candidate.key === service.service)!;
    out.push(...renderService(service, facts, names, options));
  }
  if (stack.annotations.length > 0) {
    out.push(words.HEADINGS.annotations, '');
    for (const note of stack.annotations) out.push(words.annotationLine(note.level, note.constructPath, note.message));
    out.push('');
  }
  return out;
}

function renderService(service: ServiceAccess, facts: PlanService, names: Names, options: RenderReportOptions): string[] {
  const out = [words.HEADINGS.service(facts.name.known ? facts.name.value : service.service), ''];
  out.push(
    ...words.serviceLines({
      ...(facts.skuName?.known ? { sku: facts.skuName.value } : {}),
      managed: facts.managed,
      asks: facts.asksForCertificates.known ? { known: true, value: facts.asksForCertificates.value } : { known: false, reason: facts.asksForCertificates.reason },
      mechanisms: facts.mechanisms,
      ...(facts.requiredMechanism ? { required: facts.requiredMechanism } : {}),
      caCertificates: facts.caCertificates.length,
      ...(facts.address ? { address: facts.address } : {}),
    }),
    '',
  );
  if (service.operations.length > 0) out.push(words.HEADINGS.whoMayCall, '', ...words.MATRIX_TABLE_HEADER, ...matrixRows(service, facts, names), '');
  const callerRows = callersTable(service, names);
  if (callerRows.length > 0) out.push(words.HEADINGS.callers, '', ...words.CALLERS_TABLE_HEADER, ...callerRows, '');
  if (facts.backends.length > 0) {
    out.push(words.HEADINGS.backends, '');
    for (const backend of facts.backends) {
      out.push(
        words.backendLine(
          {
            name: backend.name.known ? backend.name.value : backend.address,
            url: backend.url.known ? backend.url.value : `(${backend.url.reason})`,
            ...(backend.validateCertificateChain ? { chain: backend.validateCertificateChain } : {}),
            ...(backend.validateCertificateName ? { name_: backend.validateCertificateName } : {}),
            presents: backend.clientCertificates.map((ref) => ref.certificate ?? (ref.thumbprint !== undefined ? `thumbprint:${ref.thumbprint}` : `undecided:${ref.undecided}`)),
            address: backend.address,
          },
          names,
        ),
      );
    }
    out.push('');
  }
  if (facts.certificates.length > 0) {
    out.push(words.HEADINGS.certificates, '');
    for (const certificate of facts.certificates) {
      const notAfter = certificate.claims?.notAfter;
      const end = notAfter === undefined ? NaN : new Date(notAfter).getTime();
      out.push(
        words.certificateLine({
          name: certificate.name.known ? certificate.name.value : certificate.address,
          address: certificate.address,
          source: words.certificateSourceText(certificate.source),
          ...(certificate.thumbprintKnown ? { thumbprint: certificate.thumbprint } : {}),
          ...(certificate.claims?.subject !== undefined ? { subject: certificate.claims.subject } : {}),
          ...(certificate.claims?.issuer !== undefined ? { issuer: certificate.claims.issuer } : {}),
          ...(Number.isNaN(end) ? {} : { notAfter: notAfter!, daysLeft: Math.floor((end - options.now.getTime()) / DAY) }),
        }),
      );
    }
    out.push('');
  }
  return out;
}

/** One table row per API and group of operations and routes whose callers fare alike. */
function matrixRows(service: ServiceAccess, facts: PlanService, names: Names): string[] {
  const byApi = new Map<string, OperationAccess[]>();
  for (const operation of service.operations) {
    const list = byApi.get(operation.ref.api) ?? [];
    list.push(operation);
    byApi.set(operation.ref.api, list);
  }
  const rows: string[] = [];
  const apis = new Map(facts.apis.map((api) => [api.key, api]));
  // Operations of one API without their own policy share their cells, and so their signature.
  const signatures = new Map<readonly AccessCell[], string>();
  const signatureOf = (cells: readonly AccessCell[]): string => {
    let signature = signatures.get(cells);
    if (signature === undefined) {
      signature = cells.map((cell) => `${cell.caller.key}=${words.verdictText(cell.verdict, names)}`).join('\n');
      signatures.set(cells, signature);
    }
    return signature;
  };
  for (const [apiKey, operations] of byApi) {
    const api = apis.get(apiKey)!;
    const allOperations = new Set(operations.map((operation) => operation.ref.operation)).size;
    const allRoutes = new Set(operations.map((operation) => operation.ref.route)).size;
    const groups = new Map<string, { first: OperationAccess; operations: Set<string>; routes: Set<string> }>();
    for (const operation of operations) {
      const signature = signatureOf(operation.cells);
      let group = groups.get(signature);
      if (!group) {
        group = { first: operation, operations: new Set(), routes: new Set() };
        groups.set(signature, group);
      }
      group.operations.add(operation.ref.operation);
      group.routes.add(operation.ref.route);
    }
    const apiCell = `${words.apiLabel(operations[0].ref.apiPath, operations[0].ref.apiName)}${api.displayName ? ` ${text(api.displayName)}` : ''}`;
    for (const group of groups.values()) {
      const shown = group.first.cells;
      rows.push(
        tableRow([
          apiCell,
          words.operationsLabel([...group.operations], allOperations),
          words.routesLabel([...group.routes], allRoutes),
          words.admittedCellText(admittedGroups(shown, names)),
          othersCell(shown, names),
        ]),
      );
    }
  }
  return rows;
}

function admittedGroups(cells: readonly AccessCell[], names: Names): { callers: string[]; destination: string }[] {
  const groups = new Map<string, string[]>();
  for (const cell of cells) {
    if (cell.verdict.kind !== 'forwarded' && cell.verdict.kind !== 'answered') continue;
    const destination =
      cell.verdict.kind === 'forwarded' ? `${words.destinationText(cell.verdict, names)}${words.chosenHeadersText(cell.verdict.chosenHeaders)}` : words.verdictText(cell.verdict, names);
    const list = groups.get(destination) ?? [];
    list.push(words.callerLabel(cell.caller, names));
    groups.set(destination, list);
  }
  return [...groups].map(([destination, callers]) => ({ callers, destination }));
}

function othersCell(cells: readonly AccessCell[], names: Names): string {
  const groups = new Map<string, string[]>();
  const admittedCount = cells.filter((cell) => cell.verdict.kind === 'forwarded' || cell.verdict.kind === 'answered').length;
  for (const cell of cells) {
    if (cell.verdict.kind === 'forwarded' || cell.verdict.kind === 'answered') continue;
    const verdict = words.verdictText(cell.verdict, names);
    const list = groups.get(verdict) ?? [];
    list.push(words.callerLabel(cell.caller, names));
    groups.set(verdict, list);
  }
  return words.othersCellText([...groups].map(([verdict, callers]) => ({ verdict, callers })), admittedCount > 0 || groups.size === 1);
}

/** The certificates simulated, one line per thumbprint. */
function callersTable(service: ServiceAccess, names: Names): string[] {
  const rows = new Map<string, { labels: string[]; thumbprint?: string; placeholder: boolean; subject?: string; issuer?: string }>();
  for (const caller of service.callers) {
    if (caller.copyOf !== undefined || caller.kind === CallerKind.UNKNOWN_CERTIFICATE || caller.kind === CallerKind.NO_CERTIFICATE || caller.kind === CallerKind.FORGED_HEADER) continue;
    const key = caller.placeholderThumbprint ? caller.key : (caller.thumbprint ?? caller.key);
    const row = rows.get(key) ?? { labels: [], ...(caller.thumbprint !== undefined ? { thumbprint: caller.thumbprint } : {}), placeholder: caller.placeholderThumbprint === true };
    row.labels.push(words.callerLabel(caller, names));
    row.subject ??= caller.subject;
    row.issuer ??= caller.issuer;
    rows.set(key, row);
  }
  return [...rows.values()].map((row) => tableRow(words.callerRow(row.labels, row.thumbprint, row.placeholder, row.subject, row.issuer)));
}

function tableRow(cells: readonly string[]): string {
  return `| ${cells.map(tableCell).join(' | ')} |`;
}
