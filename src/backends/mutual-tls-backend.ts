import { ApiManagementBackend } from '@cdktf/provider-azurerm/lib/api-management-backend';
import { Annotations, Token } from 'cdktf';
import { Construct } from 'constructs';
import { UploadedCertificate } from '../certificates/uploaded-certificate';
import { ConstructConfigurationError } from '../construct-error';
import { APIM_RESOURCE_ID, nameFromConstructId } from '../construct-names';
import { PolicyElement } from '../policy/policy-element';
import { guardedUrl } from '../policy/terraform-guard';
import { invisibleCharactersProblem } from '../policy/invisible-characters';
import { writeReviewMetadata } from '../review/review-metadata';
import { IApiManagementService } from '../service/api-management-service';
import { backendRouting } from './backend-routing';
import { checkBackendUrl } from './backend-url';
import { useReproducibleAnnotations } from '../reproducible-annotations';

export interface MutualTlsBackendProps {
  /** The API Management service the backend is defined in. */
  readonly apiManagement: IApiManagementService;
  /**
   * The backend's https:// URL. A client certificate over plain HTTP protects nothing. A
   * Terraform token (a variable, a data source) is wrapped in a `regex()` so that a value that
   * is not a plain https URL fails the plan.
   */
  readonly url: string;
  /** The certificate APIM presents to the backend; uploaded to the same service. */
  readonly clientCertificate: UploadedCertificate;
  /**
   * Validate the backend server certificate's chain. Turn off only for a self-signed backend
   * certificate on a network you control; otherwise APIM answers 500 for such a backend.
   * @default true
   */
  readonly validateCertificateChain?: boolean;
  /**
   * Validate that the backend server certificate's name matches the URL's host.
   * @default true
   */
  readonly validateCertificateName?: boolean;
  /**
   * The backend's id in API Management: letters, digits, ".", "_" and "-", at most 80.
   * @default - derived from the construct id
   */
  readonly name?: string;
  /**
   * Description shown in the portal.
   * @default - none
   */
  readonly description?: string;
}


/**
 * An APIM backend that presents a client certificate to the backend service (mutual TLS), with
 * server certificate chain and name validation written explicitly (the service default when
 * omitted is undocumented).
 *
 * The API's policy presents the certificate with `<authentication-certificate
 * certificate-id="…"/>` (see `routingStatements`): for plain HTTP backends, APIM's support has
 * stated that the certificate configured on the backend entity is declarative only and is sent
 * in the TLS handshake only when a policy names it. A certificate from a PFX file is also written
 * to the backend's `credentials.certificate` (its thumbprint), which documents the backend and
 * keeps the certificate in use there: a new file is a new certificate (create-before-destroy),
 * the backend and policies move to it, and only then the old one is deleted. A Key Vault
 * certificate is named only by id: APIM refuses thumbprint references to it, and its thumbprint
 * changes whenever Key Vault rotates it.
 */
export class MutualTlsBackend extends Construct {
  /** The backend's id in API Management, used by `set-backend-service`. */
  public readonly backendId: string;
  public readonly url: string;
  public readonly apiManagement: IApiManagementService;
  public readonly clientCertificate: UploadedCertificate;
  public readonly validateCertificateChain: boolean;
  public readonly validateCertificateName: boolean;
  /** The `azurerm_api_management_backend` resource. */
  public readonly resource: ApiManagementBackend;

  constructor(scope: Construct, id: string, props: MutualTlsBackendProps) {
    super(scope, id);
    useReproducibleAnnotations(this);
    this.backendId = props.name ?? nameFromConstructId(id);
    this.url = props.url;
    this.apiManagement = props.apiManagement;
    this.clientCertificate = props.clientCertificate;
    this.validateCertificateChain = props.validateCertificateChain ?? true;
    this.validateCertificateName = props.validateCertificateName ?? true;
    this.validate(props);
    this.warnAboutValidation(props);

    const certificate = props.clientCertificate;
    this.resource = new ApiManagementBackend(this, 'Backend', {
      name: this.backendId,
      apiManagementName: props.apiManagement.name,
      resourceGroupName: props.apiManagement.resourceGroupName,
      protocol: 'http',
      // A value known only at apply time must be a plain https URL there, or the plan fails.
      url: Token.isUnresolved(props.url) ? guardedUrl(props.url) : props.url,
      description: props.description,
      credentials: certificate.rotatesOutsideTerraform ? undefined : { certificate: [certificate.thumbprint] },
      tls: {
        validateCertificateChain: this.validateCertificateChain,
        validateCertificateName: this.validateCertificateName,
      },
      // A literal thumbprint carries no reference: order the certificate first explicitly.
      dependsOn: [certificate.resource],
    });
    writeReviewMetadata(this.resource, {
      kind: 'mutual-tls-backend',
      clientCertificateId: certificate.certificateId,
      presentedBy: 'api-policy',
    });
  }

  /**
   * The inbound statements that route a request to this backend and present its client
   * certificate: `set-backend-service backend-id` and `authentication-certificate certificate-id`.
   * Use them in policies you write yourself for APIs that call this backend.
   */
  public routingStatements(): PolicyElement[] {
    return backendRouting({ backendId: this.backendId, clientCertificateId: this.clientCertificate.certificateId });
  }

  private validate(props: MutualTlsBackendProps): void {
    if (!APIM_RESOURCE_ID.test(this.backendId)) {
      throw new ConstructConfigurationError(
        this,
        `name ${JSON.stringify(this.backendId)} is not a valid backend id. Use 1-80 letters, digits, ".", "_" and "-", starting with a letter or digit.`,
      );
    }
    if (typeof props.url !== 'string') throw new ConstructConfigurationError(this, 'url is required: the backend\'s https:// URL.');
    if (!Token.isUnresolved(props.url)) {
      const check = checkBackendUrl(props.url);
      if (check.problem) throw new ConstructConfigurationError(this, `url ${JSON.stringify(props.url)} ${check.problem}.`);
      if (check.insecure) {
        throw new ConstructConfigurationError(
          this,
          `url ${JSON.stringify(props.url)} is not an https:// URL. A client certificate is only presented over TLS; over plain HTTP it protects nothing.`,
        );
      }
    }
    if (props.description !== undefined && (/[$%]\{/.test(props.description) || props.description.length > 2000)) {
      throw new ConstructConfigurationError(this, `description ${JSON.stringify(props.description)} must be at most 2000 characters without "\${" or "%{".`);
    }
    // As for an API's displayName: a bidirectional control reorders how the portal and the review show it.
    const hidden = props.description === undefined ? undefined : invisibleCharactersProblem(props.description);
    if (hidden) throw new ConstructConfigurationError(this, `description ${hidden}.`);
    if (props.clientCertificate.apiManagement !== props.apiManagement) {
      throw new ConstructConfigurationError(
        this,
        `clientCertificate ${props.clientCertificate.node.path} is uploaded to ${props.clientCertificate.apiManagement.node.path}, not to this backend's service ${props.apiManagement.node.path}. Upload it to the same service.`,
      );
    }
  }

  private warnAboutValidation(props: MutualTlsBackendProps): void {
    const where = `backend "${this.backendId}" (${props.url})`;
    if (!this.validateCertificateChain) {
      Annotations.of(this).addWarning(
        `validateCertificateChain is false on ${where}: API Management accepts any server certificate there, including an impostor's. Keep it only for a self-signed backend on a network you control.`,
      );
    }
    if (!this.validateCertificateName) {
      Annotations.of(this).addWarning(
        `validateCertificateName is false on ${where}: API Management accepts a server certificate issued for any host name.`,
      );
    }
    if (this.validateCertificateChain && props.clientCertificate.selfSigned) {
      // Chain validation checks the backend's *server* certificate, which we cannot see; a
      // self-signed client certificate suggests a self-signed setup, so point at the symptom.
      Annotations.of(this).addInfo(
        `The client certificate of ${where} is self-signed. If the backend's server certificate is self-signed too, ` +
          'API Management answers 500 while validateCertificateChain is true: set it to false for such a backend.',
      );
    }
  }
}
