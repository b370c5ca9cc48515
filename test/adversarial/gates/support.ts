import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiOperation } from '@cdktf/provider-azurerm/lib/api-management-api-operation';
import { ApiManagementApiOperationPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-operation-policy';
import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { ApiManagementProduct } from '@cdktf/provider-azurerm/lib/api-management-product';
import { ApiManagementProductApi } from '@cdktf/provider-azurerm/lib/api-management-product-api';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ClientCertGatedApi, ClientCertGatedApiProps, ClientCertificateGate, ClientCertificateGateProps, ClientCertificateTrust, IApiManagementService } from '../../../src';
import { synthJson, warningsOf } from '../../support/stack';

/*
 * Shared pieces of the adversarial gate attempts: the stacks a platform team writes with plain
 * provider classes next to our gates, and the verdict of a synth (error text, or the proof's
 * warnings). Each attempt states its expected verdict before it runs.
 */

export const PARTNER = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';
export const trust = () => ClientCertificateTrust.thumbprints([PARTNER]);

/** A policy document that keeps `<base />` first in every section, with `inbound` statements after it. */
export function keepsBase(inbound = ''): string {
  return `<policies><inbound><base />${inbound}</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
}

/** A policy document whose `<inbound>` is exactly `inbound` (the other sections keep `<base />`). */
export function inboundOnly(inbound: string): string {
  return `<policies><inbound>${inbound}</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
}

export const ANSWER_200 = '<return-response><set-status code="200" reason="OK" /></return-response>';

/** What synth says about a stack: the error, or '' and the warnings of the proof. */
export interface Verdict {
  readonly error: string;
  readonly warnings: readonly string[];
}

export function verdictOf(stack: TerraformStack): Verdict {
  let error = '';
  try {
    synthJson(stack);
  } catch (caught) {
    error = (caught as Error).message;
  }
  return { error, warnings: warningsOf(stack) };
}

/** The synth error of a stack, '' when synth passes. */
export function synthError(stack: TerraformStack): string {
  return verdictOf(stack).error;
}

/** The proof's "could not prove" warnings. */
export function unprovenWarnings(stack: TerraformStack): string[] {
  return warningsOf(stack).filter((warning) => warning.includes('could not prove'));
}

export function plainApi(scope: Construct, service: IApiManagementService, id = 'Orders', path = 'orders', extra: Partial<ConstructorParameters<typeof ApiManagementApi>[2]> = {}): ApiManagementApi {
  return new ApiManagementApi(scope, id, {
    name: path.toLowerCase().replace(/[^a-z0-9]/g, '') || 'root',
    apiManagementName: service.name,
    resourceGroupName: service.resourceGroupName,
    revision: '1',
    displayName: id,
    path,
    protocols: ['https'],
    ...extra,
  });
}

export function plainOperation(scope: Construct, service: IApiManagementService, apiName: string, id = 'GetOrder', urlTemplate = '/orders/{id}', method = 'GET'): ApiManagementApiOperation {
  return new ApiManagementApiOperation(scope, id, {
    apiName,
    apiManagementName: service.name,
    resourceGroupName: service.resourceGroupName,
    operationId: id.toLowerCase(),
    displayName: id,
    method,
    urlTemplate,
    templateParameter: urlTemplate.includes('{id}') ? [{ name: 'id', required: true, type: 'string' }] : undefined,
  });
}

export function operationPolicy(scope: Construct, service: IApiManagementService, apiName: string, operationId: string, xmlContent: string, id = 'TheirOperationPolicy'): ApiManagementApiOperationPolicy {
  return new ApiManagementApiOperationPolicy(scope, id, { apiName, apiManagementName: service.name, resourceGroupName: service.resourceGroupName, operationId, xmlContent });
}

export function apiPolicy(scope: Construct, service: IApiManagementService, apiName: string, xmlContent: string, id = 'TheirApiPolicy'): ApiManagementApiPolicy {
  return new ApiManagementApiPolicy(scope, id, { apiName, apiManagementName: service.name, resourceGroupName: service.resourceGroupName, xmlContent });
}

export function product(scope: Construct, service: IApiManagementService, id = 'Partners', productId = 'partners', subscriptionRequired = true): ApiManagementProduct {
  return new ApiManagementProduct(scope, id, {
    productId,
    apiManagementName: service.name,
    resourceGroupName: service.resourceGroupName,
    displayName: id,
    published: true,
    subscriptionRequired,
  });
}

export function link(scope: Construct, service: IApiManagementService, productId: string, apiName: string, id = 'Link'): ApiManagementProductApi {
  return new ApiManagementProductApi(scope, id, { productId, apiName, apiManagementName: service.name, resourceGroupName: service.resourceGroupName });
}

export function gatedApi(scope: Construct, service: IApiManagementService, props: Partial<ClientCertGatedApiProps> = {}, id = 'Gated'): ClientCertGatedApi {
  return new ClientCertGatedApi(scope, id, {
    apiManagement: service,
    displayName: id,
    path: id.toLowerCase(),
    serviceUrl: `https://${id.toLowerCase()}.example.com`,
    trust: trust(),
    ...props,
  });
}

export function gate(scope: Construct, id: string, props: Partial<ClientCertificateGateProps> & Pick<ClientCertificateGateProps, 'target'>): ClientCertificateGate {
  return new ClientCertificateGate(scope, id, { trust: trust(), ...props });
}
