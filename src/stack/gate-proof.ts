import { X509Certificate } from 'node:crypto';
import { AccessCell, accessMatrix, Caller, CallerKind, OperationRef } from '../access';
import { known, Plan, PlanApi, PlanService } from '../plan';
import { TrustKind } from '../policy/client-certificate-trust';
import { relativeNames, sameNamesInOtherOrder } from '../policy/distinguished-name';
import { SimulatedCertificate } from '../policy/simulator';

/** A gate as the proof sees it: where its policy is and what it promises. */
export interface ProvenGate {
  /** Construct path, for messages. */
  readonly name: string;
  /** Terraform address of the policy resource that holds the gate. */
  readonly policyAddress: string;
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

/** Why a trusted certificate fails its own gate. */
export type LockoutCause =
  /** The rule names the certificate's attributes in another order (openssl's, not .NET's). */
  | { readonly kind: 'issuer-order' | 'subject-order'; readonly written: string; readonly dotnet: string }
  /** The rule names another DN than the certificate has. */
  | { readonly kind: 'issuer' | 'subject'; readonly written: string; readonly dotnet: string }
  /** Chain validation, but no CA uploaded to the service issues the (self-signed) certificate. */
  | { readonly kind: 'no-issuing-ca'; readonly issuer: string }
  /** Revocation checks on a chain that ends at a private CA, whose CRL/OCSP APIM cannot reach. */
  | { readonly kind: 'revocation'; readonly issuer: string }
  | { readonly kind: 'other'; readonly element?: string; readonly detail?: string };

export type GateFinding =
  | {
      /** A caller without a certificate, or with an unknown one, is let past the gate. */
      readonly code: 'bypass';
      readonly gate: ProvenGate;
      /** The callers let past, sorted. */
      readonly callers: ReadonlyArray<'no-certificate' | 'unknown-certificate'>;
      readonly outcome: 'forwarded' | 'answered';
      /** The policy resource whose document let it through (the outermost scope that ran). */
      readonly responsible: string;
      /** Whether the gate's own policy ran at all. */
      readonly gateRan: boolean;
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
      /** Something only Terraform or the certificate itself knows keeps the proof open. */
      readonly code: 'unproven';
      readonly gate: ProvenGate;
      readonly what: string;
      readonly operations: readonly OperationRef[];
    };

const UNTRUSTED: ReadonlyMap<CallerKind, 'no-certificate' | 'unknown-certificate'> = new Map([
  [CallerKind.NO_CERTIFICATE, 'no-certificate'],
  [CallerKind.UNKNOWN_CERTIFICATE, 'unknown-certificate'],
]);

/**
 * Judges the gates of a stack with the review's engine (plan reader + access matrix):
 * - every operation whose composed chain holds a gate's policy must reject a caller without a
 *   certificate and one with an unknown certificate (only those two callers are simulated, so
 *   the proof stays linear in the size of the stack);
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
          if (verdict.kind === 'forwarded' || verdict.kind === 'answered') {
            const responsible = cell.scopesRun[cell.scopesRun.length - 1] ?? scope.address;
            const key = `${gate.policyAddress}|${responsible}|${verdict.kind}`;
            const found = bypasses.get(key) ?? { code: 'bypass', gate, callers: [], outcome: verdict.kind, responsible, gateRan: cell.scopesRun.includes(gate.policyAddress), operations: [] };
            bypasses.set(key, found);
            if (!found.callers.includes(untrusted)) found.callers.push(untrusted);
            if (found.operations[found.operations.length - 1] !== operation.ref) found.operations.push(operation.ref);
          } else if (verdict.kind === 'undecided') {
            const key = `${gate.policyAddress}|${verdict.reason}`;
            const found = unproven.get(key) ?? { code: 'unproven', gate, what: verdict.reason, operations: [] };
            unproven.set(key, found);
            if (found.operations[found.operations.length - 1] !== operation.ref) found.operations.push(operation.ref);
          }
        }
      }
    }
  }
  for (const bypass of bypasses.values()) bypass.callers.sort();
  return [...bypasses.values(), ...unproven.values(), ...lockouts(plan, gates, now)];
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
    findings.push(...rejected.map((cell) => facts.lockout(gate, cell)));
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

  constructor(private readonly plan: PlanService) {}

  lockout(gate: ProvenGate, cell: AccessCell): GateFinding {
    const caller = cell.caller;
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
      if (written === undefined || relativeNames(written).join(', ') === relativeNames(actual).join(', ')) continue;
      return { code: 'lockout', gate, certificate, cause: { kind: sameNamesInOtherOrder(written, actual) ? `${kind}-order` : kind, written, dotnet: actual } };
    }
    if (gate.verifyChain) {
      const issuedByUploadedCa = this.caSubjectSet().has(caller.issuer!);
      if (!issuedByUploadedCa) {
        if (claims?.selfSigned) return { code: 'lockout', gate, certificate, cause: { kind: 'no-issuing-ca', issuer: caller.issuer! } };
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
    this.caSubjects ??= new Set(
      this.plan.caCertificates.flatMap((ca) => (ca.der.known ? [SimulatedCertificate.of(new X509Certificate(Buffer.from(ca.der.value, 'base64'))).subject] : [])),
    );
    return this.caSubjects;
  }
}
