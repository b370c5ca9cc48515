import { Annotations, Aspects, IAspect, TerraformDataSource, TerraformResource, TerraformStack } from 'cdktf';
import { IConstruct, IValidation } from 'constructs';
import { MutualTlsBackend } from '../backends/mutual-tls-backend';
import { TrustKind } from '../policy/client-certificate-trust';
import { collisionMessage } from './collision-message';
import { findCollisions, recordsOf } from './collisions';
import { wireGateDependencies, WiredDependencies } from './gate-dependencies';
import { GateRecord, ServiceRecord } from './audit-records';
import { negotiationProblem } from '../service/negotiation-problem';
import { ResourceNames, ResourceRecord } from './resource-names';
import { synthesizedJson } from './synthesized-json';

const AUDITS = new WeakMap<TerraformStack, StackAudit>();
/** How many backend certificate names a warning lists before "and N more". */
const LISTED_NAMES = 5;

/**
 * The checks of a whole stack, one per stack (STYLE 3.6), registered by the first construct of
 * this library in it:
 * - before synth (an aspect that acts once, on the stack node): orders what makes a gated scope
 *   reachable after its gate;
 * - at synth (a validation): collisions between resources Azure would take for the same object,
 *   certificates trusted by a gate on another service, and the warning for a gate that trusts
 *   every uploaded certificate while backend client certificates are uploaded to its service.
 * Each reads the stack once and uses maps, so synth stays linear in the number of resources.
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
    }
    return audit;
  }

  private readonly gates: GateRecord[] = [];
  private readonly services: ServiceRecord[] = [];
  private readonly wired: WiredDependencies = new WeakMap();
  private readonly warned = new Set<string>();

  private constructor(private readonly stack: TerraformStack) {}

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
    if (node === this.stack) wireGateDependencies(this.stack, this.gates, this.wired);
  }

  /** @internal */
  public validate(): string[] {
    const records = recordsOf(synthesizedJson(this.stack));
    const byAddress = new Map(records.map((record) => [record.address, record]));
    const names = new ResourceNames(records);
    const paths = lazyConstructPaths(this.stack);
    const serviceOf = (resource: TerraformResource) => serviceOfRecord(names, byAddress.get(addressOf(resource)));
    this.warnAboutAdmittedBackendCertificates(serviceOf);
    return [
      ...findCollisions(records, names).map((collision) => collisionMessage(collision, paths)),
      ...this.certificatesOnOtherServices(serviceOf),
      ...this.servicesThatStoppedAsking(byAddress),
    ];
  }

  /** An override (e.g. of hostname_configuration) can undo what makes a service ask for certificates. */
  private servicesThatStoppedAsking(byAddress: ReadonlyMap<string, ResourceRecord>): string[] {
    return this.services.flatMap((service) => {
      const record = byAddress.get(addressOf(service.resource));
      const problem = record && negotiationProblem(record.values, service.negotiation, service.hostNames);
      return problem
        ? [
            `${service.construct.node.path}: ${problem}, so every client-certificate gate on this service rejects every caller there. ` +
              'Declare custom gateway hosts with customDomains rather than an override of hostname_configuration, and keep client certificates requested.',
          ]
        : [];
    });
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
