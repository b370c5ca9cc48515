import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiOperation } from '@cdktf/provider-azurerm/lib/api-management-api-operation';
import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { Annotations, Aspects, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { attributeErrorsTo, ConstructConfigurationError } from '../construct-error';
import { nameFromConstructId } from '../construct-names';
import { clientCertificateGate } from '../policy/client-certificate-gate';
import { ClientCertificateTrust, TrustKind } from '../policy/client-certificate-trust';
import { GateStyle } from '../policy/gate-style';
import { PolicyDocument } from '../policy/policy-document';
import { baseUrlRouting } from '../backends/backend-routing';
import { MutualTlsBackend } from '../backends/mutual-tls-backend';
import { UploadedCertificate } from '../certificates/uploaded-certificate';
import { ApiManagementService, IApiManagementService } from '../service/api-management-service';
import { ClientCertificateNegotiation, parseSku } from '../service/sku';
import { apiPathProblem } from './api-path';
import { checkServiceUrl } from './service-url';
import { useReproducibleAnnotations } from '../reproducible-annotations';

export interface ClientCertGatedApiProps {
  /** The API Management service the API is created in. */
  readonly apiManagement: IApiManagementService;
  /**
   * The API's name (id) in API Management: letters, digits, ".", "_" and "-", at most 80.
   * @default - derived from the construct id
   */
  readonly name?: string;
  /** Name shown in the portal and developer portal. */
  readonly displayName: string;
  /** URL suffix under the gateway, e.g. `orders` for `https://<service>.azure-api.net/orders`. */
  readonly path: string;
  /**
   * Protocols callers may use. Client certificates are only presented over TLS, so `https` is
   * the only one accepted (WebSocket APIs are a different API type).
   * @default ['https']
   */
  readonly protocols?: string[];
  /**
   * A backend with mutual TLS that admitted requests are routed to (`set-backend-service`).
   * Give either this or `serviceUrl`.
   * @default - none; `serviceUrl` is used
   */
  readonly backend?: MutualTlsBackend;
  /**
   * Absolute http(s) URL of a plain backend that admitted requests are forwarded to.
   * Give either this or `backend`.
   * @default - none; `backend` is used
   */
  readonly serviceUrl?: string;
  /** Which client certificates are admitted. Everyone else is rejected. */
  readonly trust: ClientCertificateTrust;
  /**
   * Require the client certificate to chain to a trusted root; for private CAs upload them with
   * the service's `caCertificates` (not possible on Consumption).
   * @default false - certificates are pinned by thumbprint, which needs no chain
   */
  readonly verifyChain?: boolean;
  /**
   * Check revocation (CRL/OCSP) along the chain; needs `verifyChain`.
   * @default - same as verifyChain
   */
  readonly checkRevocation?: boolean;
  /**
   * Reject expired and not-yet-valid certificates. Turning it off is insecure and warned;
   * it cannot be turned off with `verifyChain`, which checks validity itself.
   * @default true
   */
  readonly checkValidityPeriod?: boolean;
  /**
   * Require this issuer DN as .NET prints it, e.g. `CN=Contoso CA, O=Contoso`.
   * @default - any issuer
   */
  readonly issuer?: string;
  /**
   * Require this subject DN as .NET prints it, e.g. `CN=partner-a, O=Partner A`.
   * @default - any subject
   */
  readonly subject?: string;
  /**
   * How the gate is written into the inbound policy.
   * @default GateStyle.VALIDATE_POLICY
   */
  readonly gateStyle?: GateStyle;
  /**
   * Status code for a rejected caller (400-499); `GateStyle.EXPRESSION` only.
   * @default 401
   */
  readonly rejectStatusCode?: number;
  /**
   * Reason phrase for a rejected caller; `GateStyle.EXPRESSION` only.
   * @default 'Invalid client certificate'
   */
  readonly rejectReason?: string;
  /**
   * Create one operation per HTTP method with URL template `/*`, so the API answers every path
   * (an API without operations answers 404). Set false to define your own operations; make them
   * depend on `.policy`, or they can be live before the gate is.
   * @default true
   */
  readonly createCatchAllOperations?: boolean;
  /**
   * Whether callers must also send a subscription key (APIM's own default).
   * @default true
   */
  readonly subscriptionRequired?: boolean;
}

const CATCH_ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const API_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
const ALLOWED_PROTOCOLS = ['https'];

/**
 * An API Management API whose inbound policy admits only callers that present an acceptable
 * client certificate and rejects everyone else, including callers without one.
 */
export class ClientCertGatedApi extends Construct {
  /** The `azurerm_api_management_api` resource. */
  public readonly api: ApiManagementApi;
  /** The `azurerm_api_management_api_policy` resource holding the gate. */
  public readonly policy: ApiManagementApiPolicy;
  /** The policy document as written to `xml_content` (Terraform tokens unresolved). */
  public readonly policyXml: string;
  /** The catch-all operations (`/*` per method), unless `createCatchAllOperations` is false. */
  public readonly operations: ApiManagementApiOperation[];

  constructor(scope: Construct, id: string, props: ClientCertGatedApiProps) {
    super(scope, id);
    useReproducibleAnnotations(this);
    const name = props.name ?? nameFromConstructId(id);
    this.validate(props, name);

    const gate = attributeErrorsTo(this, () =>
      clientCertificateGate({
        trust: props.trust,
        style: props.gateStyle,
        verifyChain: props.verifyChain,
        checkRevocation: props.checkRevocation,
        checkValidityPeriod: props.checkValidityPeriod,
        issuer: props.issuer,
        subject: props.subject,
        rejectStatusCode: props.rejectStatusCode,
        rejectReason: props.rejectReason,
      }),
    );
    const routing = props.backend ? props.backend.routingStatements() : [baseUrlRouting(props.serviceUrl!)];
    this.policyXml = new PolicyDocument({ inbound: [gate, ...routing] }).render();
    this.warnAboutWeakChoices(props);
    const namedCertificates = this.uploadedCertificatesIn(props);
    if (props.backend?.clientCertificate.rotatesOutsideTerraform) namedCertificates.push(props.backend.clientCertificate);

    const service = props.apiManagement;
    this.api = new ApiManagementApi(this, 'Api', {
      name,
      resourceGroupName: service.resourceGroupName,
      apiManagementName: service.name,
      revision: '1',
      displayName: props.displayName,
      path: props.path,
      protocols: props.protocols ?? ['https'],
      // No service_url: the policy routes, so the API forwards nothing until its gate exists.
      subscriptionRequired: props.subscriptionRequired ?? true,
    });
    this.policy = new ApiManagementApiPolicy(this, 'Policy', {
      apiName: this.api.name,
      apiManagementName: service.name,
      resourceGroupName: service.resourceGroupName,
      xmlContent: this.policyXml,
      dependsOn: nonEmpty([
        // On v2 tiers the gate is useless until the service asks callers for certificates.
        ...(service instanceof ApiManagementService && service.clientCertificateSetting ? [service.clientCertificateSetting] : []),
        // A certificate or backend in use cannot be deleted: the policy must change before it goes.
        ...namedCertificates.map((certificate) => certificate.resource),
        ...(props.backend ? [props.backend.resource] : []),
      ]),
    });
    this.operations = props.createCatchAllOperations === false ? [] : this.catchAllOperations(service);
    if (props.trust.kind === TrustKind.UPLOADED_CERTIFICATES) this.warnAboutBackendCertificatesAtSynth(service);
  }

  /**
   * "Any uploaded certificate" also admits the client certificates this service presents to
   * backends. Backends may be defined after this API, so look when the stack is synthesized.
   */
  private warnAboutBackendCertificatesAtSynth(service: IApiManagementService): void {
    const api = this;
    let checked = false;
    Aspects.of(this).add({
      visit(node: IConstruct) {
        // Aspects run on every synth of the stack; one warning is enough.
        if (node !== api || checked) return;
        checked = true;
        const backendCertificates = TerraformStack.of(api)
          .node.findAll()
          .filter((c): c is MutualTlsBackend => c instanceof MutualTlsBackend && c.apiManagement === service)
          .map((backend) => backend.clientCertificate.certificateId);
        const names = [...new Set(backendCertificates)].sort();
        if (names.length > 0) {
          Annotations.of(api).addWarning(
            `trust is ClientCertificateTrust.uploadedCertificates(), which also admits callers presenting the backend client certificate(s) ${names.map((n) => `"${n}"`).join(', ')} uploaded to the same service. Trust ClientCertificateTrust.certificates([...]) instead.`,
          );
        }
      },
    });
  }

  /**
   * One operation per HTTP method with URL template `/*`, so every path reaches the gate. Each
   * depends on the policy: an operation never exists, even briefly, without the gate in front.
   */
  private catchAllOperations(service: IApiManagementService): ApiManagementApiOperation[] {
    return CATCH_ALL_METHODS.map(
      (method) =>
        new ApiManagementApiOperation(this, `${method.charAt(0)}${method.slice(1).toLowerCase()}All`, {
          operationId: `${method.toLowerCase()}-all`,
          apiName: this.api.name,
          apiManagementName: service.name,
          resourceGroupName: service.resourceGroupName,
          displayName: `${method} /*`,
          method,
          urlTemplate: '/*',
          dependsOn: [this.policy],
        }),
    );
  }

  private validate(props: ClientCertGatedApiProps, name: string): void {
    if (!API_NAME.test(name)) {
      throw new ConstructConfigurationError(
        this,
        `name ${JSON.stringify(name)} is not a valid API name. Use 1-80 letters, digits, ".", "_" and "-", starting with a letter or digit.`,
      );
    }
    if (typeof props.displayName !== 'string' || props.displayName.trim() === '' || props.displayName.length > 300 || /[$%]\{/.test(props.displayName)) {
      throw new ConstructConfigurationError(
        this,
        `displayName ${JSON.stringify(props.displayName)} is not usable. Give 1-300 characters without "\${" or "%{".`,
      );
    }
    const pathProblem = apiPathProblem(props.path);
    if (pathProblem) throw new ConstructConfigurationError(this, `path ${JSON.stringify(props.path)} ${pathProblem}.`);
    for (const protocol of props.protocols ?? []) {
      if (!ALLOWED_PROTOCOLS.includes(protocol)) {
        throw new ConstructConfigurationError(
          this,
          `protocols contains ${JSON.stringify(protocol)}. Client certificates are presented only over TLS; use ["https"] or leave protocols out.`,
        );
      }
    }
    if (props.protocols !== undefined && props.protocols.length === 0) {
      throw new ConstructConfigurationError(this, 'protocols is empty. Leave it out for ["https"].');
    }
    if ((props.backend === undefined) === (props.serviceUrl === undefined)) {
      throw new ConstructConfigurationError(
        this,
        props.backend ? 'give either backend or serviceUrl, not both.' : 'give a backend (a MutualTlsBackend) or a serviceUrl (the absolute https:// URL of the backend).',
      );
    }
    if (props.backend && props.backend.apiManagement !== props.apiManagement) {
      throw new ConstructConfigurationError(
        this,
        `backend ${props.backend.node.path} belongs to ${props.backend.apiManagement.node.path}, not to this API's service ${props.apiManagement.node.path}. Define the backend on the same service.`,
      );
    }
    if (props.serviceUrl !== undefined && !Token.isUnresolved(props.serviceUrl)) {
      const check = checkServiceUrl(props.serviceUrl);
      if (check.problem) throw new ConstructConfigurationError(this, `serviceUrl ${JSON.stringify(props.serviceUrl)} ${check.problem}.`);
      if (check.insecure) {
        Annotations.of(this).addWarning(
          `serviceUrl ${JSON.stringify(props.serviceUrl)} is plain http: requests admitted by the client certificate travel unencrypted to the backend. Use https://.`,
        );
      }
    }
  }

  /** The trusted certificates this library uploaded; each must belong to this API's service. */
  private uploadedCertificatesIn(props: ClientCertGatedApiProps): UploadedCertificate[] {
    const uploaded = props.trust.trustedCertificates.filter((c): c is UploadedCertificate => c instanceof UploadedCertificate);
    for (const certificate of uploaded) {
      if (certificate.apiManagement !== props.apiManagement) {
        throw new ConstructConfigurationError(
          this,
          `trusted certificate ${certificate.node.path} is uploaded to ${certificate.apiManagement.node.path}, not to this API's service ${props.apiManagement.node.path}. ` +
            'A policy only sees certificates uploaded to its own service: upload it there too.',
        );
      }
    }
    return uploaded;
  }

  private warnAboutWeakChoices(props: ClientCertGatedApiProps): void {
    if (props.checkValidityPeriod === false) {
      Annotations.of(this).addWarning('checkValidityPeriod is false: expired and not-yet-valid client certificates are admitted.');
    }
    const service = props.apiManagement;
    if (props.verifyChain && service instanceof ApiManagementService) {
      const negotiation = parseSku(service.skuName).negotiation;
      if (negotiation === ClientCertificateNegotiation.CONSUMPTION_FLAG || service.caCertificates.length === 0) {
        Annotations.of(this).addWarning(
          `verifyChain is true but service ${service.node.path} has no CA certificates uploaded` +
            (negotiation === ClientCertificateNegotiation.CONSUMPTION_FLAG ? ' (Consumption cannot have any)' : '') +
            ': only client certificates that chain to a publicly trusted root are admitted.',
        );
      }
    }
  }
}

function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}
