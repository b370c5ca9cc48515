import { code, text } from './markdown';
import {
  AnnotationLevel,
  CertificateChecks,
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
import { compareText } from './synthesized-plan';

/** What a change does to access control. */
export enum ChangeImpact {
  /** More callers may get in, a check is gone, or the review can no longer tell. */
  WEAKENED = 'weakened',
  /** Fewer callers may get in, or a check was added. */
  STRENGTHENED = 'strengthened',
  /** Worth a look, but neither: a new API with a recognised gate, a URL, a reject status. */
  NEUTRAL = 'neutral',
}

export enum ChangeSubjectKind {
  SERVICE = 'service',
  API = 'api',
  BACKEND = 'backend',
  CERTIFICATE = 'certificate',
  ANNOTATION = 'annotation',
}

export interface SecurityChange {
  readonly impact: ChangeImpact;
  readonly stack: string;
  readonly subjectKind: ChangeSubjectKind;
  /** The thing that changed, as Markdown (values in code spans). */
  readonly subject: string;
  /** What changed, as Markdown (values in code spans). */
  readonly description: string;
}

/**
 * The security-relevant differences from `base` to `head`, each classified. Entities are matched
 * by stack, service name and their own name. Sorted: weakened first, then strengthened, neutral.
 */
export function diffSecurityModels(base: SecurityModel, head: SecurityModel): SecurityChange[] {
  const changes: SecurityChange[] = [];
  const baseStacks = new Map(base.stacks.map((s) => [s.name, s]));
  const headStacks = new Map(head.stacks.map((s) => [s.name, s]));
  const empty = (name: string): ReviewedStack => ({ name, services: [], apis: [], backends: [], certificates: [], otherPolicies: [], annotations: [] });
  for (const name of [...new Set([...baseStacks.keys(), ...headStacks.keys()])].sort(compareText)) {
    new StackDiff(baseStacks.get(name) ?? empty(name), headStacks.get(name) ?? empty(name), changes).run();
  }
  return changes.sort(compareChanges);
}

const IMPACT_ORDER = [ChangeImpact.WEAKENED, ChangeImpact.STRENGTHENED, ChangeImpact.NEUTRAL];
const KIND_ORDER = [ChangeSubjectKind.SERVICE, ChangeSubjectKind.API, ChangeSubjectKind.BACKEND, ChangeSubjectKind.CERTIFICATE, ChangeSubjectKind.ANNOTATION];

function compareChanges(a: SecurityChange, b: SecurityChange): number {
  return (
    IMPACT_ORDER.indexOf(a.impact) - IMPACT_ORDER.indexOf(b.impact) ||
    compareText(a.stack, b.stack) ||
    KIND_ORDER.indexOf(a.subjectKind) - KIND_ORDER.indexOf(b.subjectKind) ||
    compareText(a.subject, b.subject) ||
    compareText(a.description, b.description)
  );
}

function byKey<T extends { key: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.key, item]));
}

function keysOf<T>(a: Map<string, T>, b: Map<string, T>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].sort(compareText);
}

function apiSubject(api: ReviewedApi): string {
  return api.path !== undefined ? `API ${code('/' + api.path.replace(/^\/+/, ''))} (${code(api.name)})` : `API ${code(api.name)}`;
}

function memberText(member: TrustMember): string {
  const names = member.certificateNames.length > 0 ? ` (certificate ${member.certificateNames.map(code).join(', ')})` : '';
  switch (member.kind) {
    case TrustMemberKind.THUMBPRINT:
      if (member.thumbprint !== undefined) return `thumbprint ${code(member.thumbprint)}${names}`;
      return member.certificateNames.length > 0
        ? `the thumbprint of certificate ${member.certificateNames.map(code).join(', ')}`
        : `thumbprint ${code(member.reference ?? '')}`;
    case TrustMemberKind.CERTIFICATE_ID:
      return `the certificate uploaded as ${code(member.certificateId ?? '')}`;
    case TrustMemberKind.ANY_UPLOADED:
      return 'any certificate uploaded to the service';
    case TrustMemberKind.ANY_CERTIFICATE:
      return 'any certificate (nothing pinned)';
    case TrustMemberKind.ANYONE:
      return 'every caller, with or without a certificate';
    case TrustMemberKind.NOT_UPLOADED:
      return 'any certificate NOT uploaded to the service (inverted check)';
    case TrustMemberKind.IDENTITY:
      return `identity ${(member.claims ?? []).map((c) => `${text(c.name)} ${code(c.value)}`).join(', ')}`;
  }
}

const CHECK_NAMES: Record<keyof CertificateChecks, string> = {
  chain: 'chain validation',
  revocation: 'revocation check',
  notBefore: 'not-before check',
  notAfter: 'not-after (expiry) check',
};

class StackDiff {
  constructor(
    private readonly base: ReviewedStack,
    private readonly head: ReviewedStack,
    private readonly changes: SecurityChange[],
  ) {}

  run(): void {
    this.services();
    this.apis();
    this.backends();
    this.certificates();
    this.annotations();
  }

  private add(impact: ChangeImpact, subjectKind: ChangeSubjectKind, subject: string, description: string): void {
    this.changes.push({ impact, stack: this.head.name, subjectKind, subject, description });
  }

  private services(): void {
    const before = byKey(this.base.services);
    const after = byKey(this.head.services);
    for (const key of keysOf(before, after)) {
      const b = before.get(key);
      const a = after.get(key);
      const subject = `Service ${code((a ?? b)!.name)}`;
      const kind = ChangeSubjectKind.SERVICE;
      if (!b) {
        this.add(ChangeImpact.NEUTRAL, kind, subject, a!.managed ? 'new service' : 'newly referenced service, not managed by this plan');
        continue;
      }
      if (!a) {
        this.add(ChangeImpact.NEUTRAL, kind, subject, 'no longer in the plan');
        continue;
      }
      if (b.skuName !== a.skuName) this.add(ChangeImpact.NEUTRAL, kind, subject, `SKU changed from ${code(b.skuName ?? 'unset')} to ${code(a.skuName ?? 'unset')}`);
      const asks = (s: ReviewedService) => s.requiredMechanism !== undefined && s.mechanisms.includes(s.requiredMechanism);
      if (asks(b) && !asks(a)) {
        this.add(ChangeImpact.NEUTRAL, kind, subject, 'no longer asks callers for client certificates: every caller of a gated API will be rejected');
      } else if (!asks(b) && asks(a)) {
        this.add(ChangeImpact.NEUTRAL, kind, subject, 'now asks callers for client certificates, so gated APIs start admitting their trusted callers');
      }
      const added = a.caCertificateStores.length - b.caCertificateStores.length;
      if (added > 0) this.add(ChangeImpact.WEAKENED, kind, subject, `${added} more CA certificate(s) trusted for client certificate chain validation`);
      if (added < 0) this.add(ChangeImpact.STRENGTHENED, kind, subject, `${-added} fewer CA certificate(s) trusted for client certificate chain validation`);
    }
  }

  private apis(): void {
    const before = byKey(this.base.apis);
    const after = byKey(this.head.apis);
    const kind = ChangeSubjectKind.API;
    for (const key of keysOf(before, after)) {
      const b = before.get(key);
      const a = after.get(key);
      const subject = apiSubject((a ?? b)!);
      if (!b) {
        const api = a!;
        if (api.gate.status === ReviewedGateStatus.RECOGNISED) {
          this.add(ChangeImpact.NEUTRAL, kind, subject, `new API, trusting ${api.gate.members.map(memberText).join('; ')}: check who may call it`);
        } else {
          this.add(ChangeImpact.WEAKENED, kind, subject, `new API: ${gateStatusText(api.gate)}`);
        }
        continue;
      }
      if (!a) {
        this.add(ChangeImpact.STRENGTHENED, kind, subject, 'API removed');
        continue;
      }
      this.gate(subject, b, a);
      if (b.path !== a.path) this.add(ChangeImpact.NEUTRAL, kind, subject, `path changed from ${code(b.path ?? '')} to ${code(a.path ?? '')}`);
      if (b.subscriptionRequired !== false && a.subscriptionRequired === false) {
        this.add(ChangeImpact.WEAKENED, kind, subject, 'callers no longer need a subscription key');
      } else if (b.subscriptionRequired === false && a.subscriptionRequired !== false) {
        this.add(ChangeImpact.STRENGTHENED, kind, subject, 'callers now need a subscription key');
      }
      const http = (api: ReviewedApi) => api.protocols.some((p) => p.toLowerCase() === 'http');
      if (!http(b) && http(a)) this.add(ChangeImpact.WEAKENED, kind, subject, 'now accepts plain http, where no client certificate is presented');
      if (http(b) && !http(a)) this.add(ChangeImpact.STRENGTHENED, kind, subject, 'no longer accepts plain http');
      for (const operation of a.operationsSkippingGate.filter((o) => !b.operationsSkippingGate.includes(o))) {
        this.add(ChangeImpact.WEAKENED, kind, subject, `operation ${code(operation)} now skips the API's gate (its policy has no \`<base />\` in inbound)`);
      }
      for (const operation of b.operationsSkippingGate.filter((o) => !a.operationsSkippingGate.includes(o))) {
        this.add(ChangeImpact.STRENGTHENED, kind, subject, `operation ${code(operation)} no longer skips the API's gate`);
      }
      const target = (api: ReviewedApi) => api.routing.backendId ?? api.routing.baseUrl ?? api.serviceUrl ?? '';
      if (target(b) !== target(a)) {
        this.add(ChangeImpact.NEUTRAL, kind, subject, `now routes to ${code(target(a) || 'nothing set')} instead of ${code(target(b) || 'nothing set')}`);
      }
      const presented = (api: ReviewedApi) => JSON.stringify(api.routing.authenticationCertificates);
      if (presented(b) !== presented(a)) this.add(ChangeImpact.NEUTRAL, kind, subject, 'presents a different client certificate to its backend from the policy');
    }
  }

  private gate(subject: string, b: ReviewedApi, a: ReviewedApi): void {
    const kind = ChangeSubjectKind.API;
    const bg = b.gate;
    const ag = a.gate;
    const recognised = (g: ReviewedGate) => g.status === ReviewedGateStatus.RECOGNISED;
    if (recognised(bg) && !recognised(ag)) {
      this.add(
        ChangeImpact.WEAKENED,
        kind,
        subject,
        ag.status === ReviewedGateStatus.NOT_RECOGNISED
          ? `gate no longer recognised (${text(ag.problem ?? 'unknown form')}): treated as weakened, read it by hand`
          : `gate removed: ${gateStatusText(ag)}`,
      );
      return;
    }
    if (!recognised(bg) && recognised(ag)) {
      this.add(
        bg.status === ReviewedGateStatus.NOT_RECOGNISED ? ChangeImpact.NEUTRAL : ChangeImpact.STRENGTHENED,
        kind,
        subject,
        `now has a recognised gate trusting ${ag.members.map(memberText).join('; ')}`,
      );
      return;
    }
    if (!recognised(bg) && !recognised(ag)) {
      if (bg.status === ag.status && b.policyDigest === a.policyDigest) return;
      if (ag.status === ReviewedGateStatus.NOT_RECOGNISED) {
        this.add(ChangeImpact.WEAKENED, kind, subject, `policy changed and its gate is not recognised (${text(ag.problem ?? 'unknown form')}): treated as weakened, read it by hand`);
      } else if (bg.status === ReviewedGateStatus.NOT_RECOGNISED) {
        this.add(ChangeImpact.WEAKENED, kind, subject, `the gate that was not recognised is gone: now ${gateStatusText(ag)}`);
      } else {
        this.add(ChangeImpact.NEUTRAL, kind, subject, `still no client-certificate gate: now ${gateStatusText(ag)}`);
      }
      return;
    }
    const beforeMembers = new Map(bg.members.map((m) => [m.key, m]));
    const afterMembers = new Map(ag.members.map((m) => [m.key, m]));
    for (const [key, member] of afterMembers) {
      if (!beforeMembers.has(key)) this.add(ChangeImpact.WEAKENED, kind, subject, `now also trusts ${memberText(member)}: more callers are admitted`);
    }
    for (const [key, member] of beforeMembers) {
      if (!afterMembers.has(key)) this.add(ChangeImpact.STRENGTHENED, kind, subject, `no longer trusts ${memberText(member)}`);
    }
    const beforeRules = new Map(bg.rules.map((r) => [r.name, r.value]));
    const afterRules = new Map(ag.rules.map((r) => [r.name, r.value]));
    for (const name of [...new Set([...beforeRules.keys(), ...afterRules.keys()])].sort(compareText)) {
      const before = beforeRules.get(name);
      const after = afterRules.get(name);
      if (before === after) continue;
      if (after === undefined) this.add(ChangeImpact.WEAKENED, kind, subject, `${text(name)} rule ${code(before!)} removed`);
      else if (before === undefined) this.add(ChangeImpact.STRENGTHENED, kind, subject, `new ${text(name)} rule ${code(after)}`);
      else this.add(ChangeImpact.WEAKENED, kind, subject, `${text(name)} rule changed from ${code(before)} to ${code(after)}: other callers are admitted`);
    }
    // Chain validation checks the validity period too, so compare what is checked in effect.
    const effective = (checks: CertificateChecks, check: keyof CertificateChecks) =>
      checks[check] || ((check === 'notBefore' || check === 'notAfter') && checks.chain);
    for (const check of Object.keys(CHECK_NAMES) as Array<keyof CertificateChecks>) {
      const before = effective(bg.checks!, check);
      const after = effective(ag.checks!, check);
      if (before && !after) this.add(ChangeImpact.WEAKENED, kind, subject, `${CHECK_NAMES[check]} turned off`);
      if (!before && after) this.add(ChangeImpact.STRENGTHENED, kind, subject, `${CHECK_NAMES[check]} turned on`);
    }
    if (bg.style !== ag.style) this.add(ChangeImpact.NEUTRAL, kind, subject, `gate style changed from ${code(bg.style!)} to ${code(ag.style!)}`);
    const bothExpressions = bg.style === ReviewedGateStyle.EXPRESSION && ag.style === ReviewedGateStyle.EXPRESSION;
    if (bg.rejectStatusCode !== ag.rejectStatusCode || (bothExpressions && bg.rejectReason !== ag.rejectReason)) {
      this.add(
        ChangeImpact.NEUTRAL,
        kind,
        subject,
        `rejected callers now get ${code(`${ag.rejectStatusCode ?? ''} ${ag.rejectReason ?? ''}`.trim())} instead of ${code(`${bg.rejectStatusCode ?? ''} ${bg.rejectReason ?? ''}`.trim())}`,
      );
    }
  }

  private backends(): void {
    const before = byKey(this.base.backends);
    const after = byKey(this.head.backends);
    const kind = ChangeSubjectKind.BACKEND;
    const validation: Array<[keyof ReviewedBackend & ('validateCertificateChain' | 'validateCertificateName'), string]> = [
      ['validateCertificateChain', 'server certificate chain validation'],
      ['validateCertificateName', 'server certificate name validation'],
    ];
    for (const key of keysOf(before, after)) {
      const b = before.get(key);
      const a = after.get(key);
      const subject = `Backend ${code((a ?? b)!.name)}`;
      if (!b) {
        const off = validation.filter(([field]) => a![field] !== true).map(([, label]) => label);
        if (off.length > 0) this.add(ChangeImpact.WEAKENED, kind, subject, `new backend with ${off.join(' and ')} off or unset`);
        else this.add(ChangeImpact.NEUTRAL, kind, subject, 'new backend');
        continue;
      }
      if (!a) {
        this.add(ChangeImpact.NEUTRAL, kind, subject, 'backend removed');
        continue;
      }
      for (const [field, label] of validation) {
        const was = b[field];
        const now = a[field];
        if (was === now) continue;
        const state = (v: boolean | undefined) => (v === undefined ? 'unset (undocumented default)' : v ? 'on' : 'off');
        const impact = now === true ? ChangeImpact.STRENGTHENED : was === true || (was === undefined && now === false) ? ChangeImpact.WEAKENED : ChangeImpact.STRENGTHENED;
        this.add(impact, kind, subject, `${label} turned ${state(now)} (was ${state(was)})`);
      }
      if (b.url !== a.url) {
        const plain = (url?: string) => url !== undefined && /^http:\/\//i.test(url);
        this.add(plain(a.url) && !plain(b.url) ? ChangeImpact.WEAKENED : ChangeImpact.NEUTRAL, kind, subject, `URL changed from ${code(b.url ?? '')} to ${code(a.url ?? '')}`);
      }
      if (b.presentation !== a.presentation || JSON.stringify(b.clientCertificates) !== JSON.stringify(a.clientCertificates)) {
        const names = (backend: ReviewedBackend) =>
          backend.clientCertificates.map((ref) => code(ref.certificateNames[0] ?? ref.certificateId ?? ref.thumbprint ?? ref.reference ?? '')).join(', ') || 'none';
        this.add(ChangeImpact.NEUTRAL, kind, subject, `client certificate changed from ${names(b)} (${b.presentation}) to ${names(a)} (${a.presentation})`);
      }
    }
  }

  private certificates(): void {
    const before = byKey(this.base.certificates);
    const after = byKey(this.head.certificates);
    const kind = ChangeSubjectKind.CERTIFICATE;
    const admittingApis = (certificate: ReviewedCertificate) =>
      this.head.apis.filter((api) => api.serviceKey === certificate.serviceKey && api.gate.members.some((m) => m.kind === TrustMemberKind.ANY_UPLOADED));
    for (const key of keysOf(before, after)) {
      const b = before.get(key);
      const a = after.get(key);
      const subject = `Certificate ${code((a ?? b)!.name)}`;
      if (!b) {
        const apis = admittingApis(a!);
        if (apis.length > 0) {
          this.add(ChangeImpact.WEAKENED, kind, subject, `newly uploaded; ${apis.map(apiSubject).join(', ')} admit(s) any uploaded certificate, so callers presenting it get in`);
        } else {
          this.add(ChangeImpact.NEUTRAL, kind, subject, 'newly uploaded');
        }
        continue;
      }
      if (!a) {
        this.add(ChangeImpact.NEUTRAL, kind, subject, 'no longer uploaded');
        continue;
      }
      if (b.thumbprint !== a.thumbprint && a.thumbprint !== undefined) {
        const apis = admittingApis(a);
        this.add(
          apis.length > 0 ? ChangeImpact.WEAKENED : ChangeImpact.NEUTRAL,
          kind,
          subject,
          `thumbprint changed from ${code(b.thumbprint ?? 'unknown')} to ${code(a.thumbprint)}${apis.length > 0 ? `; ${apis.map(apiSubject).join(', ')} admit(s) it as an uploaded certificate` : ''}`,
        );
      }
      if (b.origin !== a.origin) this.add(ChangeImpact.NEUTRAL, kind, subject, `source changed from ${code(b.origin)} to ${code(a.origin)}`);
      for (const flag of a.flags.filter((f) => !b.flags.includes(f))) {
        this.add(ChangeImpact.WEAKENED, kind, subject, text(flag));
      }
    }
  }

  private annotations(): void {
    const seen = new Set(this.base.annotations.map((a) => `${a.level}\u0000${a.constructPath}\u0000${a.message}`));
    for (const annotation of this.head.annotations) {
      if (annotation.level === AnnotationLevel.INFO) continue;
      if (seen.has(`${annotation.level}\u0000${annotation.constructPath}\u0000${annotation.message}`)) continue;
      this.add(ChangeImpact.NEUTRAL, ChangeSubjectKind.ANNOTATION, `New synth ${annotation.level}`, `${code(annotation.constructPath)}: ${text(annotation.message)}`);
    }
  }
}

function gateStatusText(gate: ReviewedGate): string {
  switch (gate.status) {
    case ReviewedGateStatus.NO_POLICY:
      return 'no policy in the plan, so nothing checks client certificates';
    case ReviewedGateStatus.NO_GATE:
      return 'its policy checks no client certificate';
    case ReviewedGateStatus.NOT_RECOGNISED:
      return `its gate is not recognised (${text(gate.problem ?? 'unknown form')})`;
    default:
      return 'its gate is recognised';
  }
}

export interface RenderChangesOptions {
  /**
   * Title of the comment.
   * @default 'Client-certificate review: changes'
   */
  readonly title?: string;
}

/** Renders the changes as Markdown for a pull-request comment. */
export function renderChanges(changes: readonly SecurityChange[], options: RenderChangesOptions = {}): string {
  const lines = [`# ${options.title ?? 'Client-certificate review: changes'}`, ''];
  const count = (impact: ChangeImpact) => changes.filter((c) => c.impact === impact).length;
  if (changes.length === 0) {
    lines.push('No security-relevant changes.');
    return lines.join('\n') + '\n';
  }
  lines.push(`**${count(ChangeImpact.WEAKENED)} weakened** · ${count(ChangeImpact.STRENGTHENED)} strengthened · ${count(ChangeImpact.NEUTRAL)} to note`, '');
  const headings: Record<ChangeImpact, string> = {
    [ChangeImpact.WEAKENED]: '## ⚠️ Weakened',
    [ChangeImpact.STRENGTHENED]: '## Strengthened',
    [ChangeImpact.NEUTRAL]: '## To note',
  };
  for (const impact of IMPACT_ORDER) {
    const group = changes.filter((c) => c.impact === impact);
    if (group.length === 0) continue;
    lines.push(headings[impact], '');
    for (const change of group) lines.push(`- ${change.subject} in stack ${code(change.stack)}: ${change.description}`);
    lines.push('');
  }
  return lines.join('\n').trimEnd() + '\n';
}
