import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AnnotationMetadataEntryType, Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ApiManagementService } from '../../src';

/** A stack with the azurerm provider, as a user's would have. */
export function newStack(id = 'test'): TerraformStack {
  const stack = new TerraformStack(Testing.app(), id);
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  return stack;
}

export function newService(scope: Construct, skuName = 'Consumption_0', id = 'Apim'): ApiManagementService {
  return new ApiManagementService(scope, id, {
    name: 'contoso-apim',
    resourceGroupName: 'rg-apim',
    location: 'westeurope',
    publisherName: 'Contoso',
    publisherEmail: 'platform@contoso.example',
    skuName,
  });
}

/** Synthesizes with validations, the way `cdktf synth` does, and parses the JSON. */
export function synthJson(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack, true));
}

export function synthText(stack: TerraformStack): string {
  return Testing.synth(stack, true);
}

/** The warning messages added to constructs under `scope`. */
export function warningsOf(scope: Construct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((entry) => entry.type === AnnotationMetadataEntryType.WARN)
    .map((entry) => String(entry.data));
}

/** The only resource of `type` in synthesized JSON. */
export function onlyResource(json: any, type: string): any {
  const resources = Object.values(json.resource?.[type] ?? {});
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return resources[0];
}
