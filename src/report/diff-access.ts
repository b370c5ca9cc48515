import { AccessCell, AccessMatrix, Caller, CallerKind, ChainScope, OperationAccess, ServiceAccess, Verdict } from '../access';
import { PlanCertificate, PlanService, sourceIdentity } from '../plan';
import { Finding, findingKey, FindingCode, judge } from '../rules';
import { AccessChange, CertificateFacts, ChangeImpact, ChangeSubject, PolicyChange } from './access-change';

export interface DiffAccessOptions {
  /** Findings of the base and head plans; computed with every rule when absent. */
  readonly baseFindings?: readonly Finding[];
  readonly headFindings?: readonly Finding[];
}

/**
 * The security-relevant differences from `base` to `head`, each classified. Services are
 * matched by name, APIs by path, operations by method and URL template, callers by
 * certificate address, then by the certificate's source, then by thumbprint; a caller one side
 * does not know is compared with that side's unknown certificate. Compares codes, keys and
 * verdicts, never sentences. Sorted: weakened first.
 */
export function diffAccess(base: AccessMatrix, head: AccessMatrix, options: DiffAccessOptions = {}): AccessChange[] {
  const changes: AccessChange[] = [];
  const baseServices = new Map(base.services.map((service) => [service.service, service]));
  const headServices = new Map(head.services.map((service) => [service.service, service]));
  for (const key of sortedKeys(baseServices, headServices)) {
    const before = baseServices.get(key);
    const after = headServices.get(key);
    const baseFacts = base.plan.services.find((service) => service.key === key);
    const headFacts = head.plan.services.find((service) => service.key === key);
    changes.push(...new ServiceDiff(before, after, baseFacts, headFacts).run());
  }
  changes.push(...diffFindings(options.baseFindings ?? judge(base), options.headFindings ?? judge(head)));
  return changes.sort(compareChanges);
}

const IMPACT_ORDER = [ChangeImpact.WEAKENED, ChangeImpact.STRENGTHENED, ChangeImpact.TO_NOTE];

function compareChanges(a: AccessChange, b: AccessChange): number {
  return IMPACT_ORDER.indexOf(a.impact) - IMPACT_ORDER.indexOf(b.impact) || compare(sortKey(a), sortKey(b));
}

function sortKey(change: AccessChange): string {
  const s = change.subject;
  const detail = change.kind === 'verdict' ? `${change.operations[0]}|${change.callers[0].key}` : change.kind === 'finding' ? findingKey(change.finding) : change.kind;
  return [s.service, s.apiPath ?? s.api ?? '', s.resource ?? '', change.kind, detail].join('|');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedKeys<T>(a: Map<string, T>, b: Map<string, T>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].sort(compare);
}

/** Whether a verdict lets the caller past the gateway. */
function admitted(verdict: Verdict): boolean {
  return verdict.kind === 'forwarded' || verdict.kind === 'answered';
}

/** How one caller's verdict change counts; undefined when it does not count at all. */
export function verdictImpact(before: Verdict, after: Verdict): ChangeImpact | undefined {
  // A rejection that request headers the caller chooses may undo is weaker than a proven one, and no stronger than admission.
  const steerableBefore = before.kind === 'rejected' && before.steerableBy !== undefined;
  const steerableAfter = after.kind === 'rejected' && after.steerableBy !== undefined;
  if (before.kind === 'rejected' && after.kind === 'rejected' && steerableBefore !== steerableAfter) return steerableAfter ? ChangeImpact.WEAKENED : ChangeImpact.STRENGTHENED;
  if (steerableAfter && before.kind !== 'rejected') return ChangeImpact.TO_NOTE;
  if (before.kind === after.kind) {
    switch (after.kind) {
      case 'rejected':
      case 'answered':
        return (before as typeof after).status !== after.status ? ChangeImpact.TO_NOTE : undefined;
      case 'undecided':
        return (before as typeof after).reason !== after.reason ? ChangeImpact.TO_NOTE : undefined;
      case 'forwarded': {
        const b = before as typeof after;
        if (b.host !== after.host || (b.url.known && !after.url.known)) return ChangeImpact.WEAKENED;
        if (b.destination !== after.destination || b.backend !== after.backend || b.presents.join() !== after.presents.join()) return ChangeImpact.TO_NOTE;
        return undefined;
      }
    }
  }
  if (before.kind === 'rejected') return ChangeImpact.WEAKENED;
  if (after.kind === 'undecided') return ChangeImpact.WEAKENED;
  if (after.kind === 'rejected') return ChangeImpact.STRENGTHENED;
  if (before.kind === 'undecided') return ChangeImpact.WEAKENED;
  return ChangeImpact.TO_NOTE; // forwarded ↔ answered
}

/** A verdict reduced to what a change is about, to group equal changes. */
function signature(verdict: Verdict): string {
  switch (verdict.kind) {
    case 'forwarded':
      return `forwarded|${verdict.destination}|${verdict.backend ?? ''}|${verdict.host ?? ''}|${verdict.url.known ? '' : verdict.url.reason}|${verdict.presents.join()}`;
    case 'undecided':
      return `undecided|${verdict.reason}`;
    case 'rejected':
      return `rejected|${verdict.status}|${verdict.steerableBy?.join() ?? ''}`;
    default:
      return `${verdict.kind}|${verdict.status}`;
  }
}

function rowKey(operation: OperationAccess): string {
  return `${operation.ref.apiMatch}|${operation.ref.operation}|${operation.ref.route}`;
}

class ServiceDiff {
  private readonly changes: AccessChange[] = [];
  private readonly verdictGroups = new Map<string, { change: AccessChange & { kind: 'verdict' }; operations: Set<string>; routes: Set<string>; policies: Map<string, PolicyChange> }>();

  constructor(
    private readonly base: ServiceAccess | undefined,
    private readonly head: ServiceAccess | undefined,
    private readonly baseFacts: PlanService | undefined,
    private readonly headFacts: PlanService | undefined,
  ) {}

  run(): AccessChange[] {
    const subject = this.subject();
    if (!this.base || !this.head) {
      this.changes.push({ kind: 'service', impact: ChangeImpact.TO_NOTE, subject, change: this.base ? 'removed' : 'added' });
    } else if (this.base.asksForCertificates.known && this.head.asksForCertificates.known && this.base.asksForCertificates.value !== this.head.asksForCertificates.value) {
      this.changes.push({ kind: 'service', impact: ChangeImpact.TO_NOTE, subject, change: this.head.asksForCertificates.value ? 'asks-now' : 'asks-no-longer' });
    }
    this.rows();
    this.orphanedPins();
    this.apis();
    this.backends();
    this.certificates();
    // Callers whose verdict changed alike on the same operations and routes share one change.
    const merged = new Map<string, AccessChange & { kind: 'verdict' }>();
    for (const group of this.verdictGroups.values()) {
      const operations = [...group.operations].sort(compare);
      const routes = [...group.routes].sort(compare);
      const key = [group.change.subject.api, signature(group.change.before), signature(group.change.after), operations.join(), routes.join()].join('|');
      const existing = merged.get(key);
      if (existing) {
        merged.set(key, { ...existing, callers: [...existing.callers, ...group.change.callers] });
      } else {
        merged.set(key, { ...group.change, operations, routes, policies: [...group.policies.values()] });
      }
    }
    this.changes.push(...merged.values());
    return this.changes;
  }

  private subject(extra: Partial<ChangeSubject> = {}): ChangeSubject {
    const facts = this.headFacts ?? this.baseFacts;
    const service = (this.head ?? this.base)!;
    return { service: service.service, ...(facts?.name.known ? { serviceName: facts.name.value } : {}), ...extra };
  }

  private apiSubject(operation: OperationAccess): ChangeSubject {
    const ref = operation.ref;
    return this.subject({ api: ref.apiMatch, apiName: ref.apiName, ...(ref.apiPath !== undefined ? { apiPath: ref.apiPath } : {}) });
  }

  // --- operations ---------------------------------------------------------------------------------

  private rows(): void {
    const baseRows = new Map((this.base?.operations ?? []).map((row) => [rowKey(row), row]));
    const headRows = new Map((this.head?.operations ?? []).map((row) => [rowKey(row), row]));
    const callerMap = this.base && this.head ? this.matchCallers(this.base, this.head) : new Map<string, string>();
    const added = new Map<string, { row: OperationAccess; operations: Set<string>; routes: Set<string>; admitsUnknown: boolean; admitsNone: boolean; undecided?: string; policies: PolicyChange[] }>();
    for (const [key, row] of headRows) {
      const reference = baseRows.get(key) ?? this.referenceRow(row, baseRows);
      if (reference) {
        this.compareRows(reference, row, callerMap);
        continue;
      }
      const verdictOf = (callerKey: string) => row.cells.find((cell) => cell.caller.key === callerKey)?.verdict;
      // A certificate anyone can make (the unknown one, or one made to pass the policy's test).
      const admitsUnknown = row.cells.some((cell) => (cell.caller.kind === CallerKind.UNKNOWN_CERTIFICATE || cell.caller.kind === CallerKind.CHOSEN) && admitted(cell.verdict));
      const admitsNone = admittedOrUndefined(verdictOf('none'));
      const steerable = row.cells.find((cell) => cell.verdict.kind === 'rejected' && cell.verdict.steerableBy !== undefined)?.verdict as { steerableBy: readonly string[] } | undefined;
      const undecided =
        (row.cells.find((cell) => cell.verdict.kind === 'undecided')?.verdict as { reason: string } | undefined) ??
        (steerable ? { reason: `rejections hold only for the headers a caller sent: the policies read request header ${steerable.steerableBy.join(', ')}, which any caller can send` } : undefined);
      const groupKey = `${row.ref.apiMatch}|${admitsUnknown}|${admitsNone}|${undecided?.reason ?? ''}`;
      let group = added.get(groupKey);
      if (!group) {
        group = { row, operations: new Set(), routes: new Set(), admitsUnknown, admitsNone, ...(undecided ? { undecided: undecided.reason } : {}), policies: policyChanges([], row.chain) };
        added.set(groupKey, group);
      }
      group.operations.add(row.ref.operation);
      group.routes.add(row.ref.route);
    }
    for (const group of added.values()) {
      const weakened = group.admitsUnknown || group.admitsNone || group.undecided !== undefined;
      this.changes.push({
        kind: 'operation-added',
        impact: weakened ? ChangeImpact.WEAKENED : ChangeImpact.TO_NOTE,
        subject: this.apiSubject(group.row),
        routes: [...group.routes].sort(compare),
        operations: [...group.operations].sort(compare),
        admitsUnknown: group.admitsUnknown,
        admitsNone: group.admitsNone,
        ...(group.undecided !== undefined ? { undecided: group.undecided } : {}),
        policies: group.policies,
      });
    }
    const removed = new Map<string, { row: OperationAccess; operations: Set<string>; routes: Set<string> }>();
    for (const [key, row] of baseRows) {
      if (headRows.has(key) || this.referenceRow(row, headRows)) continue;
      let group = removed.get(row.ref.apiMatch);
      if (!group) {
        group = { row, operations: new Set(), routes: new Set() };
        removed.set(row.ref.apiMatch, group);
      }
      group.operations.add(row.ref.operation);
      group.routes.add(row.ref.route);
    }
    for (const group of removed.values()) {
      this.changes.push({
        kind: 'operation-removed',
        impact: ChangeImpact.STRENGTHENED,
        subject: this.apiSubject(group.row),
        routes: [...group.routes].sort(compare),
        operations: [...group.operations].sort(compare),
      });
    }
  }

  /**
   * The row of the other plan that stands for a row it lacks: the same operation over another
   * route, the catch-all operation of the same method (`/*`), or the API's "every other
   * request", which served the requests of a new operation before.
   */
  private referenceRow(row: OperationAccess, others: Map<string, OperationAccess>): OperationAccess | undefined {
    const { apiMatch, operation, route, method } = row.ref;
    return (
      others.get(`${apiMatch}|${operation}|none`) ??
      (method !== undefined ? (others.get(`${apiMatch}|${method} /*|${route}`) ?? others.get(`${apiMatch}|${method} /*|none`)) : undefined) ??
      others.get(`${apiMatch}|*|${route}`) ??
      others.get(`${apiMatch}|*|none`)
    );
  }

  private compareRows(before: OperationAccess, after: OperationAccess, callerMap: Map<string, string>): void {
    const baseCells = new Map(before.cells.map((cell) => [cell.caller.key, cell]));
    const headCells = new Map(after.cells.map((cell) => [cell.caller.key, cell]));
    const baseUnknown = baseCells.get('unknown');
    const headUnknown = headCells.get('unknown');
    const matchedBase = new Set<string>();
    for (const cell of after.cells) {
      const baseKey = callerMap.get(cell.caller.key);
      const reference = (baseKey !== undefined ? baseCells.get(baseKey) : undefined) ?? baseUnknown;
      if (baseKey !== undefined) matchedBase.add(baseKey);
      if (reference) this.compareCells(reference, cell, before, after);
    }
    for (const cell of before.cells) {
      if (matchedBase.has(cell.caller.key) || !headUnknown) continue;
      this.compareCells(cell, { ...headUnknown, caller: cell.caller }, before, after);
    }
  }

  private compareCells(before: AccessCell, after: AccessCell, baseRow: OperationAccess, headRow: OperationAccess): void {
    const impact = verdictImpact(before.verdict, after.verdict);
    if (impact === undefined) return;
    const caller = after.caller;
    const key = `${headRow.ref.apiMatch}|${caller.key}|${signature(before.verdict)}|${signature(after.verdict)}`;
    let group = this.verdictGroups.get(key);
    if (!group) {
      group = {
        change: {
          kind: 'verdict',
          impact,
          subject: this.apiSubject(headRow),
          routes: [],
          operations: [],
          callers: [caller],
          before: before.verdict,
          after: after.verdict,
          policies: [],
        },
        operations: new Set(),
        routes: new Set(),
        policies: new Map(),
      };
      this.verdictGroups.set(key, group);
    }
    group.operations.add(headRow.ref.operation);
    group.routes.add(headRow.ref.route);
    for (const change of policyChanges(baseRow.chain, headRow.chain)) group.policies.set(`${change.scope}|${change.address}`, change);
  }

  /** Head caller key → base caller key. */
  private matchCallers(base: ServiceAccess, head: ServiceAccess): Map<string, string> {
    const map = new Map<string, string>();
    const baseKeys = new Set(base.callers.map((caller) => caller.key));
    const baseBySource = new Map<string, string>();
    for (const certificate of this.baseFacts?.certificates ?? []) baseBySource.set(sourceIdentity(certificate.source), `certificate:${certificate.address}`);
    const headSource = new Map((this.headFacts?.certificates ?? []).map((certificate) => [`certificate:${certificate.address}`, sourceIdentity(certificate.source)]));
    const baseByThumbprint = new Map<string, string>();
    for (const caller of base.callers) {
      if (caller.copyOf === undefined && caller.thumbprint !== undefined && !caller.placeholderThumbprint && !baseByThumbprint.has(caller.thumbprint)) baseByThumbprint.set(caller.thumbprint, caller.key);
    }
    const originalMatch = (caller: Caller): string | undefined => {
      if (baseKeys.has(caller.key)) return caller.key;
      if (caller.kind === CallerKind.CERTIFICATE) {
        const bySource = baseBySource.get(headSource.get(caller.key) ?? '');
        if (bySource !== undefined && baseKeys.has(bySource)) return bySource;
      }
      if (caller.thumbprint !== undefined && !caller.placeholderThumbprint) return baseByThumbprint.get(caller.thumbprint);
      return undefined;
    };
    const originals = head.callers.filter((caller) => caller.copyOf === undefined);
    for (const caller of originals) {
      const match = originalMatch(caller);
      if (match !== undefined) map.set(caller.key, match);
    }
    for (const caller of head.callers) {
      if (caller.copyOf === undefined) continue;
      const original = map.get(caller.copyOf);
      const prefix = caller.key.slice(0, caller.key.indexOf(':') + 1);
      if (original !== undefined && baseKeys.has(`${prefix}${original}`)) map.set(caller.key, `${prefix}${original}`);
    }
    return map;
  }

  // --- APIs, backends, certificates ---------------------------------------------------------------

  private orphanedPins(): void {
    if (!this.base || !this.head) return;
    const baseCertificates = new Map(
      this.base.callers.filter((caller) => caller.kind === CallerKind.CERTIFICATE && !caller.placeholderThumbprint).map((caller) => [caller.thumbprint!, caller.certificate!]),
    );
    for (const caller of this.head.callers) {
      if (caller.kind !== CallerKind.PINNED_THUMBPRINT) continue;
      const address = baseCertificates.get(caller.thumbprint!);
      const certificate = this.baseFacts?.certificates.find((candidate) => candidate.address === address);
      if (!certificate) continue;
      this.changes.push({ kind: 'pin-orphaned', impact: ChangeImpact.WEAKENED, subject: this.subject({ resource: certificate.address }), thumbprint: caller.thumbprint!, formerly: facts(certificate) });
    }
  }

  private apis(): void {
    const baseApis = new Map((this.base?.operations ?? []).map((row) => [row.ref.apiMatch, row]));
    const baseFacts = new Map((this.baseFacts?.apis ?? []).map((api) => [api.key, api]));
    const headFacts = new Map((this.headFacts?.apis ?? []).map((api) => [api.key, api]));
    for (const row of firstPerApi(this.head?.operations ?? [])) {
      const baseRow = baseApis.get(row.ref.apiMatch);
      if (!baseRow) continue;
      const before = baseFacts.get(baseRow.ref.api)?.subscriptionRequired;
      const after = headFacts.get(row.ref.api)?.subscriptionRequired;
      if (before?.known && after?.known && before.value !== after.value) {
        this.changes.push({
          kind: 'subscription',
          impact: after.value ? ChangeImpact.STRENGTHENED : ChangeImpact.WEAKENED,
          subject: this.apiSubject(row),
          before: before.value,
          after: after.value,
        });
      }
    }
  }

  private backends(): void {
    const nameOf = (backend: PlanService['backends'][number]) => (backend.name.known ? `name:${backend.name.value}` : backend.address);
    const baseBackends = new Map((this.baseFacts?.backends ?? []).map((backend) => [nameOf(backend), backend]));
    for (const after of this.headFacts?.backends ?? []) {
      const before = baseBackends.get(nameOf(after));
      if (!before) continue;
      const name = after.name.known ? after.name.value : after.address;
      const subject = this.subject({ resource: after.address });
      for (const check of ['chain', 'name'] as const) {
        const was = check === 'chain' ? before.validateCertificateChain : before.validateCertificateName;
        const now = check === 'chain' ? after.validateCertificateChain : after.validateCertificateName;
        const wasOn = was?.known === true && was.value;
        const isOn = now?.known === true && now.value;
        if (wasOn === isOn) continue;
        this.changes.push({
          kind: 'backend-tls',
          impact: isOn ? ChangeImpact.STRENGTHENED : ChangeImpact.WEAKENED,
          subject,
          backend: name,
          check,
          ...(was?.known ? { before: was.value } : {}),
          ...(now?.known ? { after: now.value } : {}),
        });
      }
      const urlBefore = before.url.known ? before.url.value : undefined;
      const urlAfter = after.url.known ? after.url.value : undefined;
      if (urlBefore !== urlAfter) {
        const moved = hostOf(urlBefore) !== hostOf(urlAfter);
        this.changes.push({
          kind: 'backend-url',
          impact: moved ? ChangeImpact.WEAKENED : ChangeImpact.TO_NOTE,
          subject,
          backend: name,
          ...(urlBefore !== undefined ? { before: urlBefore } : {}),
          ...(urlAfter !== undefined ? { after: urlAfter } : {}),
        });
      }
    }
  }

  private certificates(): void {
    const baseCertificates = this.baseFacts?.certificates ?? [];
    const headCertificates = this.headFacts?.certificates ?? [];
    const matchedBase = new Set<string>();
    for (const after of headCertificates) {
      const sameAddress = baseCertificates.find((certificate) => certificate.address === after.address);
      const sameSource = baseCertificates.find((certificate) => sourceIdentity(certificate.source) === sourceIdentity(after.source) && !matchedBase.has(certificate.address));
      const before = sameAddress ?? sameSource;
      if (!before) {
        this.changes.push({ kind: 'certificate', impact: ChangeImpact.TO_NOTE, subject: this.subject({ resource: after.address }), change: 'added', after: facts(after) });
        continue;
      }
      matchedBase.add(before.address);
      const change = certificateChange(before, after);
      if (change) {
        this.changes.push({
          kind: 'certificate',
          impact: change === 'rotated' ? ChangeImpact.TO_NOTE : ChangeImpact.WEAKENED,
          subject: this.subject({ resource: after.address }),
          change,
          before: facts(before),
          after: facts(after),
        });
      }
    }
    for (const before of baseCertificates) {
      if (matchedBase.has(before.address)) continue;
      this.changes.push({ kind: 'certificate', impact: ChangeImpact.TO_NOTE, subject: this.subject({ resource: before.address }), change: 'removed', before: facts(before) });
    }
  }
}

/**
 * How a certificate at one address (or from one source) changed. Claims describe it; the
 * source (PFX file content, else its hash in the asset path; Key Vault secret) identifies it.
 * Same source with other claims: the claims were edited. A PFX whose content changed while its
 * claims did not: the claims are stale. Another source: a rotation only when subject and issuer
 * are known and unchanged.
 */
function certificateChange(before: PlanCertificate, after: PlanCertificate): 'claims-changed' | 'claims-stale' | 'rotated' | 'replaced' | 'replaced-unverified' | undefined {
  const b = before.claims;
  const a = after.claims;
  const differs = (x?: string, y?: string) => x !== undefined && y !== undefined && x.toUpperCase() !== y.toUpperCase();
  if (sourceIdentity(before.source) === sourceIdentity(after.source)) {
    return differs(b?.thumbprint, a?.thumbprint) || differs(b?.subject, a?.subject) || differs(b?.issuer, a?.issuer) ? 'claims-changed' : undefined;
  }
  // Other content, same thumbprint claimed: the claims were not read from the file deployed.
  if (b?.thumbprint !== undefined && a?.thumbprint !== undefined && !differs(b.thumbprint, a.thumbprint)) return 'claims-stale';
  if (b?.subject === undefined || b.issuer === undefined || a?.subject === undefined || a.issuer === undefined) return 'replaced-unverified';
  return b.subject === a.subject && b.issuer === a.issuer ? 'rotated' : 'replaced';
}

function facts(certificate: PlanCertificate): CertificateFacts {
  return {
    address: certificate.address,
    ...(certificate.name.known ? { name: certificate.name.value } : {}),
    ...(certificate.thumbprintKnown ? { thumbprint: certificate.thumbprint } : {}),
    ...(certificate.claims?.subject !== undefined ? { subject: certificate.claims.subject } : {}),
    ...(certificate.claims?.issuer !== undefined ? { issuer: certificate.claims.issuer } : {}),
  };
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}

function admittedOrUndefined(verdict: Verdict | undefined): boolean {
  return verdict !== undefined && admitted(verdict);
}

function firstPerApi(rows: readonly OperationAccess[]): OperationAccess[] {
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(row.ref.apiMatch) && seen.add(row.ref.apiMatch) !== undefined);
}

/** The scopes whose written policy differs between two chains, matched by kind. */
function policyChanges(before: readonly ChainScope[], after: readonly ChainScope[]): PolicyChange[] {
  const changes: PolicyChange[] = [];
  const textOf = (scope?: ChainScope) => (scope === undefined ? undefined : (scope.written ?? (scope.text.known ? scope.text.value : '')));
  for (const kind of new Set([...before, ...after].map((scope) => scope.kind))) {
    const b = before.find((scope) => scope.kind === kind);
    const a = after.find((scope) => scope.kind === kind);
    const beforeText = textOf(b);
    const afterText = textOf(a);
    if (beforeText === afterText) continue;
    changes.push({ scope: kind, address: (a ?? b)!.address, ...(beforeText !== undefined ? { before: beforeText } : {}), ...(afterText !== undefined ? { after: afterText } : {}) });
  }
  return changes;
}

/** Finding codes whose appearance counts for itself (the cell findings are the matrix's changes already). */
const FINDING_IMPACT: Partial<Record<FindingCode, ChangeImpact>> = {
  'unreadable-configuration': ChangeImpact.WEAKENED,
  'conflicting-claims': ChangeImpact.WEAKENED,
  'plain-http-accepted': ChangeImpact.WEAKENED,
  'literal-secret': ChangeImpact.WEAKENED,
  'service-does-not-ask': ChangeImpact.TO_NOTE,
  'client-certificate-flag-refused': ChangeImpact.TO_NOTE,
  'key-vault-certificate-pinned': ChangeImpact.TO_NOTE,
  'versioned-key-vault-secret': ChangeImpact.TO_NOTE,
  'named-certificate-rejected': ChangeImpact.TO_NOTE,
  'nobody-admitted': ChangeImpact.TO_NOTE,
};

/** Findings that appeared (and, for weakening ones, disappeared), compared by code and subject. */
function diffFindings(base: readonly Finding[], head: readonly Finding[]): AccessChange[] {
  const baseKeys = new Set(base.map(findingKey));
  const headKeys = new Set(head.map(findingKey));
  const changes: AccessChange[] = [];
  const subjectOf = (finding: Finding): ChangeSubject => {
    const s = finding.subject;
    return {
      service: s.service,
      ...(s.serviceName !== undefined ? { serviceName: s.serviceName } : {}),
      ...(s.api !== undefined ? { api: s.api } : {}),
      ...(s.apiPath !== undefined ? { apiPath: s.apiPath } : {}),
      ...(s.apiName !== undefined ? { apiName: s.apiName } : {}),
      ...(s.resource !== undefined ? { resource: s.resource } : {}),
    };
  };
  for (const finding of head) {
    const impact = FINDING_IMPACT[finding.code];
    if (impact !== undefined && !baseKeys.has(findingKey(finding))) changes.push({ kind: 'finding', impact, subject: subjectOf(finding), added: true, finding });
  }
  for (const finding of base) {
    const impact = FINDING_IMPACT[finding.code];
    if (impact === ChangeImpact.WEAKENED && !headKeys.has(findingKey(finding))) {
      changes.push({ kind: 'finding', impact: ChangeImpact.STRENGTHENED, subject: subjectOf(finding), added: false, finding });
    }
  }
  return changes;
}
