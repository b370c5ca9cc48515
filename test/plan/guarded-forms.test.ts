import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { guardedThumbprint, guardedUrl } from '../../src/policy/terraform-guard';
import { PlanSymbolKind, readPlan } from '../../src/plan';
import { api, PARTNER, policy, service, terraform } from '../support/terraform-config';

/** The API policy text the plan reads from a stack whose policy is `xml`. */
function readBack(build: (stack: TerraformStack) => string) {
  const stack = new TerraformStack(Testing.app(), 'guards');
  new ApiManagementApiPolicy(stack, 'Policy', { apiName: 'orders-api', apiManagementName: 'contoso-gateway', resourceGroupName: 'rg', xmlContent: build(stack) });
  const plan = readPlan(JSON.parse(Testing.synth(stack)));
  return { plan, text: plan.services[0].apis[0].policy!.text };
}

const pinned = (thumbprint: string) => policy(`<validate-client-certificate><identities><identity thumbprint="${thumbprint}" /></identities></validate-client-certificate>`);

describe('the guarded forms of src/policy/terraform-guard.ts', () => {
  test('a guarded thumbprint variable is a placeholder thumbprint named after the variable', () => {
    const { plan, text } = readBack((stack) => pinned(guardedThumbprint(new TerraformVariable(stack, 'partner_thumbprint', { type: 'string' }).stringValue)));
    const [symbol] = plan.symbols;
    expect(symbol).toEqual({ value: expect.stringMatching(/^[0-9A-F]{40}$/), kind: PlanSymbolKind.GUARDED_THUMBPRINT, standsFor: 'var.partner_thumbprint' });
    expect(text).toEqual({ known: true, value: pinned(symbol.value) });
  });

  test('a guarded URL variable is an https URL on a placeholder host', () => {
    const { plan, text } = readBack((stack) => policy(`<set-backend-service base-url="${guardedUrl(new TerraformVariable(stack, 'backend_url', { type: 'string' }).stringValue)}" />`));
    const [symbol] = plan.symbols;
    expect(symbol).toEqual({ value: expect.stringMatching(/^https:\/\/guarded-[0-9a-f]{12}\.invalid$/), kind: PlanSymbolKind.GUARDED_URL, standsFor: 'var.backend_url' });
    expect(text).toEqual({ known: true, value: policy(`<set-backend-service base-url="${symbol.value}" />`) });
  });

  test('two variables get two placeholders; the same variable the same one', () => {
    const { plan } = readBack((stack) => {
      const a = new TerraformVariable(stack, 'a', { type: 'string' }).stringValue;
      const b = new TerraformVariable(stack, 'b', { type: 'string' }).stringValue;
      return policy(`<x a="${guardedThumbprint(a)}" b="${guardedThumbprint(b)}" c="${guardedThumbprint(a)}" />`);
    });
    expect(plan.symbols.map((symbol) => symbol.standsFor).sort()).toEqual(['var.a', 'var.b']);
  });

  test('a guard around a value the plan knows is that value, or a failed plan', () => {
    const withDescription = (description: string) =>
      readPlan(
        terraform(service(), api('orders', { description }), {
          azurerm_api_management_api_policy: {
            p: { api_name: '${azurerm_api_management_api.orders.name}', api_management_name: 'contoso-gateway', resource_group_name: 'rg', xml_content: pinned('${regex("^[0-9A-F]{40}$", upper(azurerm_api_management_api.orders.description))}') },
          },
        }),
      ).services[0].apis[0].policy!.text;
    expect(withDescription(PARTNER.toLowerCase())).toEqual({ known: true, value: pinned(PARTNER) });
    expect(withDescription('not-a-thumbprint" /><evil')).toEqual({ known: false, reason: expect.stringContaining('fails the plan') });
  });

  test('any other regex() is undecided', () => {
    const { text } = readBack(() => pinned('${regex("^.*$", var.x)}'));
    expect(text).toEqual({ known: false, reason: '${regex("^.*$", var.x)}' });
  });
});
