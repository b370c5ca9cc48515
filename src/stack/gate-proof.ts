import { X509Certificate } from 'node:crypto';
import { AccessCell, accessMatrix, Caller, CallerKind, OperationRef } from '../access';
import { known, Plan, PlanApi, PlanService } from '../plan';
import { TrustKind } from '../policy/client-certificate-trust';
import { sameNamesInOtherOrder } from '../policy/distinguished-name';
import { GateScope } from '../policy/gated-policy-document';
import { SimulatedCertificate } from '../policy/simulator';
import { sideDoors } from './side-doors';
import { reportedCallers, UNTRUSTED, UntrustedCaller } from './untrusted-callers';

/** A gate as the proof sees it: where its policy is and what it promises. */
export interface ProvenGate {
  /** Construct path, for messages. */
  readonly name: string;
  /** Terraform address of the policy resource that holds the gate. */
  readonly policyAddress: string;
  /** The scope the gate guards. */
  readonly scope: GateScope;
  readonly trustKind: TrustKind;
  /** Thumbprints the gate pins (upper case). */
  readonly thumbprints: readonly string[];
  /** Addresses of the uploaded certificates the gate trusts. */
  readonly certificates: readonly string[];
  readonly issuer?: string;
  readonly subject?: string;
  readonly verifyChain: boolean;
  readonly checkRevocation: boolean;
  /** The gate statement alone in a policy document, as the gate's options render it. */
  readonly gateDocument: string;
}

/** How an override or escape hatch took the gate's own policy resource away from what the construct wrote. */
export type Tampering =
  /** The resource is not in the synthesized stack (`node.tryRemoveChild`). */
  | { readonly kind: 'removed' }
  /** `count` or `for_each`: whether the gate exists is decided at apply, or it does not exist. */
  | { readonly kind: 'conditional'; readonly attribute: 'count' | 'for_each'; readonly value: unknown }
  /** `lifecycle.ignore_changes` keeps Terraform from ever writing (or correcting) the document. */
  | { readonly kind: 'ignore-changes'; readonly value: unknown }
  /** An attribute that names the gated scope was changed: the gate lands on another scope. */
  | { readonly kind: 'retargeted'; readonly attribute: string; readonly written: unknown; readonly expected: unknown }
  /** The document was replaced by one only Terraform can compute (`xml_link`, an interpolation). */
  | { readonly kind: 'document-unknown'; readonly reason: string };

/** Why a trusted certificate fails its own gate. */
export type LockoutCause =
  /** The rule names the certificate's attributes in another order (openssl's, not .NET's). */
  | { readonly kind: 'issuer-order' | 'subject-order'; readonly written: string; readonly dotnet: string }
  /** The rule names another DN than the certificate has. */
  | { readonly kind: 'issuer' | 'subject'; readonly written: string; readonly dotnet: string }
  /** Chain validation, but no CA uploaded to the service issues the (self-signed) certificate. */
  | { readonly kind: 'no-issuing-ca'; readonly issuer: string; /** The service is on Consumption, which holds no CA certificates. */ readonly consumption?: boolean }
  /** Chain validation, but the chain's root is uploaded to the intermediate (CertificateAuthority) store only. */
  | { readonly kind: 'anchor-store'; readonly root: string }
  /** Revocation checks on a chain that ends at a private CA, whose CRL/OCSP APIM cannot reach. */
  | { readonly kind: 'revocation'; readonly issuer: string }
  | { readonly kind: 'other'; readonly element?: string; readonly detail?: string };

export type GateFinding =
  | {
      /** A caller without a certificate, or with an unknown one, is let past the gate. */
      readonly code: 'bypass';
      readonly gate: ProvenGate;
      /** The callers let past, sorted. */
      readonly callers: readonly UntrustedCaller[];
      /** `ends-before-gate`: the simulation ended before the gate ran, in a way it could not fully judge. */
      readonly outcome: 'forwarded' | 'answered' | 'ends-before-gate';
      /** For `ends-before-gate`: what the simulator could not judge. */
      readonly undecided?: string;
      /** The element that answered or routed them, when the simulation names it. */
      readonly by?: { readonly scope: string; readonly element: string };
      /** The policy resource whose document let it through (the outermost scope that ran). */
      readonly responsible: string;
      /** Whether the gate's own policy ran at all. */
      readonly gateRan: boolean;
      /** Request headers the callers get past with by repeating their certificate's thumbprint in them. */
      readonly chosenHeaders?: readonly string[];
      readonly operations: readonly OperationRef[];
    }
  | {
      /** A certificate the gate trusts is rejected by the gate itself. */
      readonly code: 'lockout';
      readonly gate: ProvenGate;
      /** The certificate's address, or `thumbprint:<T>` for one pinned by thumbprint only. */
      readonly certificate: string;
      readonly cause: LockoutCause;
    }
  | {
      /**
       * A product gate's API is also reachable over a route that never runs it: without a
       * subscription key (`subscription_required = false`), through an open product, or through
       * another product. The first two admit anyone and are errors; the third admits that
       * product's subscribers and is a warning.
       */
      readonly code: 'side-door';
      readonly gate: ProvenGate;
      readonly via: 'no-subscription' | 'open-product' | 'other-product';
      /** The API (for `no-subscription`) or the product resource that opens the route. */
      readonly responsible: string;
      readonly productId?: string;
      readonly callers: readonly UntrustedCaller[];
      readonly operations: readonly OperationRef[];
    }
  | {
      /**
       * The gated API has several revisions in the stack. API Management keeps a policy per
       * revision and a gate naming the API runs for its current revision only; the others answer
       * at `<path>;rev=<n>` without it.
       */
      readonly code: 'uncovered-revision';
      readonly gate: ProvenGate;
      readonly api: string;
      readonly service: string;
      /** Revisions that no gate names with `;rev=<n>`; one of them is the current one. */
      readonly revisions: ReadonlyArray<{ readonly revision: string; readonly address: string }>;
    }
  | {
      /** An override or escape hatch changed the gate's own policy resource. */
      readonly code: 'tampered';
      readonly gate: ProvenGate;
      readonly how: Tampering;
    }
  | {
      /** Something only Terraform or the certificate itself knows keeps the proof open. */
      readonly code: 'unproven';
      readonly gate: ProvenGate;
      readonly what: string;
      readonly operations: readonly OperationRef[];
    };


/**
 * Judges the gates of a stack with the review's engine (plan reader + access matrix):
 * - every operation whose composed chain holds a gate's policy must reject a caller without a
 *   certificate, one with an unknown certificate and one sending a forged forwarding header (only
 *   those callers are simulated, so the proof stays linear in the size of the stack);
 * - an API under a product gate must not be reachable by those callers over a route that never
 *   runs the product's policy (`sideDoors`);
 * - each certificate a gate trusts must pass the gate itself: its gate document alone is
 *   simulated for the callers it trusts, once per distinct gate and service.
 * Findings are data; `gateFindingMessage` words them.
 */
export function proveGates(plan: Plan, gates: readonly ProvenGate[], now?: Date): GateFinding[] {
  const byPolicy = new Map(gates.map((gate) => [gate.policyAddress, gate]));
  const bypasses = new Map<string, Draft<Extract<GateFinding, { code: 'bypass' }>>>();
  const unproven = new Map<string, Draft<Extract<GateFinding, { code: 'unproven' }>>>();
  const matrix = accessMatrix(plan, { now, callers: (caller) => UNTRUSTED.has(caller.kind) });
  for (const service of matrix.services) {
    for (const operation of service.operations) {
      for (const scope of operation.chain) {
        const gate = byPolicy.get(scope.address);
        if (!gate) continue;
        for (const cell of operation.cells) {
          const untrusted = UNTRUSTED.get(cell.caller.kind)!;
          const verdict = cell.verdict;
          // A simulation that ended before the gate's scope ran was decided by something else,
          // whatever the parts the simulator could not judge would have done.
          // The gate judges in its scope's <inbound>: a <base /> of another section reaching the scope does not run it.
          // An answer from a scope outside the gate's came from its <inbound> before the <base /> that leads to the gate returned.
          const answeredBy = verdict.kind === 'answered' ? verdict.by?.scope : undefined;
          const depth = (address: string) => operation.chain.findIndex((candidate) => candidate.address === address);
          const answeredOutside = answeredBy !== undefined && answeredBy !== gate.policyAddress && depth(answeredBy) >= 0 && depth(answeredBy) < depth(gate.policyAddress);
          const gateRan = cell.inboundScopesRun.includes(gate.policyAddress) && !answeredOutside;
          const endedBeforeGate = verdict.kind === 'undecided' && cell.inboundScopesRun.length > 0 && !gateRan;
          if (verdict.kind === 'forwarded' || verdict.kind === 'answered' || endedBeforeGate) {
            const responsible = answeredOutside ? answeredBy : (cell.inboundScopesRun[cell.inboundScopesRun.length - 1] ?? scope.address);
            const outcome = verdict.kind === 'undecided' ? 'ends-before-gate' : verdict.kind;
            const chosenHeaders = verdict.kind !== 'undecided' ? (verdict.chosenHeaders ?? []).join(',') : '';
            const key = `${gate.policyAddress}|${responsible}|${outcome}|${chosenHeaders}`;
            const found = bypasses.get(key) ?? {
              code: 'bypass',
              gate,
              callers: [],
              outcome,
              responsible,
              gateRan,
              operations: [],
              ...(verdict.kind === 'answered' && verdict.by ? { by: verdict.by } : {}),
              ...(verdict.kind === 'undecided' ? { undecided: verdict.reason } : {}),
              ...(verdict.kind !== 'undecided' && verdict.chosenHeaders ? { chosenHeaders: verdict.chosenHeaders } : {}),
            };
            bypasses.set(key, found);
            if (!found.callers.includes(untrusted)) found.callers.push(untrusted);
            if (found.operations[found.operations.length - 1] !== operation.ref) found.operations.push(operation.ref);
          } else {
            // Rejected, but only for the headers this caller sent: a caller may send others.
            const what =
              verdict.kind === 'undecided'
                ? verdict.reason
                : cell.headersNotSent &&
                  `the policies read request header${cell.headersNotSent.length > 1 ? 's' : ''} ${cell.headersNotSent.map((name) => `"${name}"`).join(', ')}, which any caller can send, so a caller that sends ${cell.headersNotSent.length > 1 ? 'them' : 'it'} may fare otherwise than the simulated one`;
            if (what === undefined) continue;
            const key = `${gate.policyAddress}|${what}`;
            const found = unproven.get(key) ?? { code: 'unproven', gate, what, operations: [] };
            unproven.set(key, found);
            if (found.operations[found.operations.length - 1] !== operation.ref) found.operations.push(operation.ref);
          }
        }
      }
    }
  }
  for (const bypass of bypasses.values()) bypass.callers = reportedCallers(bypass.callers);
  return [...bypasses.values(), ...sideDoors(matrix, gates), ...unproven.values(), ...lockouts(plan, gates, now)];
}

/** Trusted certificates each gate rejects by itself, simulated once per distinct gate and service. */
function lockouts(plan: Plan, gates: readonly ProvenGate[], now: Date | undefined): GateFinding[] {
  const serviceOfPolicy = new Map<string, PlanService>();
  for (const service of plan.services) {
    for (const policy of [service.policy, ...service.products.map((p) => p.policy), ...service.apis.map((a) => a.policy)]) {
      if (policy) for (const address of policy.address.split(',')) serviceOfPolicy.set(address.trim(), service);
    }
  }
  const evaluated = new Map<string, ReadonlyArray<AccessCell>>();
  const findings: GateFinding[] = [];
  for (const gate of gates) {
    const service = serviceOfPolicy.get(gate.policyAddress);
    if (!service) continue;
    const key = JSON.stringify([service.key, gate.gateDocument, gate.trustKind, gate.thumbprints, gate.certificates]);
    let rejected = evaluated.get(key);
    if (!rejected) {
      const alone = accessMatrix(gateAlone(plan, service, gate), { now, callers: (caller) => trusts(gate, caller) });
      rejected = alone.services.flatMap((s) => s.operations.flatMap((operation) => operation.cells)).filter((cell) => cell.verdict.kind === 'rejected');
      evaluated.set(key, rejected);
    }
    const facts = new ServiceFacts(service);
    findings.push(...rejected.flatMap((cell) => facts.lockout(gate, cell) ?? []));
  }
  return findings;
}

/** The plan of one service whose only API runs the gate document alone, so only the gate judges. */
function gateAlone(plan: Plan, service: PlanService, gate: ProvenGate): Plan {
  const api: PlanApi = {
    key: `${service.key}/api:gate`,
    name: 'gate',
    path: known('gate'),
    protocols: known(['https']),
    subscriptionRequired: known(false),
    policy: { address: gate.policyAddress, text: known(gate.gateDocument) },
    operations: [{ key: 'GET /', method: 'GET', urlTemplate: '/', source: 'resource' }],
    productLinks: [],
  };
  return { ...plan, services: [{ ...service, policy: undefined, products: [], apis: [api] }] };
}

type Draft<T> = { -readonly [K in keyof T]: T[K] extends ReadonlyArray<infer U> ? U[] : T[K] };

/** Whether the gate's trust names this caller (its copies, expired or impostor, are never trusted). */
function trusts(gate: ProvenGate, caller: Caller): boolean {
  if (caller.kind === CallerKind.CERTIFICATE) {
    if (gate.trustKind === TrustKind.UPLOADED_CERTIFICATES) return true;
    return gate.certificates.includes(caller.certificate!) || (caller.thumbprint !== undefined && gate.thumbprints.includes(caller.thumbprint));
  }
  return caller.kind === CallerKind.PINNED_THUMBPRINT && gate.thumbprints.includes(caller.thumbprint!);
}

/** What the plan knows of a service's certificates, to tell why a trusted one is rejected. */
class ServiceFacts {
  private caSubjects?: Set<string>;
  private cas?: ReadonlyArray<{ readonly certificate: SimulatedCertificate; readonly store?: string }>;

  constructor(private readonly plan: PlanService) {}

  /** Why the gate rejects a certificate it trusts, or undefined when the simulation cannot tell. */
  lockout(gate: ProvenGate, cell: AccessCell): GateFinding | undefined {
    const caller = cell.caller;
    // Without a password at synth, the gate compares a thumbprint only Terraform knows with a
    // stand-in: a rejection by that comparison alone says nothing about the certificate.
    const needsNames = gate.subject !== undefined || gate.issuer !== undefined || gate.verifyChain;
    if (caller.placeholderThumbprint && !needsNames) return undefined;
    const certificate = caller.certificate ?? `thumbprint:${caller.thumbprint}`;
    const label = caller.certificate ?? `the certificate with thumbprint ${caller.thumbprint}`;
    const claims = caller.certificate ? this.plan.certificates.find((c) => c.address === caller.certificate)?.claims : undefined;
    const namesKnown = caller.subject !== undefined && caller.issuer !== undefined && !caller.placeholderThumbprint;
    if (!namesKnown) {
      const needs = [gate.subject && 'subject', gate.issuer && 'issuer', gate.verifyChain && 'chain'].filter(Boolean).join(', ');
      return {
        code: 'unproven',
        gate,
        what: `the trusted certificate ${label} is rejected by the gate's ${needs || 'checks'} in the simulation, but its names and issuer are not known at synth (a Key Vault certificate, a PFX not inspected, or a thumbprint alone), so a lockout cannot be proven`,
        operations: [],
      };
    }
    for (const [kind, written, actual] of [
      ['subject', gate.subject, caller.subject!],
      ['issuer', gate.issuer, caller.issuer!],
    ] as const) {
      // The gate compares the text exactly: spacing or case that differs from .NET's is a mismatch too.
      if (written === undefined || written === actual) continue;
      return { code: 'lockout', gate, certificate, cause: { kind: sameNamesInOtherOrder(written, actual) ? `${kind}-order` : kind, written, dotnet: actual } };
    }
    if (gate.verifyChain) {
      const root = this.rootUploadedAsIntermediate(caller.issuer!);
      if (root !== undefined) return { code: 'lockout', gate, certificate, cause: { kind: 'anchor-store', root } };
      const issuedByUploadedCa = this.caSubjectSet().has(caller.issuer!);
      if (!issuedByUploadedCa) {
        if (claims?.selfSigned) {
          const consumption = this.plan.skuName?.known === true && this.plan.skuName.value.startsWith('Consumption');
          return { code: 'lockout', gate, certificate, cause: { kind: 'no-issuing-ca', issuer: caller.issuer!, ...(consumption ? { consumption } : {}) } };
        }
        return {
          code: 'unproven',
          gate,
          what: `verifyChain rejects the trusted certificate ${label} unless "${caller.issuer}" chains to a publicly trusted root: no CA certificate uploaded to the service issues it`,
          operations: [],
        };
      }
      if (gate.checkRevocation) return { code: 'lockout', gate, certificate, cause: { kind: 'revocation', issuer: caller.issuer! } };
    }
    const verdict = cell.verdict.kind === 'rejected' ? cell.verdict : undefined;
    return { code: 'lockout', gate, certificate, cause: { kind: 'other', element: verdict?.by?.element, detail: verdict?.detail } };
  }

  private caSubjectSet(): Set<string> {
    this.caSubjects ??= new Set(this.caCertificates().map(({ certificate }) => certificate.subject));
    return this.caSubjects;
  }

  /**
   * The subject of the root that ends the chain above `issuer`, when that root is uploaded to
   * the CertificateAuthority store only (where it anchors nothing).
   */
  private rootUploadedAsIntermediate(issuer: string): string | undefined {
    const cas = this.caCertificates();
    let subject = issuer;
    for (let depth = 0; depth < 8; depth++) {
      const uploads = cas.filter(({ certificate }) => certificate.subject === subject);
      if (uploads.length === 0) return undefined;
      const ca = uploads[0].certificate;
      if (ca.isSelfSigned) return uploads.every(({ store }) => store === 'CertificateAuthority') ? subject : undefined;
      subject = ca.issuer;
    }
    return undefined;
  }

  private caCertificates(): ReadonlyArray<{ readonly certificate: SimulatedCertificate; readonly store?: string }> {
    this.cas ??= this.plan.caCertificates.flatMap((ca) =>
      ca.der.known ? [{ certificate: SimulatedCertificate.of(new X509Certificate(Buffer.from(ca.der.value, 'base64'))), store: ca.store.known ? ca.store.value : undefined }] : [],
    );
    return this.cas;
  }
}
