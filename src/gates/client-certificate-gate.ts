import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { attributeErrorsTo, ConstructConfigurationError } from '../construct-error';
import { clientCertificateGate } from '../policy/client-certificate-gate';
import { CustomPolicy } from '../policy/custom-policy';
import { GateOptions } from '../policy/gate-options';
import { gatedPolicyDocument } from '../policy/gated-policy-document';
import { renderPolicyElement } from '../policy/policy-renderer';
import { useReproducibleAnnotations } from '../reproducible-annotations';
import { ApiManagementService } from '../service/api-management-service';
import { StackAudit } from '../stack/stack-audit';
import { trustedUploadedCertificates, warnAboutWeakGateOptions } from './gate-checks';
import { GateTarget } from './gate-target';

export interface ClientCertificateGateProps extends GateOptions {
  /**
   * What the gate guards: `GateTarget.api(api)`, `GateTarget.apiByName(service, name)`,
   * `GateTarget.product(product)`, `GateTarget.productById(service, id)` or
   * `GateTarget.service(service)`. The gate is that scope's policy; API Management keeps one
   * policy per scope, so a second policy for the same scope in the stack is a synth error.
   */
  readonly target: GateTarget;
  /**
   * Your own statements around the gate (rate limits, headers, backend, outbound, on-error).
   * The gate stays first after `<base />` in `<inbound>`.
   * @default - the gate alone
   */
  readonly customPolicy?: CustomPolicy;
}

/**
 * A client-certificate gate on an API, a product or the whole service: the scope's policy, with
 * the gate first in `<inbound>` after `<base />` and your own statements around it. Resources
 * in the stack that would let callers reach the scope (operations of the API, product-API links,
 * the service's APIs) are made to depend on it, so nothing is reachable before its gate exists.
 *
 * A product gate applies to calls made with that product's subscription key; a service gate to
 * every API whose policies keep `<base />`.
 */
export class ClientCertificateGate extends Construct {
  /** The policy resource: `azurerm_api_management_api_policy`, `_product_policy` or `azurerm_api_management_policy`. */
  public readonly policy: TerraformResource;
  /** The policy document as written to `xml_content`. */
  public readonly policyXml: string;
  public readonly target: GateTarget;

  constructor(scope: Construct, id: string, props: ClientCertificateGateProps) {
    super(scope, id);
    useReproducibleAnnotations(this);
    this.target = props.target;
    if (!(props.target instanceof GateTarget)) {
      throw new ConstructConfigurationError(this, 'target is required: GateTarget.api(...), .apiByName(...), .product(...), .productById(...) or .service(...).');
    }
    const problem = props.target.problem();
    if (problem) throw new ConstructConfigurationError(this, `${problem}.`);

    const service = props.target.service;
    this.policyXml = attributeErrorsTo(this, () =>
      renderPolicyElement(gatedPolicyDocument({ gate: clientCertificateGate(props), scope: props.target.scope, customPolicy: props.customPolicy })),
    );
    warnAboutWeakGateOptions(this, props, service);
    const certificates = trustedUploadedCertificates(this, props.trust, service);
    const dependsOn = [
      // On v2 tiers the gate is useless until the service asks callers for certificates.
      ...(service instanceof ApiManagementService && service.clientCertificateSetting ? [service.clientCertificateSetting] : []),
      // A certificate in use cannot be deleted: the policy must change before it goes.
      ...certificates.map((certificate) => certificate.resource),
    ];
    this.policy = props.target.createPolicy(this, 'Policy', this.policyXml, dependsOn.length > 0 ? dependsOn : undefined);
    StackAudit.of(this).addGate({ construct: this, target: props.target, policy: this.policy, trust: props.trust, options: props, certificates, ownDependents: [] });
  }
}
