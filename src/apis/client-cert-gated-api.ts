import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { Annotations, dependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { baseUrlRouting } from '../backends/backend-routing';
import { MutualTlsBackend } from '../backends/mutual-tls-backend';
import { attributeErrorsTo, ConstructConfigurationError } from '../construct-error';
import { APIM_RESOURCE_ID, nameFromConstructId } from '../construct-names';
import { trustedUploadedCertificates, warnAboutWeakGateOptions } from '../gates/gate-checks';
import { GateTarget } from '../gates/gate-target';
import { clientCertificateGate } from '../policy/client-certificate-gate';
import { CustomPolicy } from '../policy/custom-policy';
import { GateOptions } from '../policy/gate-options';
import { GateScope, gatedPolicyDocument } from '../policy/gated-policy-document';
import { invisibleCharactersProblem } from '../policy/invisible-characters';
import { renderPolicyElement } from '../policy/policy-renderer';
import { useReproducibleAnnotations } from '../reproducible-annotations';
import { ApiManagementService, IApiManagementService } from '../service/api-management-service';
import { StackAudit } from '../stack/stack-audit';
import { ApiDefinition } from './api-definition';
import { apiPathProblem } from './api-path';
import { CatchAllOperation } from './catch-all-operation';
import { checkBackendUrl } from '../backends/backend-url';

export interface ClientCertGatedApiProps extends GateOptions {
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
  /**
   * An OpenAPI, Swagger, WADL or WSDL definition API Management creates the API's operations
   * from (azurerm's `import` block). The API's own `service_url` is then an address that never
   * resolves (`https://routed-by-policy.invalid`), so a server named in the document is never
   * called: admitted requests are routed by the policy only, and nothing is forwarded before the
   * gate exists.
   * @default - none; operations come from `createCatchAllOperations` or your own resources
   */
  readonly definition?: ApiDefinition;
  /**
   * Your own statements around the gate (rate limits, headers, backend, outbound, on-error).
   * The gate stays first after `<base />` in `<inbound>`; routing to `backend`/`serviceUrl` comes
   * last, so the custom policy may not route itself.
   * @default - the gate and the routing alone
   */
  readonly customPolicy?: CustomPolicy;
  /**
   * Create one operation per HTTP method with URL template `/*`, so the API answers every path
   * (an API without operations answers 404). Set false to define your own operations; the stack
   * makes operations of this API defined elsewhere in it depend on the gate.
   * @default - true, or false when a `definition` provides the operations
   */
  readonly createCatchAllOperations?: boolean;
  /**
   * Whether callers must also send a subscription key (APIM's own default).
   * @default true
   */
  readonly subscriptionRequired?: boolean;
}

const CATCH_ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const ALLOWED_PROTOCOLS = ['https'];

/** Never resolves (RFC 6761): an imported API forwards nothing unless its policy routes it. */
export const ROUTED_BY_POLICY_URL = 'https://routed-by-policy.invalid';

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
  /**
   * The catch-all operations (`/*` per method), unless `createCatchAllOperations` is false. Each
   * writes what `ApiManagementApiOperation` writes and has its attribute getters (`operationId`,
   * `id`, …), through a lean resource class: the generated class's cost per resource dominated synth.
   */
  public readonly operations: CatchAllOperation[];

  constructor(scope: Construct, id: string, props: ClientCertGatedApiProps) {
    super(scope, id);
    useReproducibleAnnotations(this);
    const name = props.name ?? nameFromConstructId(id);
    this.validate(props, name);

    const routing = props.backend ? props.backend.routingStatements() : [baseUrlRouting(props.serviceUrl!)];
    this.policyXml = attributeErrorsTo(this, () =>
      renderPolicyElement(gatedPolicyDocument({ gate: clientCertificateGate(props), scope: GateScope.API, customPolicy: props.customPolicy, routing })),
    );
    const service = props.apiManagement;
    warnAboutWeakGateOptions(this, props, service);
    if (props.subscriptionRequired === false) {
      Annotations.of(this).addWarning(
        'subscriptionRequired is false: anyone holding an acceptable client certificate calls this API without a subscription key, and products cannot limit or revoke access to it. Leave it at true unless the certificate is meant to be the only credential.',
      );
    }
    const certificates = trustedUploadedCertificates(this, props.trust, service);
    const namedCertificates = [...certificates];
    // The policy presents the backend's certificate by id: it must change before that certificate can go.
    if (props.backend) namedCertificates.push(props.backend.clientCertificate);
    const definition = props.definition ? attributeErrorsTo(this, () => props.definition!.importBlock()) : undefined;

    this.api = new ApiManagementApi(this, 'Api', {
      name,
      resourceGroupName: service.resourceGroupName,
      apiManagementName: service.name,
      revision: '1',
      displayName: props.displayName,
      path: props.path,
      protocols: props.protocols ?? ['https'],
      // Without an import, no service_url: the policy routes, so the API forwards nothing until its
      // gate exists. An import would take the document's server, so it gets one that never resolves.
      serviceUrl: definition ? ROUTED_BY_POLICY_URL : undefined,
      import: definition,
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
    this.operations = (props.createCatchAllOperations ?? definition === undefined) ? this.catchAllOperations(service) : [];
    StackAudit.of(this).addGate({
      construct: this,
      target: GateTarget.api(this.api, service),
      policy: this.policy,
      trust: props.trust,
      options: props,
      certificates,
      ownDependents: this.operations,
    });
  }

  /**
   * One operation per HTTP method with URL template `/*`, so every path reaches the gate. Each
   * depends on the policy: an operation never exists, even briefly, without the gate in front.
   */
  private catchAllOperations(service: IApiManagementService): CatchAllOperation[] {
    // One reference to the API and one to the policy serve all seven: each would capture a stack trace.
    const apiName = this.api.name;
    const gate = dependable(this.policy);
    return CATCH_ALL_METHODS.map((method) => {
      const operation = new CatchAllOperation(this, `${method.charAt(0)}${method.slice(1).toLowerCase()}All`, {
        apiName,
        apiManagementName: service.name,
        resourceGroupName: service.resourceGroupName,
        method,
      });
      operation.dependsOn = [gate];
      return operation;
    });
  }

  private validate(props: ClientCertGatedApiProps, name: string): void {
    if (!APIM_RESOURCE_ID.test(name)) {
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
    // A bidirectional control reorders how the rest of the line displays in the portal and the review.
    const hidden = invisibleCharactersProblem(props.displayName);
    if (hidden) throw new ConstructConfigurationError(this, `displayName ${hidden}.`);
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
      // Exactly the rules of a backend URL, so both accept and refuse the same values; plain http is only warned here.
      const check = checkBackendUrl(props.serviceUrl);
      if (check.problem) throw new ConstructConfigurationError(this, `serviceUrl ${JSON.stringify(props.serviceUrl)} ${check.problem}.`);
      if (check.insecure) {
        Annotations.of(this).addWarning(
          `serviceUrl ${JSON.stringify(props.serviceUrl)} is plain http: requests admitted by the client certificate travel unencrypted to the backend. Use https://.`,
        );
      }
    }
  }
}

function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}
