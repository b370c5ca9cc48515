import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import { UploadedCertificate } from '../certificates/uploaded-certificate';
import { ConstructConfigurationError } from '../construct-error';
import { ClientCertificateTrust } from '../policy/client-certificate-trust';
import { GateOptions } from '../policy/gate-options';
import { ApiManagementService, IApiManagementService } from '../service/api-management-service';
import { ClientCertificateNegotiation, parseSku } from '../service/sku';

/**
 * The certificates this library uploaded that the trust names. A policy only sees certificates
 * uploaded to its own service, so each must belong to `service` when it is known.
 */
export function trustedUploadedCertificates(scope: Construct, trust: ClientCertificateTrust, service: IApiManagementService | undefined): UploadedCertificate[] {
  const uploaded = trust.trustedCertificates.filter((c): c is UploadedCertificate => c instanceof UploadedCertificate);
  for (const certificate of uploaded) {
    if (service !== undefined && certificate.apiManagement !== service) {
      throw new ConstructConfigurationError(
        scope,
        `trusted certificate ${certificate.node.path} is uploaded to ${certificate.apiManagement.node.path}, not to this gate's service ${service.node.path}. ` +
          'A policy only sees certificates uploaded to its own service: upload it there too.',
      );
    }
  }
  return uploaded;
}

/** Warnings for gate options that are allowed but weaken or may break the gate. */
export function warnAboutWeakGateOptions(scope: Construct, options: GateOptions, service: IApiManagementService | undefined): void {
  if (options.checkValidityPeriod === false) {
    Annotations.of(scope).addWarning('checkValidityPeriod is false: expired and not-yet-valid client certificates are admitted.');
  }
  if (options.verifyChain && service instanceof ApiManagementService) {
    const negotiation = parseSku(service.skuName).negotiation;
    if (negotiation === ClientCertificateNegotiation.CONSUMPTION_FLAG || service.caCertificates.length === 0) {
      Annotations.of(scope).addWarning(
        `verifyChain is true but service ${service.node.path} has no CA certificates uploaded` +
          (negotiation === ClientCertificateNegotiation.CONSUMPTION_FLAG ? ' (Consumption cannot have any)' : '') +
          ': only client certificates that chain to a publicly trusted root are admitted.',
      );
    }
  }
}
