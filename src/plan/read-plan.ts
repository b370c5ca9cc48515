import { X509Certificate, createHash } from 'node:crypto';
import { ClientCertificateNegotiation, parseSku } from '../service/sku';
import { CertificateClaims } from './claims';
import { importedOperations } from './imported-operations';
import {
  Plan,
  PlanApi,
  PlanBackend,
  PlanCaCertificate,
  PlanCertificate,
  PlanCertificateRef,
  PlanCertificateSource,
  PlanFragment,
  PlanIssue,
  PlanNamedValue,
  PlanOperation,
  PlanPolicy,
  PlanProduct,
  PlanProductLink,
  PlanService,
  PlanSymbolKind,
} from './plan';
import { known, PlanValue, undecided, UndecidedValue, valueOr } from './plan-value';
import { Placeholders } from './placeholders';
import { blocksOf, compareText, ConfiguredResource, display, isRecord, TerraformConfiguration, TerraformJson } from './terraform-configuration';
import { functionCallOf, stringLiteralOf, traversalOf } from './terraform-expression';
import { ValueResolver } from './value-resolver';

export interface ReadPlanOptions {
  /**
   * Another plan of the same app (e.g. the base of a pull request). A certificate this
   * configuration makes no claims about takes the claims of the certificate there with the same
   * address or the same source (PFX content, Key Vault secret), so a synth without the PFX
   * password reads like one with it.
   * @default - none
   */
  readonly claimsFrom?: Plan;
  /**
   * The digest of a file that `filebase64(...)` reads, by the path written in the configuration,
   * where the caller can read it. A PFX is then identified by its content rather than by the
   * asset hash in its path, which a hand-edited configuration can keep while the file changes.
   * @default - the content hash in the file's path
   */
  readonly fileDigest?: (file: string) => string | undefined;
}

/**
 * Reads a Terraform JSON configuration (`cdk.tf.json`, `stack.toTerraform()`) as Terraform will
 * apply it. Pure: reads only `json` (and `options`). Never throws for content it
 * does not understand: that is undecided.
 *
 * `JSON.parse(Testing.synth(stack))` works too, but cdktf's `Testing.synth` strips every `//`
 * block, so certificates lose their claims (a PFX certificate's thumbprint becomes a
 * placeholder); `stack.toTerraform()` keeps them.
 */
export function readPlan(json: TerraformJson | unknown, options: ReadPlanOptions = {}): Plan {
  return new PlanReader(json, options).read();
}

/** The thumbprint of a certificate written as 40 hex digits (any case), upper-cased. */
export function normalizedThumbprint(value: string): string | undefined {
  return /^[0-9A-Fa-f]{40}$/.test(value) ? value.toUpperCase() : undefined;
}

type Draft<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

interface ServiceDraft extends Draft<Omit<PlanService, 'apis' | 'products' | 'asksForCertificates'>> {
  /** Why whether it asks for certificates is left to apply. */
  openReasons: string[];
  apis: Map<string, ApiDraft>;
  products: Map<string, ProductDraft>;
  globalPolicies: ConfiguredResource[];
}
interface ApiDraft extends Draft<Omit<PlanApi, 'operations' | 'policy'>> {
  operations: Map<string, OperationDraft>;
  policies: ConfiguredResource[];
}
interface OperationDraft extends Draft<Omit<PlanOperation, 'policy'>> {
  policies: ConfiguredResource[];
}
interface ProductDraft extends Draft<Omit<PlanProduct, 'policy'>> {
  policies: ConfiguredResource[];
}

const ARM_SERVICE_ID = /\/providers\/Microsoft\.ApiManagement\/service\/([^/]+)\/?$/i;

class PlanReader {
  private readonly configuration: TerraformConfiguration;
  private readonly placeholders = new Placeholders();
  private readonly resolver: ValueResolver;
  private readonly services = new Map<string, ServiceDraft>();
  private readonly serviceByAddress = new Map<string, ServiceDraft>();
  private readonly apiByAddress = new Map<string, ApiDraft>();
  private readonly operationByAddress = new Map<string, OperationDraft>();
  private readonly productByAddress = new Map<string, ProductDraft>();
  private readonly certificateByAddress = new Map<string, PlanCertificate>();
  /** Lower-case API name → the revision reached at its path. */
  private readonly currentRevisions = new Map<string, string>();
  private readonly issues: PlanIssue[];

  constructor(
    json: unknown,
    private readonly options: ReadPlanOptions,
  ) {
    this.configuration = new TerraformConfiguration(json);
    this.issues = this.configuration.issues;
    this.resolver = new ValueResolver(this.configuration, this.placeholders, (address, attribute) => {
      const certificate = this.certificateByAddress.get(address);
      return certificate && attribute === 'thumbprint' ? known(certificate.thumbprint) : undefined;
    });
  }

  public read(): Plan {
    this.findCurrentRevisions();
    for (const resource of this.configuration.all('azurerm_api_management')) this.addManagedService(resource);
    for (const resource of this.configuration.all('data.azurerm_api_management')) this.addDataService(resource);
    for (const resource of this.configuration.all('azurerm_api_management_certificate')) this.addCertificate(resource);
    for (const resource of this.configuration.all('azurerm_api_management_custom_domain')) this.addCustomDomain(resource);
    for (const resource of this.configuration.all('azapi_update_resource')) this.addAzapiPatch(resource);
    for (const resource of this.configuration.all('azurerm_api_management_backend')) this.addBackend(resource);
    for (const resource of this.configuration.all('azurerm_api_management_named_value')) this.addNamedValue(resource);
    for (const resource of this.configuration.all('azurerm_api_management_policy_fragment')) this.addFragment(resource);
    for (const resource of this.configuration.all('azurerm_api_management_product')) this.addProduct(resource);
    for (const resource of this.configuration.all('azurerm_api_management_api')) this.addApi(resource);
    for (const resource of this.configuration.all('azurerm_api_management_api_operation')) this.addOperation(resource);
    for (const resource of this.configuration.all('azurerm_api_management_product_api')) this.addProductLink(resource);
    for (const resource of this.configuration.all('azurerm_api_management_policy')) this.attachGlobalPolicy(resource);
    for (const resource of this.configuration.all('azurerm_api_management_product_policy')) this.attachProductPolicy(resource);
    for (const resource of this.configuration.all('azurerm_api_management_api_policy')) this.attachApiPolicy(resource);
    for (const resource of this.configuration.all('azurerm_api_management_api_operation_policy')) this.attachOperationPolicy(resource);
    return {
      services: [...this.services.values()].sort((a, b) => compareText(a.key, b.key)).map((service) => this.finishService(service)),
      unreadable: this.issues,
      symbols: this.placeholders.symbols(),
    };
  }

  /**
   * The revision callers reach at an API's own path, by API name: the lowest one the plan
   * defines (the first created; a release that makes another one current is not followed).
   */
  private findCurrentRevisions(): void {
    for (const resource of this.configuration.all('azurerm_api_management_api')) {
      const name = this.resolver.text(resource.config.name);
      const revision = resource.config.revision;
      if (!name.known || typeof revision !== 'string') continue;
      const key = name.value.toLowerCase();
      const current = this.currentRevisions.get(key);
      if (current === undefined || compareRevisions(revision, current) < 0) this.currentRevisions.set(key, revision);
    }
  }

  // --- services ------------------------------------------------------------------------------

  private serviceDraft(key: string, name: PlanValue<string>, managed: boolean, address?: string): ServiceDraft {
    let service = this.services.get(key);
    if (!service) {
      service = {
        key,
        name,
        address,
        managed,
        mechanisms: [],
        openReasons: [],
        caCertificates: [],
        certificates: [],
        backends: [],
        fragments: [],
        namedValues: [],
        apis: new Map(),
        products: new Map(),
        globalPolicies: [],
      };
      this.services.set(key, service);
    } else if (managed && !service.managed) {
      Object.assign(service, { managed, address, name });
    }
    if (address) this.serviceByAddress.set(address, service);
    return service;
  }

  private serviceKeyOf(name: PlanValue<string>, fallback: string): string {
    return name.known ? `name:${name.value.toLowerCase()}` : fallback;
  }

  private addManagedService(resource: ConfiguredResource): void {
    const config = resource.config;
    const name = this.resolver.text(config.name);
    const service = this.serviceDraft(this.serviceKeyOf(name, `address:${resource.address}`), name, true, resource.address);
    const sku = this.resolver.text(config.sku_name);
    service.skuName = sku;
    if (sku.known) {
      try {
        service.requiredMechanism = parseSku(sku.value).negotiation;
      } catch {
        service.requiredMechanism = undefined;
      }
    }
    const flag = this.resolver.boolean(config.client_certificate_enabled);
    if (flag) service.clientCertificateEnabled = flag;
    if (valueOr(flag, false)) this.addMechanism(service, ClientCertificateNegotiation.CONSUMPTION_FLAG);
    const proxies = blocksOf(config.hostname_configuration).flatMap((block) => blocksOf(block.proxy));
    const negotiation = proxies.map((proxy) => this.resolver.boolean(proxy.negotiate_client_certificate));
    if (negotiation.some((value) => value?.known && value.value)) this.addMechanism(service, ClientCertificateNegotiation.HOSTNAME_NEGOTIATION);
    const openNegotiation = negotiation.find((value): value is UndecidedValue => value !== undefined && !value.known);
    const dynamicBlocks = isRecord(config.dynamic) ? Object.keys(config.dynamic) : [];
    service.caCertificates = blocksOf(config.certificate).map((block) => this.caCertificate(block));
    if (!resource.presence.known) service.openReasons.push(`${resource.address} ${resource.presence.reason}`);
    if (!sku.known) service.openReasons.push(`sku_name is ${sku.reason}`);
    else if (service.requiredMechanism === undefined) service.openReasons.push(`sku_name ${JSON.stringify(sku.value)} is not a known API Management SKU`);
    if (dynamicBlocks.length > 0) service.openReasons.push(`dynamic ${dynamicBlocks.join(', ')} blocks`);
    if (openNegotiation) service.openReasons.push(`negotiate_client_certificate is ${openNegotiation.reason}`);
  }

  private addDataService(resource: ConfiguredResource): void {
    const name = this.resolver.text(resource.config.name);
    this.serviceDraft(this.serviceKeyOf(name, `address:${resource.address}`), name, false, resource.address);
  }

  private addMechanism(service: ServiceDraft, mechanism: ClientCertificateNegotiation): void {
    if (!service.mechanisms.includes(mechanism)) service.mechanisms.push(mechanism);
    service.mechanisms.sort(compareText);
  }

  private caCertificate(block: Record<string, any>): PlanCaCertificate {
    const store = this.resolver.text(block.store_name);
    if (block.certificate_password !== undefined) return { store, der: undecided('a PFX with a password') };
    const encoded = this.resolver.text(block.encoded_certificate);
    if (!encoded.known) return { store, der: encoded };
    try {
      const der = Buffer.from(encoded.value, 'base64');
      new X509Certificate(der);
      return { store, der: known(der.toString('base64')) };
    } catch {
      return { store, der: undecided('encoded_certificate is not a base64 DER certificate') };
    }
  }

  /** The service named by `api_management_name`. */
  private serviceByName(value: unknown): ServiceDraft {
    const traversal = typeof value === 'string' ? traversalOfWhole(value) : undefined;
    if (traversal) {
      const found = this.serviceByAddress.get(traversal);
      if (found) return found;
    }
    const name = this.resolver.text(value);
    return this.serviceDraft(this.serviceKeyOf(name, `expression:${display(value)}`), name, false);
  }

  /** The service identified by `api_management_id`: a reference, or a literal ARM id. */
  private serviceById(value: unknown): ServiceDraft {
    const traversal = typeof value === 'string' ? traversalOfWhole(value, 'id') : undefined;
    if (traversal) {
      const found = this.serviceByAddress.get(traversal);
      if (found) return found;
    }
    const id = this.resolver.text(value);
    const match = id.known ? ARM_SERVICE_ID.exec(id.value) : null;
    const name = match ? known(decodeURIComponent(match[1])) : id.known ? undecided(`${JSON.stringify(id.value)} is not an API Management service id`) : id;
    return this.serviceDraft(this.serviceKeyOf(name, `expression:${display(value)}`), name, false);
  }

  private addCustomDomain(resource: ConfiguredResource): void {
    if (resource.presence.known && !resource.presence.value) return;
    const service = this.serviceById(resource.config.api_management_id);
    const gateways = blocksOf(resource.config.gateway).map((block) => this.resolver.boolean(block.negotiate_client_certificate));
    if (gateways.some((value) => value?.known && value.value)) {
      if (!resource.presence.known) service.openReasons.push(`${resource.address} ${resource.presence.reason}`);
      this.addMechanism(service, ClientCertificateNegotiation.HOSTNAME_NEGOTIATION);
    }
  }

  private addAzapiPatch(resource: ConfiguredResource): void {
    const config = resource.config;
    const type = this.resolver.text(config.type);
    if (!type.known || !type.value.toLowerCase().startsWith('microsoft.apimanagement/service@')) return;
    if (resource.presence.known && !resource.presence.value) return;
    const service = this.serviceById(config.resource_id);
    let body: unknown = config.body;
    if (typeof body === 'string') {
      const text = this.resolver.text(body);
      try {
        body = text.known ? JSON.parse(text.value) : undefined;
      } catch {
        body = undefined;
      }
    }
    const enable = isRecord(body) && isRecord(body.properties) ? this.resolver.boolean(body.properties.enableClientCertificate) : undefined;
    if (enable === undefined) return;
    if (!enable.known) {
      service.openReasons.push(`properties.enableClientCertificate of ${resource.address} is ${enable.reason}`);
      return;
    }
    if (!resource.presence.known) service.openReasons.push(`${resource.address} ${resource.presence.reason}`);
    if (enable.value) this.addMechanism(service, ClientCertificateNegotiation.AZAPI_ENABLE_CLIENT_CERTIFICATE);
  }

  // --- certificates, backends, named values, fragments ---------------------------------------------

  private addCertificate(resource: ConfiguredResource): void {
    if (resource.presence.known && !resource.presence.value) return;
    const config = resource.config;
    const service = this.serviceByName(config.api_management_name);
    const source = this.certificateSource(config);
    let claims = certificateClaimsOf(resource.claims);
    let thumbprint = claims?.thumbprint === undefined ? undefined : normalizedThumbprint(claims.thumbprint);
    if (thumbprint === undefined && this.options.claimsFrom) {
      const inherited = inheritedClaims(this.options.claimsFrom, resource.address, source);
      if (inherited) {
        claims = inherited;
        thumbprint = normalizedThumbprint(inherited.thumbprint!);
      }
    }
    const literalSecrets = (['password', 'data'] as const).filter(
      (attribute) => typeof config[attribute] === 'string' && config[attribute] !== '' && this.resolver.text(config[attribute]).known && !/^\$\{[\s\S]*\}$/.test(config[attribute] as string),
    );
    const certificate: PlanCertificate = {
      address: resource.address,
      name: this.resolver.text(config.name),
      source,
      ...(literalSecrets.length > 0 ? { literalSecrets } : {}),
      ...(claims ? { claims } : {}),
      thumbprint: thumbprint ?? this.placeholders.thumbprint(PlanSymbolKind.CERTIFICATE_THUMBPRINT, resource.address),
      thumbprintKnown: thumbprint !== undefined,
      ...(resource.conflictingClaims ? { conflictingClaims: true } : {}),
      ...presence(resource),
    };
    this.certificateByAddress.set(resource.address, certificate);
    service.certificates.push(certificate);
  }

  private certificateSource(config: Readonly<Record<string, unknown>>): PlanCertificateSource {
    if (config.key_vault_secret_id !== undefined) {
      const id = this.resolver.text(config.key_vault_secret_id);
      return id.known ? { kind: 'key-vault', secretId: id.value } : { kind: 'undecided', reason: id.reason };
    }
    if (typeof config.data !== 'string') return { kind: 'undecided', reason: 'no data and no key_vault_secret_id' };
    const whole = /^\$\{([\s\S]*)\}$/.exec(config.data);
    const call = whole ? functionCallOf(whole[1]) : undefined;
    const file = call && call.name === 'filebase64' && call.args.length === 1 ? stringLiteralOf(call.args[0]) : undefined;
    if (file !== undefined) {
      const hash = this.options.fileDigest?.(file) ?? file.split('/').find((segment) => /^[0-9A-Fa-f]{32,}$/.test(segment));
      return { kind: 'pfx-file', file, ...(hash ? { contentHash: hash.toUpperCase() } : {}) };
    }
    const literal = this.resolver.text(config.data);
    if (literal.known) return { kind: 'inline', digest: createHash('sha256').update(literal.value).digest('hex') };
    return { kind: 'undecided', reason: literal.reason };
  }

  /** A thumbprint written in a backend's credentials: a reference to a certificate, or a literal. */
  private certificateRef(service: ServiceDraft, value: unknown): PlanCertificateRef {
    const traversal = typeof value === 'string' ? traversalOfWhole(value, 'thumbprint') : undefined;
    const byReference = traversal ? this.certificateByAddress.get(traversal) : undefined;
    if (byReference) return { thumbprint: byReference.thumbprint, certificate: byReference.address };
    const text = this.resolver.text(value);
    if (!text.known) return { undecided: text.reason };
    const thumbprint = text.value.toUpperCase();
    const match = service.certificates.find((certificate) => certificate.thumbprint === thumbprint);
    return { thumbprint, ...(match ? { certificate: match.address } : {}) };
  }

  private addBackend(resource: ConfiguredResource): void {
    if (resource.presence.known && !resource.presence.value) return;
    const config = resource.config;
    const service = this.serviceByName(config.api_management_name);
    const [tls] = blocksOf(config.tls);
    const credentials = blocksOf(config.credentials);
    const dynamic = isRecord(config.dynamic) ? Object.keys(config.dynamic).filter((name) => name === 'tls' || name === 'credentials') : [];
    const chain = dynamic.length > 0 ? undecided(`dynamic ${dynamic.join(', ')} blocks`) : this.resolver.boolean(tls?.validate_certificate_chain);
    const name = dynamic.length > 0 ? chain : this.resolver.boolean(tls?.validate_certificate_name);
    const backend: PlanBackend = {
      address: resource.address,
      name: this.resolver.text(config.name),
      url: this.resolver.text(config.url),
      ...(typeof config.protocol === 'string' ? { protocol: config.protocol } : {}),
      ...(chain ? { validateCertificateChain: chain } : {}),
      ...(name ? { validateCertificateName: name } : {}),
      clientCertificates: credentials.flatMap((block) => (Array.isArray(block.certificate) ? block.certificate : block.certificate === undefined ? [] : [block.certificate])).map((value) => this.certificateRef(service, value)),
    };
    service.backends.push(backend);
  }

  private addNamedValue(resource: ConfiguredResource): void {
    if (resource.presence.known && !resource.presence.value) return;
    const config = resource.config;
    const service = this.serviceByName(config.api_management_name);
    const secret = valueOr(this.resolver.boolean(config.secret), false) === true;
    const value: PlanValue<string> = secret
      ? undecided('secret: the plan does not show it')
      : config.value_from_key_vault !== undefined
        ? undecided('read from Key Vault at apply')
        : this.resolver.text(config.value);
    // Policies refer to a named value by its display name ({{display-name}}), not by its id.
    const name = this.resolver.text(config.display_name ?? config.name);
    const namedValue: PlanNamedValue = { address: resource.address, name, value: presenceValue(resource, value), secret };
    service.namedValues.push(namedValue);
  }

  private addFragment(resource: ConfiguredResource): void {
    if (resource.presence.known && !resource.presence.value) return;
    const config = resource.config;
    const service = this.serviceById(config.api_management_id);
    const fragment: PlanFragment = {
      address: resource.address,
      name: this.resolver.text(config.name),
      text: presenceValue(resource, this.resolver.text(config.value)),
      format: typeof config.format === 'string' ? config.format : 'xml',
    };
    service.fragments.push(fragment);
  }

  // --- products, APIs, operations -------------------------------------------------------------

  private productDraft(service: ServiceDraft, productId: string, address?: string): ProductDraft {
    const key = `${service.key}/product:${productId.toLowerCase()}`;
    let product = service.products.get(key);
    if (!product) {
      product = { key, productId, subscriptionRequired: known(true), policies: [] };
      service.products.set(key, product);
    }
    if (address) {
      product.address = address;
      this.productByAddress.set(address, product);
    }
    return product;
  }

  private addProduct(resource: ConfiguredResource): void {
    if (resource.presence.known && !resource.presence.value) return;
    const config = resource.config;
    const service = this.serviceByName(config.api_management_name);
    const id = this.resolver.text(config.product_id);
    const product = this.productDraft(service, id.known ? id.value : `(${display(config.product_id)})`, resource.address);
    product.displayName = typeof config.display_name === 'string' ? config.display_name : undefined;
    product.subscriptionRequired = this.resolver.boolean(config.subscription_required) ?? known(true);
    Object.assign(product, presence(resource));
  }

  /** The product a `product_id` names: a reference to a product of the plan, or one by id. */
  private productOf(service: ServiceDraft, value: unknown): ProductDraft | UndecidedValue {
    const traversal = typeof value === 'string' ? traversalOfWhole(value, 'product_id') : undefined;
    const byReference = traversal ? this.productByAddress.get(traversal) : undefined;
    if (byReference) return byReference;
    const id = this.resolver.text(value);
    return id.known ? this.productDraft(service, id.value) : id;
  }

  private apiDraft(service: ServiceDraft, name: string, address?: string): ApiDraft {
    // API ids are case-insensitive in API Management: `Orders` and `orders` are one API.
    const key = `${service.key}/api:${name.toLowerCase()}`;
    let api = service.apis.get(key);
    if (!api) {
      api = {
        key,
        name,
        path: undecided('the API is defined outside this plan'),
        protocols: undecided('the API is defined outside this plan'),
        subscriptionRequired: undecided('the API is defined outside this plan'),
        otherOperations: 'the API is defined outside this plan',
        productLinks: [],
        operations: new Map(),
        policies: [],
      };
      service.apis.set(key, api);
    }
    if (address) this.apiByAddress.set(address, api);
    return api;
  }

  private addApi(resource: ConfiguredResource): void {
    if (resource.presence.known && !resource.presence.value) return;
    const config = resource.config;
    const service = this.serviceByName(config.api_management_name);
    const name = this.resolver.text(config.name);
    const revision = typeof config.revision === 'string' ? config.revision : undefined;
    const otherRevision = name.known && revision !== undefined && this.currentRevisions.get(name.value.toLowerCase()) !== revision;
    // A revision that is not the current one is another API to callers: `<path>;rev=<n>` reaches it.
    const apiName = name.known ? (otherRevision ? `${name.value};rev=${revision}` : name.value) : `(${display(config.name)})`;
    const api = this.apiDraft(service, apiName, resource.address);
    const path = this.resolver.text(config.path ?? '');
    api.address = resource.address;
    api.path = path.known ? known(path.value.replace(/^\/+|\/+$/g, '') + (otherRevision ? `;rev=${revision}` : '')) : path;
    api.displayName = typeof config.display_name === 'string' ? config.display_name : undefined;
    api.revision = typeof config.revision === 'string' ? config.revision : undefined;
    api.version = typeof config.version === 'string' ? config.version : undefined;
    api.protocols = this.protocols(config.protocols);
    api.subscriptionRequired = this.resolver.boolean(config.subscription_required) ?? known(true);
    api.serviceUrl = config.service_url === undefined ? undefined : this.resolver.text(config.service_url);
    api.otherOperations = undefined;
    Object.assign(api, presence(resource));
    const [definition] = blocksOf(config.import);
    if (definition) {
      const imported = importedOperations(this.resolver.text(definition.content_format), this.resolver.text(definition.content_value));
      if (imported.known) {
        for (const operation of imported.value) {
          this.operationDraft(api, operation.method, operation.urlTemplate, 'import').operationId = operation.operationId;
        }
      } else {
        api.otherOperations = imported.reason;
      }
    }
  }

  private protocols(value: unknown): PlanValue<readonly string[]> {
    if (value === undefined) return known(['https']);
    if (!Array.isArray(value)) {
      const text = this.resolver.text(value);
      return text.known ? undecided(`protocols = ${display(value)}`) : text;
    }
    const protocols: string[] = [];
    for (const item of value) {
      const text = this.resolver.text(item);
      if (!text.known) return text;
      protocols.push(text.value.toLowerCase());
    }
    return known(protocols.sort(compareText));
  }

  private operationDraft(api: ApiDraft, method: string, urlTemplate: string, source: PlanOperation['source'], address?: string): OperationDraft {
    const key = `${method.toUpperCase()} ${urlTemplate}`;
    let operation = api.operations.get(key);
    if (!operation) {
      operation = { key, method: method.toUpperCase(), urlTemplate, source, policies: [] };
      api.operations.set(key, operation);
    }
    if (address) {
      operation.address = address;
      operation.source = source;
      this.operationByAddress.set(address, operation);
    }
    return operation;
  }

  /** The API an `api_name` names: a reference to an API of the plan, or one by name. */
  private apiOf(resource: ConfiguredResource): ApiDraft | UndecidedValue {
    const config = resource.config;
    const traversal = typeof config.api_name === 'string' ? traversalOfWhole(config.api_name) : undefined;
    const byReference = traversal ? this.apiByAddress.get(traversal) : undefined;
    if (byReference) return byReference;
    const service = this.serviceByName(config.api_management_name);
    const name = this.resolver.text(config.api_name);
    if (!name.known) return name;
    const exact = service.apis.get(`${service.key}/api:${name.value.toLowerCase()}`);
    if (exact) return exact;
    // `name;rev=<n>` of the current revision is the API itself; any other revision is its own API.
    const [withoutRevision, revision] = name.value.split(';rev=');
    const current = service.apis.get(`${service.key}/api:${withoutRevision.toLowerCase()}`);
    if (current && (revision === undefined || current.revision === revision)) return current;
    return this.apiDraft(service, name.value);
  }

  private addOperation(resource: ConfiguredResource): void {
    if (resource.presence.known && !resource.presence.value) return;
    const api = this.apiOf(resource);
    if (!isDraft(api)) {
      this.issues.push({ address: resource.address, reason: `api_name is ${api.reason}` });
      return;
    }
    const config = resource.config;
    const method = this.resolver.text(config.method);
    const template = this.resolver.text(config.url_template);
    const id = this.resolver.text(config.operation_id);
    const operation = this.operationDraft(
      api,
      method.known ? method.value : `(${display(config.method)})`,
      template.known ? template.value : `(${display(config.url_template)})`,
      'resource',
      resource.address,
    );
    if (id.known) operation.operationId = id.value;
    Object.assign(operation, presence(resource));
  }

  private addProductLink(resource: ConfiguredResource): void {
    if (resource.presence.known && !resource.presence.value) return;
    const api = this.apiOf(resource);
    if (!isDraft(api)) {
      this.issues.push({ address: resource.address, reason: `api_name is ${api.reason}` });
      return;
    }
    const service = this.serviceOfApi(api);
    const product = this.productOf(service, resource.config.product_id);
    if (!isDraft(product)) {
      this.issues.push({ address: resource.address, reason: `product_id is ${product.reason}` });
      return;
    }
    const link: PlanProductLink = { address: resource.address, productKey: product.key, ...presence(resource) };
    api.productLinks.push(link);
  }

  private serviceOfApi(api: ApiDraft): ServiceDraft {
    return [...this.services.values()].find((service) => service.apis.get(api.key) === api)!;
  }

  // --- policies ---------------------------------------------------------------------------------

  private attachGlobalPolicy(resource: ConfiguredResource): void {
    if (resource.presence.known && !resource.presence.value) return;
    this.serviceById(resource.config.api_management_id).globalPolicies.push(resource);
  }

  private attachProductPolicy(resource: ConfiguredResource): void {
    if (resource.presence.known && !resource.presence.value) return;
    const service = this.serviceByName(resource.config.api_management_name);
    const product = this.productOf(service, resource.config.product_id);
    if (!isDraft(product)) {
      this.issues.push({ address: resource.address, reason: `product_id is ${product.reason}` });
      return;
    }
    product.policies.push(resource);
  }

  private attachApiPolicy(resource: ConfiguredResource): void {
    if (resource.presence.known && !resource.presence.value) return;
    const api = this.apiOf(resource);
    if (!isDraft(api)) {
      this.issues.push({ address: resource.address, reason: `api_name is ${api.reason}` });
      return;
    }
    api.policies.push(resource);
  }

  private attachOperationPolicy(resource: ConfiguredResource): void {
    if (resource.presence.known && !resource.presence.value) return;
    const api = this.apiOf(resource);
    if (!isDraft(api)) {
      this.issues.push({ address: resource.address, reason: `api_name is ${api.reason}` });
      return;
    }
    const value = resource.config.operation_id;
    const traversal = typeof value === 'string' ? traversalOfWhole(value, 'operation_id') : undefined;
    let operation = traversal ? this.operationByAddress.get(traversal) : undefined;
    if (!operation) {
      const id = this.resolver.text(value);
      if (!id.known) {
        this.issues.push({ address: resource.address, reason: `operation_id is ${id.reason}` });
        return;
      }
      operation =
        [...api.operations.values()].find((candidate) => candidate.operationId?.toLowerCase() === id.value.toLowerCase()) ??
        this.operationById(api, id.value);
    }
    operation.policies.push(resource);
  }

  private operationById(api: ApiDraft, id: string): OperationDraft {
    const key = `id:${id}`;
    let operation = api.operations.get(key);
    if (!operation) {
      operation = { key, operationId: id, source: 'policy', policies: [] };
      api.operations.set(key, operation);
    }
    return operation;
  }

  /** The policy of a scope: one resource's document as Terraform writes it, or undecided. */
  private policyOf(resources: readonly ConfiguredResource[]): PlanPolicy | undefined {
    if (resources.length === 0) return undefined;
    const address = resources.map((resource) => resource.address).join(', ');
    if (resources.length > 1) return { address, text: undecided(`${resources.length} policy resources for one scope (${address}); the last one applied wins`) };
    const [resource] = resources;
    const config = resource.config;
    const written = typeof config.xml_content === 'string' ? config.xml_content : undefined;
    let text: PlanValue<string>;
    if (!resource.presence.known) text = undecided(resource.presence.reason);
    else if (config.xml_link !== undefined) text = undecided(`xml_link ${display(config.xml_link)}: the document is downloaded at apply`);
    else if (config.xml_content === undefined) text = undecided('neither xml_content nor xml_link');
    else text = this.resolver.text(config.xml_content);
    return { address, text, ...(written !== undefined ? { written } : {}) };
  }

  // --- output -------------------------------------------------------------------------------------

  private finishService(service: ServiceDraft): PlanService {
    const { apis, products, globalPolicies, openReasons, ...rest } = service;
    const policy = this.policyOf(globalPolicies);
    let asksForCertificates: PlanValue<boolean>;
    if (!service.managed) asksForCertificates = undecided(`service ${valueOr(service.name, service.key)} is not managed by this plan`);
    else if (openReasons.length > 0) asksForCertificates = undecided(openReasons[0]);
    else asksForCertificates = known(service.requiredMechanism !== undefined && service.mechanisms.includes(service.requiredMechanism));
    return {
      ...rest,
      asksForCertificates,
      ...(policy ? { policy } : {}),
      apis: [...apis.values()].sort((a, b) => compareText(a.key, b.key)).map((api) => this.finishApi(api)),
      products: [...products.values()].sort((a, b) => compareText(a.key, b.key)).map((product) => {
        const { policies, ...own } = product;
        const productPolicy = this.policyOf(policies);
        return { ...own, ...(productPolicy ? { policy: productPolicy } : {}) };
      }),
      certificates: [...rest.certificates].sort((a, b) => compareText(a.address, b.address)),
      backends: [...rest.backends].sort((a, b) => compareText(a.address, b.address)),
      fragments: [...rest.fragments].sort((a, b) => compareText(a.address, b.address)),
      namedValues: [...rest.namedValues].sort((a, b) => compareText(a.address, b.address)),
    };
  }

  private finishApi(api: ApiDraft): PlanApi {
    const { operations, policies, otherOperations: declared, ...rest } = api;
    const policy = this.policyOf(policies);
    const list = [...operations.values()]
      .sort((a, b) => compareText(a.key, b.key))
      .map(({ policies: operationPolicies, ...operation }) => {
        const operationPolicy = this.policyOf(operationPolicies);
        return { ...operation, ...(operationPolicy ? { policy: operationPolicy } : {}) };
      });
    const otherOperations = declared ?? (list.length === 0 ? 'the plan defines no operation for it' : undefined);
    return {
      ...rest,
      ...(otherOperations !== undefined ? { otherOperations } : {}),
      ...(policy ? { policy } : {}),
      productLinks: [...rest.productLinks].sort((a, b) => compareText(a.address, b.address)),
      operations: list,
    };
  }
}

/** Numeric revisions by number, anything else by text. */
function compareRevisions(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : compareText(a, b);
}

function isDraft<T extends object>(value: T | UndecidedValue): value is T {
  return !('known' in value && value.known === false && 'reason' in value);
}

/** `type.name` when `value` is exactly `${type.name.attribute}` (with the expected attribute, default `name`). */
function traversalOfWhole(value: string, attribute = 'name'): string | undefined {
  const whole = /^\$\{([^{}]*)\}$/.exec(value);
  const traversal = whole ? traversalOf(whole[1]) : undefined;
  if (!traversal) return undefined;
  const steps = traversal.steps[0] === 'data' ? traversal.steps.slice(1) : traversal.steps;
  if (steps.length !== 3 || steps[2] !== attribute) return undefined;
  return `${traversal.steps[0] === 'data' ? 'data.' : ''}${steps[0]}.${steps[1]}`;
}

function presence(resource: ConfiguredResource): { presence?: UndecidedValue } {
  return resource.presence.known ? {} : { presence: resource.presence };
}

function presenceValue(resource: ConfiguredResource, value: PlanValue<string>): PlanValue<string> {
  return resource.presence.known ? value : resource.presence;
}

function certificateClaimsOf(claims: Readonly<Record<string, unknown>> | undefined): CertificateClaims | undefined {
  return claims && claims.kind === 'certificate' ? (claims as unknown as CertificateClaims) : undefined;
}

/** Claims with a thumbprint of the certificate in `other` at the same address or with the same source. */
function inheritedClaims(other: Plan, address: string, source: PlanCertificateSource): CertificateClaims | undefined {
  const candidates = other.services.flatMap((service) => service.certificates).filter((certificate) => certificate.claims?.thumbprint !== undefined);
  const sameSource = (certificate: PlanCertificate) => sourceIdentity(certificate.source) === sourceIdentity(source);
  const match = candidates.find((certificate) => certificate.address === address && sameSource(certificate)) ?? candidates.find(sameSource);
  return match?.claims;
}

/** What identifies a certificate's content across plans: the PFX content hash, the Key Vault secret, the inline data. */
export function sourceIdentity(source: PlanCertificateSource): string {
  switch (source.kind) {
    case 'pfx-file':
      return source.contentHash !== undefined ? `pfx:${source.contentHash}` : `pfx-file:${source.file}`;
    case 'key-vault':
      return `key-vault:${source.secretId.toLowerCase().replace(/\/+$/, '')}`;
    case 'inline':
      return `inline:${source.digest}`;
    case 'undecided':
      return `undecided:${source.reason}`;
  }
}
