import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { UploadedCertificate } from '../certificates/uploaded-certificate';
import { GateTarget } from '../gates/gate-target';
import { ClientCertificateTrust } from '../policy/client-certificate-trust';

/** A gate the stack checks hold: who wrote it, what it guards, with which policy and trust. */
export interface GateRecord {
  /** The construct that wrote the gate (`ClientCertificateGate` or `ClientCertGatedApi`). */
  readonly construct: Construct;
  readonly target: GateTarget;
  /** The policy resource holding the gate. */
  readonly policy: TerraformResource;
  readonly trust: ClientCertificateTrust;
  /** Certificates uploaded by this library that the trust names. */
  readonly certificates: readonly UploadedCertificate[];
  /** Resources the construct already ordered after its gate (e.g. its catch-all operations). */
  readonly ownDependents: readonly TerraformResource[];
}
