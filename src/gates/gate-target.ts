import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { ApiManagementPolicy } from '@cdktf/provider-azurerm/lib/api-management-policy';
import { ApiManagementProduct } from '@cdktf/provider-azurerm/lib/api-management-product';
import { ApiManagementProductPolicy } from '@cdktf/provider-azurerm/lib/api-management-product-policy';
import { ITerraformDependable, TerraformProvider, TerraformResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { ClientCertGatedApi } from '../apis/client-cert-gated-api';
import { GateScope } from '../policy/gated-policy-document';
import { ApiManagementService, IApiManagementService } from '../service/api-management-service';
import { APIM_RESOURCE_ID } from '../construct-names';

/** @internal */
export enum GateTargetKind {
  API = 'api',
  PRODUCT = 'product',
  SERVICE = 'service',
}

/** An API name, optionally of one revision (`orders;rev=2`). */
const API_NAME = new RegExp(`${APIM_RESOURCE_ID.source.slice(0, -1)}(;rev=[0-9]{1,3})?$`);

/**
 * What a `ClientCertificateGate` guards: an API, a product (every API in it, for callers using
 * its subscription) or the whole service (its global policy). Made by the static factories.
 */
export class GateTarget {
  /**
   * An API defined in this stack: a plain `ApiManagementApi` (its operations are made to wait
   * for the gate), or a `ClientCertGatedApi`, which already has its gate: a second gate on it is
   * a synth error, since API Management keeps one policy per API.
   *
   * @param service the service the API is on, when you have it: checks of trusted certificates
   * then run when the gate is built instead of at synth.
   */
  public static api(api: ApiManagementApi | ClientCertGatedApi, service?: IApiManagementService): GateTarget {
    const resource = api instanceof ApiManagementApi ? api : api.api;
    return new GateTarget(GateTargetKind.API, {
      service,
      apiManagementName: resource.apiManagementName,
      resourceGroupName: resource.resourceGroupName,
      name: resource.name,
      description: `API ${resource.node.path}`,
      provider: resource.provider ?? providerOf(service),
    });
  }

  /**
   * An API known only by its name (id) on a service, e.g. one created by another team or
   * pipeline. Append `;rev=<n>` to gate one revision.
   */
  public static apiByName(service: IApiManagementService, apiName: string): GateTarget {
    return GateTarget.byLiteralName(GateTargetKind.API, service, apiName, `API "${apiName}"`);
  }

  /**
   * A product defined in this stack. The gate runs for every API in the product when it is
   * called with the product's subscription key; links of APIs to the product
   * (`ApiManagementProductApi`) are made to wait for the gate.
   */
  public static product(product: ApiManagementProduct): GateTarget {
    return new GateTarget(GateTargetKind.PRODUCT, {
      apiManagementName: product.apiManagementName,
      resourceGroupName: product.resourceGroupName,
      name: product.productId,
      description: `product ${product.node.path}`,
      provider: product.provider,
    });
  }

  /** A product known only by its id on a service, e.g. `starter`. */
  public static productById(service: IApiManagementService, productId: string): GateTarget {
    return GateTarget.byLiteralName(GateTargetKind.PRODUCT, service, productId, `product "${productId}"`);
  }

  /**
   * The whole service: its global (all APIs) policy, which runs for every API whose policies keep
   * `<base />`. APIs on the service defined in this stack are made to wait for the gate.
   */
  public static service(service: IApiManagementService): GateTarget {
    return new GateTarget(GateTargetKind.SERVICE, {
      service,
      apiManagementName: service.name,
      resourceGroupName: service.resourceGroupName,
      name: service.name,
      description: `service ${service.node.path}`,
      provider: providerOf(service),
    });
  }

  /** A target on `service` named by a literal API name or product id (checked by `problem()`). */
  private static byLiteralName(kind: GateTargetKind, service: IApiManagementService, name: string, label: string): GateTarget {
    return new GateTarget(kind, {
      service,
      apiManagementName: service.name,
      resourceGroupName: service.resourceGroupName,
      name,
      literalName: name,
      description: `${label} on ${service.node.path}`,
      provider: providerOf(service),
    });
  }

  private constructor(
    /** @internal */ public readonly kind: GateTargetKind,
    private readonly details: TargetDetails,
  ) {}

  /** @internal */
  public get scope(): GateScope {
    return this.kind === GateTargetKind.SERVICE ? GateScope.SERVICE : this.kind === GateTargetKind.PRODUCT ? GateScope.PRODUCT : GateScope.API;
  }

  /** The service, when the target was given with it. @internal */
  public get service(): IApiManagementService | undefined {
    return this.details.service;
  }

  /** The service name as the policy resource writes it (a reference or a literal). @internal */
  public get apiManagementName(): string {
    return this.details.apiManagementName;
  }

  /** The API name, product id or service name as the policy resource writes it. @internal */
  public get name(): string {
    return this.details.name;
  }

  /**
   * The provider of the gated resource (an aliased azurerm provider for another subscription),
   * which the gate's policy uses too; undefined for the stack's default provider. @internal
   */
  public get provider(): TerraformProvider | undefined {
    return this.details.provider;
  }

  /** For messages, e.g. `API test/Orders/Api`. @internal */
  public describe(): string {
    return this.details.description;
  }

  /** Why the target cannot be gated, or undefined. @internal */
  public problem(): string | undefined {
    const name = this.details.literalName;
    if (name === undefined || Token.isUnresolved(name)) return undefined;
    if (this.kind === GateTargetKind.API && !API_NAME.test(name)) {
      return `API name ${JSON.stringify(name)} is not an API Management API id. Use 1-80 letters, digits, ".", "_" and "-" (and ";rev=<n>" for a revision)`;
    }
    if (this.kind === GateTargetKind.PRODUCT && !APIM_RESOURCE_ID.test(name)) {
      return `product id ${JSON.stringify(name)} is not an API Management product id. Use 1-80 letters, digits, ".", "_" and "-"`;
    }
    return undefined;
  }

  /**
   * Writes the target's policy resource: `azurerm_api_management_api_policy`,
   * `_product_policy` or the global `azurerm_api_management_policy`.
   * @internal
   */
  public createPolicy(scope: Construct, id: string, xmlContent: string, dependsOn: ITerraformDependable[] | undefined): TerraformResource {
    const { apiManagementName, resourceGroupName, name, provider } = this.details;
    switch (this.kind) {
      case GateTargetKind.API:
        return new ApiManagementApiPolicy(scope, id, { apiName: name, apiManagementName, resourceGroupName, xmlContent, dependsOn, provider });
      case GateTargetKind.PRODUCT:
        return new ApiManagementProductPolicy(scope, id, { productId: name, apiManagementName, resourceGroupName, xmlContent, dependsOn, provider });
      case GateTargetKind.SERVICE:
        return new ApiManagementPolicy(scope, id, { apiManagementId: this.details.service!.apiManagementId, xmlContent, dependsOn, provider });
    }
  }
}

interface TargetDetails {
  readonly service?: IApiManagementService;
  readonly apiManagementName: string;
  readonly resourceGroupName: string;
  /** API name or product id as the policy resource writes it (a reference or a literal). */
  readonly name: string;
  readonly literalName?: string;
  readonly description: string;
  readonly provider?: TerraformProvider;
}

/** The provider of the service's resource, when this stack manages the service. */
function providerOf(service: IApiManagementService | undefined): TerraformProvider | undefined {
  return service instanceof ApiManagementService ? service.resource.provider : undefined;
}
