import type { ClientCertificateNegotiation } from '../service/sku';
import { CertificateClaims } from './claims';
import { PlanValue, UndecidedValue } from './plan-value';

/*
 * A Terraform configuration (cdk.tf.json, `stack.toTerraform()`) read as Terraform will apply
 * it, in the terms API Management composes policies in: services with their APIs, operations,
 * products, policy scopes, certificates, backends, fragments and named values. References
 * between resources are resolved; whatever only Terraform can compute is undecided with a
 * reason. Plain data, no wording.
 */

export interface Plan {
  /** Sorted by key. */
  readonly services: readonly PlanService[];
  /**
   * Parts of the configuration the reader could not attach or evaluate (a module, a policy
   * whose target is an expression, …). Each may change who can call what.
   */
  readonly unreadable: readonly PlanIssue[];
  /**
   * Placeholder values that stand in the plan for something only Terraform knows (a guarded
   * thumbprint variable, a certificate's thumbprint before apply), with what they stand for.
   */
  readonly symbols: readonly PlanSymbol[];
}

export interface PlanIssue {
  /** Terraform address (`type.name`, `data.type.name`, `module.name`), when it is one resource. */
  readonly address?: string;
  readonly reason: string;
  /** What it is: a part the reader could not attach (the default), a module, or a side channel. */
  readonly kind?: PlanIssueKind;
  /**
   * A digest of the block as written, for parts the plan cannot look into (modules, side
   * channels): a change inside them is a new issue, never the same one.
   */
  readonly fingerprint?: string;
}

export enum PlanIssueKind {
  /** A resource the reader could not attach to a scope or evaluate. */
  /** A module: the resources it creates are not in this configuration. */
  MODULE = 'module',
  /**
   * Something that changes Azure or runs code outside what the plan shows: a provisioner, an
   * external program, an ARM template or deployment script, an azapi write to API Management.
   */
  SIDE_CHANNEL = 'side-channel',
}

export enum PlanSymbolKind {
  /** A 40-digit thumbprint that stands for a Terraform value checked by the thumbprint guard. */
  GUARDED_THUMBPRINT = 'guarded-thumbprint',
  /** A certificate's thumbprint that the plan does not know (Key Vault, a PFX not inspected at synth). */
  CERTIFICATE_THUMBPRINT = 'certificate-thumbprint',
  /** An https URL whose host is a Terraform value checked by the URL guard. */
  GUARDED_URL = 'guarded-url',
}

export interface PlanSymbol {
  /** The placeholder as it appears in policy texts and facts. */
  readonly value: string;
  readonly kind: PlanSymbolKind;
  /** The Terraform expression or certificate address it stands for. */
  readonly standsFor: string;
}

export interface PlanService {
  /** `name:<lower-case name>` when the name is known, else `address:<address>` or `expression:<text>`. */
  readonly key: string;
  readonly name: PlanValue<string>;
  /** `azurerm_api_management.X` or `data.azurerm_api_management.X`; absent for a service known only by name. */
  readonly address?: string;
  /** Whether this configuration creates the service. */
  readonly managed: boolean;
  /** `sku_name`, for managed services. */
  readonly skuName?: PlanValue<string>;
  /** The mechanism its SKU needs for APIM to ask for client certificates. */
  readonly requiredMechanism?: ClientCertificateNegotiation;
  /** `client_certificate_enabled` as written (azurerm accepts it only on Consumption). */
  readonly clientCertificateEnabled?: PlanValue<boolean>;
  /** The mechanisms the configuration turns on (sorted). */
  readonly mechanisms: readonly ClientCertificateNegotiation[];
  /**
   * Whether APIM asks callers for a certificate. Undecided for services this plan does not
   * manage or whose SKU is a Terraform value.
   */
  readonly asksForCertificates: PlanValue<boolean>;
  /** CA certificates uploaded for chain validation (`certificate` blocks). */
  readonly caCertificates: readonly PlanCaCertificate[];
  /** The service-wide policy (`azurerm_api_management_policy`). */
  readonly policy?: PlanPolicy;
  readonly apis: readonly PlanApi[];
  readonly products: readonly PlanProduct[];
  readonly certificates: readonly PlanCertificate[];
  readonly backends: readonly PlanBackend[];
  readonly fragments: readonly PlanFragment[];
  readonly namedValues: readonly PlanNamedValue[];
}

export interface PlanCaCertificate {
  /** `Root` or `CertificateAuthority`. */
  readonly store: PlanValue<string>;
  /** Base64 DER of the certificate, when the configuration holds it literally and it parses. */
  readonly der: PlanValue<string>;
}

/** A policy document attached to a scope, as Terraform will write it. */
export interface PlanPolicy {
  /** Terraform address of the policy resource (several, comma-separated, when they collide). */
  readonly address: string;
  /**
   * The document APIM receives: interpolations resolved, placeholders in place of values only
   * Terraform knows, or undecided (a variable, a directive, `xml_link`, `count`, two resources
   * for one scope, …).
   */
  readonly text: PlanValue<string>;
  /** The value as written in the configuration (for showing changes). */
  readonly written?: string;
}

export interface PlanApi {
  /** `<service key>/api:<name>`: unique in one plan. Plans are compared by service and path. */
  readonly key: string;
  /** `azurerm_api_management_api.X`; absent for an API outside the plan that a policy or link names. */
  readonly address?: string;
  /** Its name in APIM (`api_name` of policies), or the expression that gives it. */
  readonly name: string;
  /** URL suffix after the gateway host, without leading or trailing `/`. */
  readonly path: PlanValue<string>;
  readonly displayName?: string;
  readonly revision?: string;
  readonly version?: string;
  /** `protocols`; APIM defaults to https when none are written. */
  readonly protocols: PlanValue<readonly string[]>;
  /** `subscription_required`, default true. */
  readonly subscriptionRequired: PlanValue<boolean>;
  readonly serviceUrl?: PlanValue<string>;
  readonly policy?: PlanPolicy;
  /** Operations the plan defines, sorted by key. */
  readonly operations: readonly PlanOperation[];
  /**
   * Why requests other than `operations` may reach the API (an import whose operations the
   * plan cannot list, no operation in the plan at all, an API defined outside the plan).
   * Absent when `operations` is the complete list.
   */
  readonly otherOperations?: string;
  /** Products the API is linked to. */
  readonly productLinks: readonly PlanProductLink[];
  /** Set when `count`/`for_each` leave open whether the API exists. */
  readonly presence?: UndecidedValue;
}

export interface PlanOperation {
  /** `METHOD url-template`, or `id:<operation id>` for an operation known only by id. */
  readonly key: string;
  readonly address?: string;
  readonly operationId?: string;
  /** Upper case. */
  readonly method?: string;
  readonly urlTemplate?: string;
  readonly policy?: PlanPolicy;
  /** Where the plan learnt of it. */
  readonly source: 'resource' | 'import' | 'policy';
  readonly presence?: UndecidedValue;
}

export interface PlanProduct {
  /** `<service key>/product:<lower-case id>`. */
  readonly key: string;
  readonly address?: string;
  readonly productId: string;
  readonly displayName?: string;
  readonly subscriptionRequired: PlanValue<boolean>;
  readonly policy?: PlanPolicy;
  readonly presence?: UndecidedValue;
}

export interface PlanProductLink {
  /** `azurerm_api_management_product_api.X`. */
  readonly address: string;
  readonly productKey: string;
  readonly presence?: UndecidedValue;
}

/** Where an uploaded certificate's content comes from: identifies it across plans. */
export type PlanCertificateSource =
  | { readonly kind: 'pfx-file'; readonly file: string; readonly contentHash?: string }
  | { readonly kind: 'key-vault'; readonly secretId: string }
  | { readonly kind: 'inline'; readonly digest: string }
  | { readonly kind: 'undecided'; readonly reason: string };

export interface PlanCertificate {
  readonly address: string;
  /** Its id in APIM (`context.Deployment.Certificates` key, `certificate-id`). */
  readonly name: PlanValue<string>;
  readonly source: PlanCertificateSource;
  /** What its construct wrote about it: a description, not proof. */
  readonly claims?: CertificateClaims;
  /** Claimed thumbprint, or a placeholder standing for the thumbprint Terraform will know. */
  readonly thumbprint: string;
  readonly thumbprintKnown: boolean;
  /** Secrets written as literal text into the configuration (values never kept). */
  readonly literalSecrets?: readonly ('password' | 'data')[];
  /** Claims under `//` that disagree with each other (per-resource and stack-level). */
  readonly conflictingClaims?: boolean;
  readonly presence?: UndecidedValue;
}

/** A certificate named by a backend or a policy. */
export interface PlanCertificateRef {
  /** Upper-case thumbprint (may be a placeholder). */
  readonly thumbprint?: string;
  /** The plan's certificate it is, by address. */
  readonly certificate?: string;
  readonly undecided?: string;
}

export interface PlanBackend {
  readonly address: string;
  readonly name: PlanValue<string>;
  readonly url: PlanValue<string>;
  readonly protocol?: string;
  /** `tls.validate_certificate_chain`; undefined when not written (service default). */
  readonly validateCertificateChain?: PlanValue<boolean>;
  readonly validateCertificateName?: PlanValue<boolean>;
  /** `credentials.certificate`: client certificates presented by the backend itself. */
  readonly clientCertificates: readonly PlanCertificateRef[];
}

export interface PlanFragment {
  readonly address: string;
  readonly name: PlanValue<string>;
  /** The `<fragment>` document, as Terraform writes it. */
  readonly text: PlanValue<string>;
  readonly format: string;
}

export interface PlanNamedValue {
  readonly address: string;
  /** Its display name: what policies write between `{{` and `}}` (the id only when no display name is written). */
  readonly name: PlanValue<string>;
  /** Undecided for secrets and Key Vault values: the plan does not show them. */
  readonly value: PlanValue<string>;
  readonly secret: boolean;
}
