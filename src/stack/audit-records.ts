import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { UploadedCertificate } from '../certificates/uploaded-certificate';
import { GateTarget } from '../gates/gate-target';
import { ClientCertificateTrust } from '../policy/client-certificate-trust';
import { GateOptions } from '../policy/gate-options';
import { ClientCertificateNegotiation } from '../service/sku';

/** A gate the stack checks hold: who wrote it, what it guards, with which policy and trust. */
export interface GateRecord {
  /** The construct that wrote the gate (`ClientCertificateGate` or `ClientCertGatedApi`). */
  readonly construct: Construct;
  readonly target: GateTarget;
  /** The policy resource holding the gate. */
  readonly policy: TerraformResource;
  readonly trust: ClientCertificateTrust;
  /** The options the gate was written with, for the proof's explanations. */
  readonly options: GateOptions;
  /** Certificates uploaded by this library that the trust names. */
  readonly certificates: readonly UploadedCertificate[];
  /** Resources the construct already ordered after its gate (e.g. its catch-all operations). */
  readonly ownDependents: readonly TerraformResource[];
}

/** A service the stack manages, with how it must ask callers for client certificates. */
export interface ServiceRecord {
  readonly construct: Construct;
  /** The `azurerm_api_management` resource. */
  readonly resource: TerraformResource;
  readonly negotiation: ClientCertificateNegotiation;
  /** Gateway host names that must ask: the default host and the custom ones. */
  readonly hostNames: readonly string[];
}
