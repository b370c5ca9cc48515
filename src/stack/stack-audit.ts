import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { ApiManagementPolicy } from '@cdktf/provider-azurerm/lib/api-management-policy';
import { ApiManagementProductPolicy } from '@cdktf/provider-azurerm/lib/api-management-product-policy';
import { Annotations, App, Aspects, IAspect, TerraformDataSource, TerraformResource, TerraformStack, Token } from 'cdktf';
import { Plan, PlanPolicy, readPlan } from '../plan';
import { normalizeThumbprint } from '../policy/thumbprint';
import { clientCertificateGate } from '../policy/client-certificate-gate';
import { PolicyDocument } from '../policy/policy-document';
import { IConstruct, IValidation } from 'constructs';
import { MutualTlsBackend } from '../backends/mutual-tls-backend';
import { TrustKind } from '../policy/client-certificate-trust';
import { collisionMessage } from './collision-message';
import { findCollisions, recordsOf, TerraformJson } from './collisions';
import { AppChecks } from './app-checks';
import { GateFinding, ProvenGate, proveGates } from './gate-proof';
import { gateTampering, WrittenGate } from './gate-integrity';
import { gateFindingMessage } from './gate-proof-message';
import { resolveIn, wireGateDependencies, WiredDependencies } from './gate-dependencies';
import { ClientCertificateNegotiation } from '../service/sku';
import { uncoveredRevisions } from './uncovered-revisions';
import { GateRecord, ServiceRecord } from './audit-records';
import { negotiationProblem } from '../service/negotiation-problem';
import { ResourceNames, ResourceRecord } from './resource-names';
import { serializeOncePerSynth, synthesizedJson } from './synthesized-json';

const AUDITS = new WeakMap<TerraformStack, StackAudit>();

/**
 * Context key that turns the synth-time proof's errors (a bypass, a lockout, a managed service
 * that no longer asks for certificates) into warnings when set to `warn`, e.g. for fixtures that
 * weaken a gate on purpose so that the review can read them. Each finding then stays visible as a
 * warning starting with "not enforced". Collisions stay errors: they fail at apply anyway.
 */
export const GATE_PROOF_CONTEXT = 'cdktf-apim-mtls:gateProof';
/** How many backend certificate names a warning lists before "and N more". */
const LISTED_NAMES = 5;
/** The key of the warning that the app skips validation, given once per stack. */
const SKIPPED_VALIDATION = 'skipped-validation';

/**
 * The checks of a whole stack, one per stack (STYLE 3.6), registered by the first construct of
 * this library in it:
 * - before synth (an aspect that acts once, on the stack node): orders what makes a gated scope
 *   reachable after its gate;
 * - at synth (a validation): collisions between resources Azure would take for the same object,
 *   certificates trusted by a gate on another service, the gates' own resources as synthesized,
 *   the synth-time proof, and the warning for a gate that trusts every uploaded certificate while
 *   backend client certificates are uploaded to its service.
 * Each reads the stack once and uses maps, so synth stays linear in the number of resources.
 * cdktf validates and writes one stack after the other; `AppChecks` runs every stack's
 * validations when the first stack is validated, so a failing stack never leaves the others written.
 * An app with skipValidation runs only the aspect, which then warns that nothing was proven.
 */
export class StackAudit implements IAspect, IValidation {
  /** The audit of the stack `scope` belongs to, created and registered on first use. */
  public static of(scope: IConstruct): StackAudit {
    const stack = TerraformStack.of(scope);
    let audit = AUDITS.get(stack);
    if (!audit) {
      audit = new StackAudit(stack);
      AUDITS.set(stack, audit);
      Aspects.of(stack).add(audit);
      stack.node.addValidation(audit);
      AppChecks.guard(stack);
    }
    return audit;
  }

  private readonly gates: GateRecord[] = [];
  private readonly services: ServiceRecord[] = [];
  private readonly wired: WiredDependencies = new WeakMap();
  private readonly warned = new Set<string>();
  /** The stack's JSON as last checked, and the errors found in it. */
  private lastChecked?: { readonly json: string; readonly errors: readonly string[] };

  private constructor(private readonly stack: TerraformStack) {
    // The validation reads the configuration that cdktf writes next: serialize it once.
    serializeOncePerSynth(stack);
  }

  /** Records a gate for the checks. */
  public addGate(gate: GateRecord): void {
    this.gates.push(gate);
  }

  /** Records a service this stack manages, for the check that it still asks for certificates. */
  public addService(service: ServiceRecord): void {
    this.services.push(service);
  }

  /** @internal */
  public visit(node: IConstruct): void {
    // Aspects visit every node; the wiring is one pass over the stack, done from the stack node.
    if (node !== this.stack) return;
    wireGateDependencies(this.stack, this.gates, this.wired);
    // Aspects still run when validations are skipped: the one place left to say the proof did not.
    if ((this.stack.node.root as Partial<App>).skipValidation === true && !this.warned.has(SKIPPED_VALIDATION)) {
      this.warned.add(SKIPPED_VALIDATION);
      Annotations.of(this.stack).addWarning(
        'the app skips validation (skipValidation: true), so the synth-time proof of the client-certificate gates and the stack checks did not run: a bypass or a lock-out is written without an error. Remove skipValidation, or gate the pull request on `cdktf-apim-mtls review --base <base cdktf.out> --fail-on weakened`.',
      );
    }
  }

  /** @internal */
  public validate(): string[] {
    return [...this.check()];
  }

  /**
   * The stack's errors; the checks run again only when the stack's JSON changed since the last
   * run (`AppChecks` validates every stack before the first one is written, then cdktf each again).
   */
  private check(): readonly string[] {
    // Also done by the aspect; here too, since AppChecks may check a stack before its aspects ran.
    wireGateDependencies(this.stack, this.gates, this.wired);
    const json = synthesizedJson(this.stack);
    const text = JSON.stringify(json);
    if (this.lastChecked?.json === text) return this.lastChecked.errors;
    const errors = this.findProblems(json);
    this.lastChecked = { json: text, errors };
    return errors;
  }

  private findProblems(json: TerraformJson): string[] {
    const records = recordsOf(json);
    const byAddress = new Map(records.map((record) => [record.address, record]));
    const names = new ResourceNames(records);
    const paths = lazyConstructPaths(this.stack);
    const serviceOf = (resource: TerraformResource) => serviceOfRecord(names, byAddress.get(addressOf(resource)));
    this.warnAboutAdmittedBackendCertificates(serviceOf);
    let plan: Plan | undefined;
    let unreadable: string | undefined;
    try {
      plan = readPlan(json);
    } catch (error) {
      unreadable = error instanceof Error ? error.message : String(error);
    }
    const gates = this.gates.map(provenGate);
    const policies = policiesOf(plan);
    return [
      ...findCollisions(records, names).map((collision) => collisionMessage(collision, paths)),
      ...this.certificatesOnOtherServices(serviceOf),
      ...this.servicesThatStoppedAsking(byAddress, plan),
      ...this.judge(
        [
          ...gates.flatMap((gate, i) => gateTampering(this.writtenGate(gate, this.gates[i]), byAddress.get(gate.policyAddress), policies.get(gate.policyAddress))),
          ...uncoveredRevisions(records, names, gates),
        ],
        paths,
      ),
      ...this.proof(plan, unreadable, gates, paths),
    ];
  }

  /**
   * The synth-time proof, on the review's engine: compose every gated operation from everything
   * the stack defines and simulate the callers known at synth. A bypass or a lockout is an error;
   * what only Terraform or the certificates know is a warning on the gate.
   */
  private proof(plan: Plan | undefined, unreadable: string | undefined, gates: readonly ProvenGate[], paths: (address: string) => string | undefined): string[] {
    if (this.gates.length === 0) return [];
    let findings: GateFinding[];
    try {
      if (!plan) throw new Error(unreadable);
      findings = proveGates(plan, gates);
    } catch (error) {
      for (const gate of this.gates) this.warnOnce(gate.construct, `could not prove at synth that the gate holds: ${error instanceof Error ? error.message : String(error)}.`);
      return [];
    }
    return this.judge(findings, paths);
  }

  /**
   * Errors for the findings that fail synth; warnings on the gate for what cannot be proven and
   * for routes that admit a product's subscribers (and for everything when the proof is set to warn).
   */
  private judge(findings: readonly GateFinding[], paths: (address: string) => string | undefined): string[] {
    const constructs = new Map(this.gates.map((gate) => [addressOf(gate.policy), gate.construct]));
    const enforced = this.enforced();
    const errors: string[] = [];
    for (const finding of findings) {
      const message = gateFindingMessage(finding, paths);
      const construct = constructs.get(finding.gate.policyAddress)!;
      const text = message.slice(finding.gate.name.length + 2);
      if (finding.code === 'unproven' || (finding.code === 'side-door' && finding.via === 'other-product')) this.warnOnce(construct, text);
      else if (enforced) errors.push(message);
      else this.warnOnce(construct, `not enforced (${GATE_PROOF_CONTEXT} is "warn"): ${text}`);
    }
    return errors;
  }

  /**
   * An override (e.g. of hostname_configuration, or of the v2 setting) can undo what makes a
   * service ask for certificates.
   */
  private servicesThatStoppedAsking(byAddress: ReadonlyMap<string, ResourceRecord>, plan: Plan | undefined): string[] {
    return this.services.flatMap((service) => {
      const record = byAddress.get(addressOf(service.resource));
      const problem = record && (negotiationProblem(record.values, service.negotiation, service.hostNames) ?? settingProblem(service, record, plan));
      if (!problem) return [];
      const fix =
        service.negotiation === ClientCertificateNegotiation.AZAPI_ENABLE_CLIENT_CERTIFICATE
          ? 'Keep the azapi setting the service writes (clientCertificateSetting) as it is: no override of its count, for_each or body.'
          : 'Declare custom gateway hosts with customDomains rather than an override of hostname_configuration, and keep client certificates requested.';
      const text = `${problem}. Every client-certificate gate on this service then rejects every caller there. ${fix}`;
      if (this.enforced()) return [`${service.construct.node.path}: ${text}`];
      this.warnOnce(service.construct, `not enforced (${GATE_PROOF_CONTEXT} is "warn"): ${text}`);
      return [];
    });
  }

  /**
   * What the construct wrote for a gate's policy resource (its own values, before any override),
   * resolved as the stack's JSON writes it.
   */
  private writtenGate(gate: ProvenGate, record: GateRecord): WrittenGate {
    const policy = record.policy;
    const written =
      policy instanceof ApiManagementApiPolicy
        ? { scope: { api_name: policy.apiNameInput, api_management_name: policy.apiManagementNameInput, resource_group_name: policy.resourceGroupNameInput }, document: policy.xmlContentInput }
        : policy instanceof ApiManagementProductPolicy
          ? { scope: { product_id: policy.productIdInput, api_management_name: policy.apiManagementNameInput, resource_group_name: policy.resourceGroupNameInput }, document: policy.xmlContentInput }
          : policy instanceof ApiManagementPolicy
            ? { scope: { api_management_id: policy.apiManagementIdInput }, document: policy.xmlContentInput }
            : { scope: {}, document: undefined };
    return {
      gate,
      scopeAttributes: resolveIn(this.stack, written.scope),
      document: resolveIn(this.stack, written.document),
      provider: resolveIn(this.stack, record.target.provider?.fqn),
    };
  }

  /** Whether the proof's findings fail synth (the default) or are only warned (`GATE_PROOF_CONTEXT`). */
  private enforced(): boolean {
    return this.stack.node.tryGetContext(GATE_PROOF_CONTEXT) !== 'warn';
  }

  /** A gate given without its service (a plain API or product) learns it from the policy it writes. */
  private certificatesOnOtherServices(serviceOf: (resource: TerraformResource) => string | undefined): string[] {
    const errors: string[] = [];
    for (const gate of this.gates) {
      if (gate.target.service) continue;
      const service = serviceOf(gate.policy);
      for (const certificate of gate.certificates) {
        const other = serviceOf(certificate.resource);
        if (service !== undefined && other !== undefined && other !== service) {
          errors.push(
            `${gate.construct.node.path}: trusted certificate ${certificate.node.path} is uploaded to service "${other}", but the gate guards ${gate.target.describe()} on service "${service}". ` +
              'A policy only sees certificates uploaded to its own service: upload it there too.',
          );
        }
      }
    }
    return errors;
  }

  /**
   * "Any uploaded certificate" also admits the client certificates the service presents to
   * backends. Backends may be defined after the gate, so this is judged once the stack is whole.
   */
  private warnAboutAdmittedBackendCertificates(serviceOf: (resource: TerraformResource) => string | undefined): void {
    const gates = this.gates.filter((gate) => gate.trust.kind === TrustKind.UPLOADED_CERTIFICATES);
    if (gates.length === 0) return;
    const backendCertificates = new Map<string, Set<string>>();
    for (const node of this.stack.node.findAll()) {
      if (!(node instanceof MutualTlsBackend)) continue;
      const service = serviceOf(node.resource);
      if (service === undefined) continue;
      backendCertificates.set(service, (backendCertificates.get(service) ?? new Set()).add(node.clientCertificate.certificateId));
    }
    // Listed once per service: a few names are enough, and thousands on each of thousands of
    // gates would make synth quadratic.
    const listed = new Map<string, string>();
    for (const [service, ids] of backendCertificates) {
      const names = [...ids].sort();
      listed.set(service, names.slice(0, LISTED_NAMES).map((n) => `"${n}"`).join(', ') + (names.length > LISTED_NAMES ? ` and ${names.length - LISTED_NAMES} more` : ''));
    }
    for (const gate of gates) {
      const service = serviceOf(gate.policy);
      const certificates = service === undefined ? undefined : listed.get(service);
      if (certificates === undefined) continue;
      this.warnOnce(
        gate.construct,
        `trust is ClientCertificateTrust.uploadedCertificates(), which also admits callers presenting the backend client certificate(s) ${certificates} uploaded to the same service. Trust ClientCertificateTrust.certificates([...]) instead.`,
      );
    }
  }

  /** Validations run on every synth of the stack; a warning is added once. */
  private warnOnce(scope: IConstruct, message: string): void {
    const key = `${scope.node.path}\n${message}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    Annotations.of(scope).addWarning(message);
  }
}

/** A gate as the proof sees it. */
function provenGate(gate: GateRecord): ProvenGate {
  const trust = gate.trust;
  const literal = (thumbprint: string) => (Token.isUnresolved(thumbprint) ? [] : [normalizeThumbprint(thumbprint) ?? thumbprint]);
  const verifyChain = gate.options.verifyChain ?? false;
  return {
    name: gate.construct.node.path,
    policyAddress: addressOf(gate.policy),
    scope: gate.target.scope,
    trustKind: trust.kind,
    thumbprints: trust.kind === TrustKind.THUMBPRINTS ? trust.pinnedThumbprints : trust.trustedCertificates.flatMap((certificate) => literal(certificate.thumbprint)),
    certificates: gate.certificates.map((certificate) => addressOf(certificate.resource)),
    issuer: gate.options.issuer,
    subject: gate.options.subject,
    verifyChain,
    checkRevocation: gate.options.checkRevocation ?? verifyChain,
    gateDocument: new PolicyDocument({ inbound: [clientCertificateGate(gate.options)] }).render(),
  };
}

/** On v2 tiers the service asks for certificates only through the azapi setting, which an override can remove or turn off. */
function settingProblem(service: ServiceRecord, record: ResourceRecord, plan: Plan | undefined): string | undefined {
  if (service.negotiation !== ClientCertificateNegotiation.AZAPI_ENABLE_CLIENT_CERTIFICATE || !plan) return undefined;
  const asks = plan.services.find((candidate) => candidate.address === record.address)?.asksForCertificates;
  return asks?.known && !asks.value
    ? 'no azapi_update_resource sets properties.enableClientCertificate = true on it (the setting was removed, given count = 0 or turned off), and a v2 service asks callers for a certificate only with it'
    : undefined;
}

/** The plan's policy documents by the address of their resource. */
function policiesOf(plan: Plan | undefined): Map<string, PlanPolicy> {
  const policies = new Map<string, PlanPolicy>();
  for (const service of plan?.services ?? []) {
    for (const policy of [service.policy, ...service.products.map((p) => p.policy), ...service.apis.flatMap((a) => [a.policy, ...a.operations.map((o) => o.policy)])]) {
      if (policy) policies.set(policy.address, policy);
    }
  }
  return policies;
}

function addressOf(element: TerraformResource | TerraformDataSource): string {
  const type = element instanceof TerraformDataSource ? `data.${element.terraformResourceType}` : element.terraformResourceType;
  return `${type}.${element.friendlyUniqueId}`;
}

function serviceOfRecord(names: ResourceNames, record: ResourceRecord | undefined): string | undefined {
  if (!record) return undefined;
  return record.type === 'azurerm_api_management_policy' ? names.serviceById(record.values.api_management_id) : names.service(record.values.api_management_name);
}

/** Construct paths by Terraform address, computed only when a message needs one. */
function lazyConstructPaths(stack: TerraformStack): (address: string) => string | undefined {
  let paths: Map<string, string> | undefined;
  return (address) => {
    paths ??= new Map(
      stack.node
        .findAll()
        .filter((node): node is TerraformResource | TerraformDataSource => node instanceof TerraformResource || node instanceof TerraformDataSource)
        .map((node) => [addressOf(node), node.node.path]),
    );
    return paths.get(address);
  };
}
