import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { BackendReviewMetadata, CertificateReviewMetadata, ServiceReviewMetadata } from './review-metadata';
import { REVIEW_METADATA_KEY } from './review-metadata';
import { ClientCertificateNegotiation, parseSku } from '../service/sku';
import { analysePolicy, PolicyAnalysis, WrittenCertificateReference, WrittenGate, WrittenTrustMember } from './policy-analysis';
import {
  AnnotationLevel,
  CertificateOrigin,
  CertificateReference,
  ClientCertificatePresentation,
  ReviewedAnnotation,
  ReviewedApi,
  ReviewedBackend,
  ReviewedCertificate,
  ReviewedGate,
  ReviewedGateStatus,
  ReviewedGateStyle,
  ReviewedOtherPolicy,
  ReviewedService,
  ReviewedStack,
  SecurityModel,
  TrustMember,
  TrustMemberKind,
} from './security-model';
import { ReviewInputError } from './review-input-error';
import { compareText, isObject, SynthAnnotation, SynthesizedPlan, SynthesizedStack } from './synthesized-plan';

/** Builds the security model of a synthesized plan. Pure: reads only `plan`. */
export function buildSecurityModel(plan: SynthesizedPlan): SecurityModel {
  return { stacks: plan.stacks.map(buildStack) };
}

type Resource = Record<string, any>;

interface Entry {
  readonly address: string;
  readonly resource: Resource;
  readonly constructPath?: string;
}

/** `${type.name.attribute}` as a whole value. */
interface Reference {
  readonly type: string;
  readonly name: string;
  readonly attribute: string;
  readonly text: string;
}

export function referenceOf(value: unknown): Reference | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\$\{((?:data\.)?[A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_.\-[\]]+))?\}$/.exec(value);
  if (!m) return undefined;
  const attribute = m[3] ?? '';
  return { type: m[1], name: m[2], attribute, text: attribute ? `${m[1]}.${m[2]}.${attribute}` : `${m[1]}.${m[2]}` };
}

/** A literal or a Terraform expression shown as the reference it is. */
function display(value: unknown): string {
  if (typeof value === 'string') return referenceOf(value)?.text ?? value;
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

function literal(value: unknown): string | undefined {
  return typeof value === 'string' && !value.includes('${') ? value : undefined;
}

function firstBlock(value: unknown): Resource | undefined {
  if (Array.isArray(value)) return isObject(value[0]) ? value[0] : undefined;
  return isObject(value) ? value : undefined;
}

function blocks(value: unknown): Resource[] {
  return (Array.isArray(value) ? value : [value]).filter(isObject);
}

function metadataOf<T>(resource: Resource, kind: string): T | undefined {
  const metadata = resource['//']?.[REVIEW_METADATA_KEY];
  return isObject(metadata) && metadata.kind === kind ? (metadata as T) : undefined;
}

function sortedBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => compareText(key(a), key(b)));
}

const THUMBPRINT = /^[0-9A-F]{40}$/;

class StackBuilder {
  private readonly resources: Record<string, Record<string, Resource>>;
  private readonly data: Record<string, Record<string, Resource>>;
  private readonly services = new Map<string, MutableService>();
  private readonly certificates: Array<ReviewedCertificate & { flags: string[] }> = [];
  private readonly backends: MutableBackend[] = [];
  private readonly apis = new Map<string, MutableApi>();
  private readonly otherPolicies: ReviewedOtherPolicy[] = [];

  constructor(private readonly stack: SynthesizedStack) {
    this.resources = (isObject(stack.config.resource) ? stack.config.resource : {}) as Record<string, Record<string, Resource>>;
    this.data = (isObject(stack.config.data) ? stack.config.data : {}) as Record<string, Record<string, Resource>>;
  }

  private entries(type: string): Entry[] {
    const byName = this.resources[type];
    if (!isObject(byName)) return [];
    return sortedBy(Object.keys(byName), (n) => n)
      .filter((name) => isObject(byName[name]))
      .map((name) => ({
        address: `${type}.${name}`,
        resource: byName[name],
        constructPath: typeof byName[name]['//']?.metadata?.path === 'string' ? byName[name]['//'].metadata.path : undefined,
      }));
  }

  build(): ReviewedStack {
    for (const entry of this.entries('azurerm_api_management')) this.addService(entry);
    for (const entry of this.entries('azurerm_api_management_certificate')) this.addCertificate(entry);
    for (const entry of this.entries('azurerm_api_management_backend')) this.addBackend(entry);
    for (const entry of this.entries('azurerm_api_management_api')) this.addApi(entry);
    for (const entry of this.entries('azurerm_api_management_api_policy')) this.addApiPolicy(entry);
    for (const entry of this.entries('azurerm_api_management_api_operation_policy')) this.addOperationPolicy(entry);
    for (const entry of this.entries('azurerm_api_management_policy')) this.addOtherPolicy(entry, 'global');
    for (const entry of this.entries('azurerm_api_management_product_policy')) {
      this.addOtherPolicy(entry, `product ${display(entry.resource.product_id)}`);
    }
    this.applyAzapiPatches();
    this.finishServices();
    this.linkApisAndBackends();
    return {
      name: this.stack.name,
      services: sortedBy([...this.services.values()], (s) => s.key).map(freezeService),
      apis: sortedBy([...this.apis.values()], apiSortKey).map(freezeApi),
      backends: sortedBy(this.backends, (b) => b.key).map(freezeBackend),
      certificates: sortedBy(this.certificates, (c) => c.key),
      otherPolicies: sortedBy(this.otherPolicies, (p) => p.key),
      annotations: annotationsOf(this.stack.annotations),
    };
  }

  // --- services -----------------------------------------------------------------------------

  private addService(entry: Entry): void {
    const r = entry.resource;
    const name = literal(r.name) ?? entry.address;
    const key = `${this.stack.name}/service:${name}`;
    const proxies = blocks(r.hostname_configuration).flatMap((h) => blocks(h.proxy));
    const mechanisms: string[] = [];
    if (r.client_certificate_enabled === true) mechanisms.push(ClientCertificateNegotiation.CONSUMPTION_FLAG);
    const negotiatingHostNames = proxies.filter((p) => p.negotiate_client_certificate === true).map((p) => display(p.host_name));
    if (negotiatingHostNames.length > 0) mechanisms.push(ClientCertificateNegotiation.HOSTNAME_NEGOTIATION);
    this.services.set(key, {
      key,
      stack: this.stack.name,
      address: entry.address,
      constructPath: entry.constructPath,
      name,
      managed: true,
      skuName: typeof r.sku_name === 'string' ? display(r.sku_name) : undefined,
      mechanisms,
      negotiatingHostNames: negotiatingHostNames.sort(compareText),
      caCertificateStores: blocks(r.certificate).map((c) => display(c.store_name)),
      flags: [],
      resource: r,
      proxies,
    });
  }

  /** The service a resource's `api_management_name` points at, created as "not managed here" when needed. */
  private serviceOf(value: unknown): MutableService {
    const reference = referenceOf(value);
    if (reference?.type === 'azurerm_api_management') {
      const found = [...this.services.values()].find((s) => s.address === `${reference.type}.${reference.name}`);
      if (found) return found;
    }
    let name: string;
    if (reference?.type === 'data.azurerm_api_management') {
      name = literal(this.data.azurerm_api_management?.[reference.name]?.name) ?? reference.text;
    } else {
      name = literal(value) ?? display(value);
    }
    const managed = [...this.services.values()].find((s) => s.managed && s.name === name);
    if (managed) return managed;
    const key = `${this.stack.name}/service:${name}`;
    let service = this.services.get(key);
    if (!service) {
      service = {
        key,
        stack: this.stack.name,
        name,
        managed: false,
        mechanisms: [],
        negotiatingHostNames: [],
        caCertificateStores: [],
        flags: [
          'not managed by this plan: whether it asks callers for client certificates cannot be seen here (without that every caller of a gated API is rejected)',
        ],
        proxies: [],
      };
      this.services.set(key, service);
    }
    return service;
  }

  private applyAzapiPatches(): void {
    for (const entry of this.entries('azapi_update_resource')) {
      const r = entry.resource;
      const reference = referenceOf(r.resource_id);
      if (typeof r.type !== 'string' || !r.type.startsWith('Microsoft.ApiManagement/service@')) continue;
      if (reference?.type !== 'azurerm_api_management' || reference.attribute !== 'id') continue;
      let body = r.body;
      if (typeof body === 'string') {
        try {
          body = JSON.parse(body);
        } catch {
          body = undefined;
        }
      }
      if (body?.properties?.enableClientCertificate !== true) continue;
      const service = [...this.services.values()].find((s) => s.address === `azurerm_api_management.${reference.name}`);
      if (service && !service.mechanisms.includes(ClientCertificateNegotiation.AZAPI_ENABLE_CLIENT_CERTIFICATE)) {
        service.mechanisms.push(ClientCertificateNegotiation.AZAPI_ENABLE_CLIENT_CERTIFICATE);
      }
    }
  }

  private finishServices(): void {
    for (const service of this.services.values()) {
      service.mechanisms.sort(compareText);
      if (!service.managed) continue;
      const r = service.resource!;
      const metadata = metadataOf<ServiceReviewMetadata>(r, 'service');
      let required: string | undefined;
      let tier: string | undefined;
      const sku = literal(r.sku_name);
      if (sku === undefined) {
        service.flags.push('its SKU is not known at synth: check by hand that it asks callers for client certificates');
      } else {
        try {
          const parsed = parseSku(sku);
          required = parsed.negotiation;
          tier = parsed.tier;
        } catch {
          service.flags.push(`SKU ${JSON.stringify(sku)} is not one this review knows: check by hand that it asks callers for client certificates`);
        }
      }
      required ??= metadata?.clientCertificateNegotiation;
      service.requiredMechanism = required;
      const consequence = 'so APIM never asks callers for a certificate and every client-certificate gated API rejects every caller';
      if (required !== undefined && !service.mechanisms.includes(required)) {
        switch (required) {
          case ClientCertificateNegotiation.CONSUMPTION_FLAG:
            service.flags.push(`Consumption service without client_certificate_enabled = true, ${consequence}`);
            break;
          case ClientCertificateNegotiation.HOSTNAME_NEGOTIATION:
            service.flags.push(`no gateway host name with negotiate_client_certificate = true on this ${tier ?? 'classic'} service, ${consequence}`);
            break;
          case ClientCertificateNegotiation.AZAPI_ENABLE_CLIENT_CERTIFICATE:
            service.flags.push(
              `no azapi_update_resource setting properties.enableClientCertificate = true on this ${tier ?? 'v2'} service (azurerm cannot set it), ${consequence}`,
            );
            break;
        }
      }
      if (required !== undefined && required !== ClientCertificateNegotiation.CONSUMPTION_FLAG && r.client_certificate_enabled !== undefined) {
        service.flags.push(`client_certificate_enabled is set on a ${tier ?? 'non-Consumption'} service; azurerm allows it only on Consumption, so apply fails`);
      }
      if (required === ClientCertificateNegotiation.HOSTNAME_NEGOTIATION && service.proxies.length > 0 && literal(r.name) !== undefined) {
        const defaultHost = `${r.name}.azure-api.net`;
        const proxy = service.proxies.find((p) => p.host_name === defaultHost);
        if (!proxy) {
          service.flags.push(`the default host ${defaultHost} has no proxy block while others do: the plan never settles (azurerm #20958) and that host may not ask for certificates`);
        } else if (proxy.negotiate_client_certificate !== true && service.negotiatingHostNames.length > 0) {
          service.flags.push(`the default host ${defaultHost} does not negotiate client certificates: callers using it are rejected`);
        }
      }
    }
  }

  // --- certificates ---------------------------------------------------------------------------

  private addCertificate(entry: Entry): void {
    const r = entry.resource;
    const service = this.serviceOf(r.api_management_name);
    const metadata = metadataOf<CertificateReviewMetadata>(r, 'certificate');
    const name = literal(r.name) ?? display(r.name);
    const flags: string[] = [];
    let origin = CertificateOrigin.UNKNOWN;
    if (r.key_vault_secret_id !== undefined) origin = CertificateOrigin.KEY_VAULT;
    else if (r.data !== undefined) origin = CertificateOrigin.PFX_FILE;
    else if (metadata?.source === 'key-vault') origin = CertificateOrigin.KEY_VAULT;
    else if (metadata?.source === 'pfx-file') origin = CertificateOrigin.PFX_FILE;

    let fileName = metadata?.fileName;
    if (typeof r.data === 'string') {
      const file = /^\$\{filebase64\("((?:[^"\\]|\\.)*)"\)\}$/.exec(r.data);
      if (file) fileName ??= posix.basename(file[1].replace(/\\/g, '/'));
      else if (!/^\$\{[\s\S]*\}$/.test(r.data)) flags.push('the PFX itself is embedded in cdk.tf.json (content not shown): read it from a file with filebase64() instead');
    }
    let passwordSource: string | undefined;
    if (typeof r.password === 'string' && r.password !== '') {
      const reference = referenceOf(r.password);
      if (reference?.type === 'var') passwordSource = `variable ${reference.name}`;
      else if (/^\$\{[\s\S]*\}$/.test(r.password)) passwordSource = 'a Terraform expression';
      else {
        passwordSource = 'plain text in cdk.tf.json';
        flags.push('its PFX password is written in plain text in cdk.tf.json (value not shown): pass it as a sensitive variable');
      }
    }
    const keyVaultSecretId = r.key_vault_secret_id === undefined ? undefined : display(r.key_vault_secret_id);
    if (keyVaultSecretId && /\/secrets\/[^/]+\/[0-9a-fA-F]{32}\/?$/.test(keyVaultSecretId)) {
      flags.push('its Key Vault secret id names one version, so API Management does not follow rotations: use the versionless id');
    }
    this.certificates.push({
      key: `${service.key}/certificate:${name}`,
      stack: this.stack.name,
      address: entry.address,
      constructPath: entry.constructPath,
      name,
      serviceKey: service.key,
      serviceName: service.name,
      origin,
      ...defined({
        fileName,
        keyVaultSecretId,
        keyVaultIdentityClientId: r.key_vault_identity_client_id === undefined ? undefined : display(r.key_vault_identity_client_id),
        passwordSource,
      }),
      inspected: metadata?.inspected === true,
      ...defined({
        thumbprint: metadata?.thumbprint,
        subject: metadata?.subject,
        issuer: metadata?.issuer,
        notBefore: metadata?.notBefore,
        notAfter: metadata?.notAfter,
        selfSigned: metadata?.selfSigned,
      }),
      flags,
    });
  }

  /** Resolves a thumbprint or certificate id to the plan's certificates on `service`. */
  private resolveCertificate(service: MutableService, written: WrittenCertificateReference): CertificateReference {
    const onService = this.certificates.filter((c) => c.serviceKey === service.key);
    if (written.certificateId !== undefined) {
      return { certificateId: written.certificateId, certificateNames: onService.filter((c) => c.name === written.certificateId).map((c) => c.name) };
    }
    const value = written.thumbprint ?? '';
    const reference = referenceOf(value);
    if (reference) {
      const names = reference.type === 'azurerm_api_management_certificate' && reference.attribute === 'thumbprint'
        ? this.certificates.filter((c) => c.address === `${reference.type}.${reference.name}`).map((c) => c.name)
        : [];
      return { reference: reference.text, certificateNames: names };
    }
    return {
      thumbprint: value,
      certificateNames: onService.filter((c) => c.thumbprint !== undefined && c.thumbprint === value.toUpperCase()).map((c) => c.name).sort(compareText),
    };
  }

  private certificateByName(service: MutableService, name: string): ReviewedCertificate | undefined {
    return this.certificates.find((c) => c.serviceKey === service.key && c.name === name);
  }

  // --- backends -------------------------------------------------------------------------------

  private addBackend(entry: Entry): void {
    const r = entry.resource;
    const service = this.serviceOf(r.api_management_name);
    const metadata = metadataOf<BackendReviewMetadata>(r, 'mutual-tls-backend');
    const name = literal(r.name) ?? display(r.name);
    const tls = firstBlock(r.tls);
    const credentials = blocks(r.credentials);
    const credentialThumbprints = credentials.flatMap((c) => (Array.isArray(c.certificate) ? c.certificate : []));
    const credentialIds = credentials.flatMap((c) => (Array.isArray(c.certificate_ids) ? c.certificate_ids : []));
    let presentation = ClientCertificatePresentation.NONE;
    let clientCertificates: CertificateReference[] = [];
    if (credentialThumbprints.length > 0 || credentialIds.length > 0) {
      presentation = ClientCertificatePresentation.BACKEND_CREDENTIALS;
      clientCertificates = [
        ...credentialThumbprints.map((t) => this.resolveCertificate(service, { thumbprint: String(t) })),
        ...credentialIds.map((id) => this.resolveCertificate(service, { certificateId: display(id) })),
      ];
    } else if (metadata?.presentedBy === 'api-policy') {
      presentation = ClientCertificatePresentation.API_POLICY;
      clientCertificates = [this.resolveCertificate(service, { certificateId: metadata.clientCertificateId })];
    }
    const url = r.url === undefined ? undefined : display(r.url);
    const flags: string[] = [];
    const chain = typeof tls?.validate_certificate_chain === 'boolean' ? tls.validate_certificate_chain : undefined;
    const hostName = typeof tls?.validate_certificate_name === 'boolean' ? tls.validate_certificate_name : undefined;
    if (chain === false) flags.push("server certificate chain validation is off: APIM accepts any server certificate there, including an impostor's");
    if (chain === undefined) flags.push('validate_certificate_chain is not set: the service default is undocumented, set it explicitly');
    if (hostName === false) flags.push('server certificate name validation is off: APIM accepts a certificate issued for any host name');
    if (hostName === undefined) flags.push('validate_certificate_name is not set: the service default is undocumented, set it explicitly');
    if (url !== undefined && /^http:\/\//i.test(url)) flags.push('plain http URL: requests and any client certificate travel unprotected');
    for (const ref of clientCertificates) {
      const certificate = ref.certificateNames.length === 1 ? this.certificateByName(service, ref.certificateNames[0]) : undefined;
      if (presentation === ClientCertificatePresentation.BACKEND_CREDENTIALS && certificate?.origin === CertificateOrigin.KEY_VAULT) {
        flags.push(`presents Key Vault certificate "${certificate.name}" by thumbprint, which goes stale when Key Vault rotates it`);
      }
    }
    this.backends.push({
      key: `${service.key}/backend:${name}`,
      stack: this.stack.name,
      address: entry.address,
      constructPath: entry.constructPath,
      name,
      serviceKey: service.key,
      serviceName: service.name,
      url,
      protocol: r.protocol === undefined ? undefined : display(r.protocol),
      validateCertificateChain: chain,
      validateCertificateName: hostName,
      presentation,
      clientCertificates,
      usedByApis: [],
      flags,
      service,
    });
  }

  // --- APIs and policies ----------------------------------------------------------------------

  private addApi(entry: Entry): void {
    const r = entry.resource;
    const service = this.serviceOf(r.api_management_name);
    const name = literal(r.name) ?? display(r.name);
    const key = `${service.key}/api:${name}`;
    this.apis.set(key, {
      key,
      stack: this.stack.name,
      address: entry.address,
      constructPath: entry.constructPath,
      name,
      displayName: r.display_name === undefined ? undefined : display(r.display_name),
      path: r.path === undefined ? undefined : display(r.path),
      protocols: Array.isArray(r.protocols) ? r.protocols.map(display).sort(compareText) : [],
      subscriptionRequired: typeof r.subscription_required === 'boolean' ? r.subscription_required : undefined,
      serviceKey: service.key,
      serviceName: service.name,
      serviceUrl: r.service_url === undefined ? undefined : display(r.service_url),
      operationsSkippingGate: [],
      flags: [],
      service,
      policies: [],
    });
  }

  /** The API a policy's `api_name` points at; an entry for an API outside the plan when none. */
  private apiOf(apiName: unknown, serviceName: unknown): MutableApi {
    const reference = referenceOf(apiName);
    if (reference?.type === 'azurerm_api_management_api') {
      const found = [...this.apis.values()].find((a) => a.address === `${reference.type}.${reference.name}`);
      if (found) return found;
    }
    const service = this.serviceOf(serviceName);
    const name = literal(apiName) ?? display(apiName);
    const key = `${service.key}/api:${name}`;
    let api = this.apis.get(key);
    if (!api) {
      api = {
        key,
        stack: this.stack.name,
        name,
        protocols: [],
        serviceKey: service.key,
        serviceName: service.name,
        operationsSkippingGate: [],
        flags: ['the API itself is not defined in this plan; only its policy is'],
        service,
        policies: [],
      };
      this.apis.set(key, api);
    }
    return api;
  }

  private addApiPolicy(entry: Entry): void {
    const api = this.apiOf(entry.resource.api_name, entry.resource.api_management_name);
    api.policies.push({ address: entry.address, analysis: this.analyse(entry.resource), text: policyTextOf(entry.resource) });
  }

  private analyse(resource: Resource): PolicyAnalysis {
    const text = policyTextOf(resource);
    if (text !== undefined) return analysePolicy(text);
    const link = resource.xml_link === undefined ? 'no xml_content' : `loaded from ${display(resource.xml_link)} at apply time`;
    return {
      gate: { status: ReviewedGateStatus.NOT_RECOGNISED, members: [], rules: [], problem: `the policy is ${link}, so the plan does not show it`, details: [] },
      authenticationCertificates: [],
      inboundHasBase: true,
      notes: [],
    };
  }

  private addOperationPolicy(entry: Entry): void {
    const r = entry.resource;
    const api = this.apiOf(r.api_name, r.api_management_name);
    const operation = display(r.operation_id);
    const analysis = this.analyse(r);
    if (!analysis.inboundHasBase && policyTextOf(r) !== undefined) api.operationsSkippingGate.push(operation);
    this.otherPolicies.push({
      key: `${api.key}/operation:${operation}`,
      stack: this.stack.name,
      address: entry.address,
      scope: `operation ${api.name}/${operation}`,
      gate: this.trustOf(api.service, analysis.gate),
    });
  }

  private addOtherPolicy(entry: Entry, scope: string): void {
    const service = this.serviceOf(entry.resource.api_management_name);
    this.otherPolicies.push({
      key: `${service.key}/${scope}`,
      stack: this.stack.name,
      address: entry.address,
      scope,
      gate: this.trustOf(service, this.analyse(entry.resource).gate),
    });
  }

  /** A written gate with its members matched to the plan's certificates. */
  private trustOf(service: MutableService, gate: WrittenGate): ReviewedGate {
    const members = gate.members.map((m) => this.member(service, m));
    const unique = new Map(members.map((m) => [m.key, m]));
    return {
      status: gate.status,
      ...defined({ style: gate.style }),
      members: sortedBy([...unique.values()], (m) => m.key),
      rules: gate.rules,
      ...defined({
        checks: gate.checks,
        rejectStatusCode: gate.rejectStatusCode,
        rejectReason: gate.rejectReason,
        problem: gate.problem,
      }),
      details: gate.details,
    };
  }

  private member(service: MutableService, written: WrittenTrustMember): TrustMember {
    switch (written.kind) {
      case TrustMemberKind.THUMBPRINT: {
        const ref = this.resolveCertificate(service, { thumbprint: written.thumbprint });
        // A certificate's thumbprint is a literal when its PFX was opened at synth and a
        // reference when it was not (a CI synth without the password): both mean the same
        // certificate, so compare plans by the certificate, not by how the value was written.
        const key =
          ref.certificateNames.length > 0
            ? `thumbprint-of:${ref.certificateNames[0]}`
            : ref.reference !== undefined
              ? `thumbprint-of:${ref.reference}`
              : `thumbprint:${ref.thumbprint}`;
        return { kind: written.kind, key, ...ref };
      }
      case TrustMemberKind.CERTIFICATE_ID:
        return { kind: written.kind, key: `certificate-id:${written.certificateId}`, ...this.resolveCertificate(service, { certificateId: written.certificateId }) };
      case TrustMemberKind.IDENTITY:
        return {
          kind: written.kind,
          key: `identity:${(written.claims ?? []).map((c) => `${c.name}=${c.value}`).join(',')}`,
          claims: written.claims,
          certificateNames: [],
        };
      default:
        return { kind: written.kind, key: written.kind, certificateNames: [] };
    }
  }

  private linkApisAndBackends(): void {
    for (const api of this.apis.values()) {
      const policies = api.policies;
      let analysis: PolicyAnalysis | undefined;
      if (policies.length === 1) analysis = policies[0].analysis;
      api.policyAddress = policies.map((p) => p.address).join(', ') || undefined;
      const text = policies.length === 1 ? policies[0].text : undefined;
      api.policyDigest = text === undefined ? undefined : createHash('sha256').update(text).digest('hex');
      if (policies.length === 0) {
        api.gate = { status: ReviewedGateStatus.NO_POLICY, members: [], rules: [], details: [] };
      } else if (policies.length > 1) {
        api.gate = { status: ReviewedGateStatus.NOT_RECOGNISED, members: [], rules: [], problem: 'the plan has more than one policy for this API', details: [] };
      } else {
        api.gate = this.trustOf(api.service, analysis!.gate);
      }
      api.routing = {
        ...defined({ backendId: analysis?.backendId, baseUrl: analysis?.baseUrl }),
        authenticationCertificates: (analysis?.authenticationCertificates ?? []).map((ref) => this.resolveCertificate(api.service, ref)),
      };
      for (const note of analysis?.notes ?? []) api.flags.push(note);
      const backend = api.routing.backendId === undefined ? undefined : this.backends.find((b) => b.serviceKey === api.serviceKey && b.name === api.routing!.backendId);
      if (backend) {
        backend.usedByApis.push(api.key);
        if (backend.presentation === ClientCertificatePresentation.API_POLICY) {
          for (const needed of backend.clientCertificates) {
            if (!api.routing.authenticationCertificates.some((ref) => ref.certificateId === needed.certificateId)) {
              const message = `routes to backend "${backend.name}", whose client certificate "${needed.certificateId}" must be presented by the API policy, but this policy does not present it`;
              api.flags.push(message);
            }
          }
        }
      }
      this.flagApi(api);
    }
    for (const backend of this.backends) {
      backend.usedByApis.sort(compareText);
      if (backend.presentation === ClientCertificatePresentation.NONE) {
        const presented = [...this.apis.values()]
          .filter((a) => backend.usedByApis.includes(a.key))
          .flatMap((a) => a.routing!.authenticationCertificates);
        if (presented.length > 0) {
          backend.presentation = ClientCertificatePresentation.API_POLICY;
          const unique = new Map(presented.map((p) => [JSON.stringify(p), p]));
          backend.clientCertificates = sortedBy([...unique.values()], (p) => JSON.stringify(p));
        }
      }
    }
  }

  private flagApi(api: MutableApi): void {
    const gate = api.gate!;
    const flags = api.flags;
    const withKey = api.subscriptionRequired === false ? '' : ' (with a subscription key)';
    switch (gate.status) {
      case ReviewedGateStatus.NO_POLICY:
        flags.push(`no policy in this plan: nothing here checks client certificates, so any caller${withKey} is admitted unless a global or product policy checks them`);
        break;
      case ReviewedGateStatus.NO_GATE:
        flags.push(`its policy checks no client certificate: any caller${withKey} is admitted unless a global or product policy checks one`);
        break;
      case ReviewedGateStatus.NOT_RECOGNISED:
        flags.push(`gate not recognised: ${gate.problem}. Read the policy by hand`);
        break;
    }
    if (api.protocols.some((p) => p.toLowerCase() === 'http')) {
      flags.push('accepts plain http, where no client certificate is ever presented');
    }
    for (const operation of api.operationsSkippingGate) {
      flags.push(`operation "${operation}" has its own policy without <base /> in inbound, so this API's gate does not run for it`);
    }
    if (gate.status !== ReviewedGateStatus.RECOGNISED) return;

    const kinds = new Set(gate.members.map((m) => m.kind));
    const checks = gate.checks!;
    if (kinds.has(TrustMemberKind.ANYONE)) {
      flags.push('ignore-error="true": failed certificate validations are ignored, so every caller is admitted, even without a certificate');
    }
    if (kinds.has(TrustMemberKind.NOT_UPLOADED)) {
      flags.push(
        'inverted check of the 2017 documentation (no "!" before context.Deployment.Certificates.Any): it admits every certificate NOT uploaded to the service and rejects the uploaded ones',
      );
    }
    if (kinds.has(TrustMemberKind.ANY_CERTIFICATE)) {
      if (!checks.chain) {
        flags.push(
          gate.rules.length > 0
            ? 'pins no certificate and does not validate the chain: anyone can make a self-signed certificate that meets its issuer and subject rules'
            : 'pins no certificate and does not validate the chain: any certificate, even a self-signed one, is admitted',
        );
      } else if (gate.rules.length === 0) {
        flags.push('pins no certificate and has no issuer or subject rule: any certificate that chains to a trusted root is admitted');
      }
    }
    if (kinds.has(TrustMemberKind.ANY_UPLOADED)) {
      const forBackends = this.certificates
        .filter((c) => c.serviceKey === api.serviceKey)
        .filter((c) => this.backends.some((b) => b.serviceKey === api.serviceKey && b.clientCertificates.some((ref) => ref.certificateNames.includes(c.name))))
        .map((c) => `"${c.name}"`);
      if (forBackends.length > 0) {
        flags.push(`trusts every certificate uploaded to the service, including ${forBackends.join(', ')} uploaded for backend mutual TLS: callers presenting it are admitted`);
      }
      if (!api.service.managed) {
        flags.push('trusts every certificate uploaded to a service this plan does not manage: certificates uploaded there outside this plan are admitted too');
      }
    }
    // Chain validation (Verify(), validate-trust) checks the validity period itself.
    if (!checks.chain && (!checks.notAfter || !checks.notBefore)) {
      flags.push(`does not check the validity period (${[!checks.notBefore && 'not before', !checks.notAfter && 'not after'].filter(Boolean).join(', ')}): expired or not yet valid certificates are admitted`);
    }
    if (checks.chain && api.service.managed && api.service.caCertificateStores.length === 0) {
      flags.push(
        api.service.requiredMechanism === ClientCertificateNegotiation.CONSUMPTION_FLAG
          ? 'validates the chain on a Consumption service, which cannot hold CA certificates: only certificates from publicly trusted roots pass'
          : 'validates the chain but the service has no CA certificates uploaded: only certificates from publicly trusted roots pass',
      );
    }
    if (gate.rejectStatusCode !== undefined && gate.rejectStatusCode < 400) {
      flags.push(`rejected callers get status ${gate.rejectStatusCode}, which does not look like a rejection`);
    }
    for (const member of gate.members) {
      if (member.kind !== TrustMemberKind.THUMBPRINT) continue;
      if (member.thumbprint !== undefined && !THUMBPRINT.test(member.thumbprint)) {
        flags.push(
          gate.style === ReviewedGateStyle.VALIDATE_POLICY
            ? `thumbprint "${member.thumbprint}" is not 40 upper-case hexadecimal digits`
            : `thumbprint "${member.thumbprint}" is not 40 upper-case hexadecimal digits, so it never matches (APIM compares thumbprints case-sensitively)`,
        );
      }
      for (const name of member.certificateNames) {
        if (this.certificateByName(api.service, name)?.origin === CertificateOrigin.KEY_VAULT) {
          flags.push(`pins Key Vault certificate "${name}" by thumbprint, which goes stale when Key Vault rotates it: match it by certificate id`);
        }
      }
    }
  }
}

interface MutableService extends Omit<ReviewedService, 'flags' | 'requiredMechanism' | 'mechanisms'> {
  requiredMechanism?: string;
  mechanisms: string[];
  flags: string[];
  resource?: Resource;
  proxies: Resource[];
}

interface MutableBackend extends Omit<ReviewedBackend, 'flags' | 'usedByApis' | 'presentation' | 'clientCertificates'> {
  presentation: ClientCertificatePresentation;
  clientCertificates: CertificateReference[];
  usedByApis: string[];
  flags: string[];
  service: MutableService;
}

interface MutableApi extends Omit<ReviewedApi, 'flags' | 'gate' | 'routing' | 'operationsSkippingGate' | 'policyAddress' | 'policyDigest'> {
  gate?: ReviewedGate;
  routing?: ReviewedApi['routing'];
  policyAddress?: string;
  policyDigest?: string;
  operationsSkippingGate: string[];
  flags: string[];
  service: MutableService;
  policies: Array<{ address: string; analysis: PolicyAnalysis; text?: string }>;
}

function policyTextOf(resource: Resource): string | undefined {
  return typeof resource.xml_content === 'string' ? resource.xml_content : typeof resource.value === 'string' ? resource.value : undefined;
}

function apiSortKey(api: MutableApi): string {
  return `${api.serviceKey}\u0000${api.path ?? '\uffff'}\u0000${api.name}`;
}

function freezeService(s: MutableService): ReviewedService {
  const { resource: _r, proxies: _p, ...rest } = s;
  return { ...rest, flags: unique(rest.flags) };
}

function freezeBackend(b: MutableBackend): ReviewedBackend {
  const { service: _s, ...rest } = b;
  return { ...rest, flags: unique(rest.flags) };
}

function freezeApi(a: MutableApi): ReviewedApi {
  const { service: _s, policies: _p, gate, routing, ...rest } = a;
  return { ...rest, gate: gate!, routing: routing!, operationsSkippingGate: [...rest.operationsSkippingGate].sort(compareText), flags: unique(rest.flags) };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** The object without its undefined properties, so models compare and print cleanly. */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const LEVELS: Record<string, AnnotationLevel> = {
  '@cdktf/error': AnnotationLevel.ERROR,
  '@cdktf/warn': AnnotationLevel.WARNING,
  '@cdktf/info': AnnotationLevel.INFO,
  error: AnnotationLevel.ERROR,
  warn: AnnotationLevel.WARNING,
  warning: AnnotationLevel.WARNING,
  info: AnnotationLevel.INFO,
};
const LEVEL_ORDER = [AnnotationLevel.ERROR, AnnotationLevel.WARNING, AnnotationLevel.INFO];

function annotationsOf(annotations: readonly SynthAnnotation[]): ReviewedAnnotation[] {
  return annotations
    .map((a) => ({ level: LEVELS[a.level] ?? AnnotationLevel.INFO, constructPath: a.constructPath, message: a.message }))
    .sort(
      (a, b) =>
        LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) || compareText(a.constructPath, b.constructPath) || compareText(a.message, b.message),
    );
}

function buildStack(stack: SynthesizedStack): ReviewedStack {
  try {
    return new StackBuilder(stack).build();
  } catch (error) {
    // Content of a shape no synth writes: report it as bad input, naming the file.
    throw new ReviewInputError(`${stack.path ?? `stack ${stack.name}`}: cannot be reviewed (${(error as Error)?.message ?? String(error)})`);
  }
}
