import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { Aspects, IAspect, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { IConstruct } from 'constructs';
import { ApiManagementService, GATE_PROOF_CONTEXT, GateTarget } from '../../../src';
import { newService, newStack, warningsOf } from '../../support/stack';
import { apiPolicy, gate, gatedApi, inboundOnly, keepsBase, operationPolicy, plainApi, plainOperation, synthError, unprovenWarnings, verdictOf } from './support';

/*
 * cdktf's escape hatches used on our own resources (overrides, resetXmlContent, removing a
 * child, count/for_each, lifecycle, aspects that run after ours) and on the v2 setting that makes
 * a service ask for certificates. Each name states the expected verdict, decided before the run.
 */

/** A plain API with one operation, gated by a ClientCertificateGate. */
function gatedPlainApi(stack: TerraformStack = newStack()) {
  const apim = newService(stack);
  const api = plainApi(stack, apim);
  plainOperation(stack, apim, api.name);
  return { stack, apim, api, gate: gate(stack, 'OrdersGate', { target: GateTarget.api(api) }) };
}

const GATE_POLICY = /test\/OrdersGate\/Policy \(azurerm_api_management_api_policy\.OrdersGate_Policy_[0-9A-F]+\)/.source;

describe('overrides of the gate\'s document', () => {
  test('an override of the global gate\'s xml_content to a document without the gate fails synth, naming the gate\'s policy', () => {
    const stack = newStack();
    const apim = newService(stack);
    const serviceGate = gate(stack, 'ServiceGate', { target: GateTarget.service(apim) });
    plainOperation(stack, apim, plainApi(stack, apim).name);
    serviceGate.policy.addOverride('xml_content', '<policies><inbound /><backend><forward-request /></backend><outbound /><on-error /></policies>');
    expect(synthError(stack)).toMatch(/test\/ServiceGate: .* are forwarded to the backend on GET \/orders\/\{id\} of API \/orders although test\/ServiceGate\/Policy .* runs: the composed policy no longer rejects such callers/);
  });

  test('an override of xml_content that only re-indents the gate passes: behaviour is judged, not text', () => {
    const { stack, gate: ordersGate } = gatedPlainApi();
    ordersGate.policy.addOverride('xml_content', ordersGate.policyXml.replace(/\n\s*/g, '\n'));
    expect(verdictOf(stack)).toEqual({ error: '', warnings: [] });
  });

  test('resetXmlContent with an xml_link fails synth: the document the gate wrote is gone and the new one is known only at apply', () => {
    const { stack, gate: ordersGate } = gatedPlainApi();
    (ordersGate.policy as ApiManagementApiPolicy).resetXmlContent();
    (ordersGate.policy as ApiManagementApiPolicy).xmlLink = 'https://policies.example.com/orders.xml';
    expect(synthError(stack)).toMatch(new RegExp(`test/OrdersGate: the document of ${GATE_POLICY} was replaced by one only Terraform knows \\(xml_link https://policies\\.example\\.com/orders\\.xml: .*\\)`));
  });

  test('an override of xml_content with Terraform\'s file() fails synth the same way', () => {
    const { stack, gate: ordersGate } = gatedPlainApi();
    ordersGate.policy.addOverride('xml_content', '${file("orders-policy.xml")}');
    expect(synthError(stack)).toMatch(/test\/OrdersGate: the document of .* was replaced by one only Terraform knows .*Remove the override of xml_content or xml_link/);
  });
});

describe('the gate\'s policy resource removed, made conditional or frozen', () => {
  test('node.tryRemoveChild of the gate\'s policy fails synth: nothing it guards is gated', () => {
    const stack = newStack();
    const shared = ApiManagementService.fromExisting(stack, 'Shared', { name: 'shared-apim', resourceGroupName: 'rg', skuName: 'Premium_1' });
    const legacyGate = gate(stack, 'LegacyGate', { target: GateTarget.apiByName(shared, 'legacy') });
    expect(legacyGate.node.tryRemoveChild('Policy')).toBe(true);
    expect(synthError(stack)).toMatch(/test\/LegacyGate: its policy azurerm_api_management_api_policy\.LegacyGate_Policy_[0-9A-F]+ is not in the synthesized stack .*Keep the gate's policy resource/);
  });

  test.each([
    ['count = 0', 'count', 0],
    ['for_each over an empty map', 'for_each', {}],
  ])('%s on the gate\'s policy fails synth: the gate does not exist', (_label, attribute, value) => {
    const { stack, gate: ordersGate } = gatedPlainApi();
    ordersGate.policy.addOverride(attribute, value);
    expect(synthError(stack)).toMatch(new RegExp(`test/OrdersGate: ${attribute} = .* on ${GATE_POLICY} decides at apply whether the gate exists`));
  });

  test('count from a variable on the gate\'s policy fails synth: whether the gate exists would be decided at apply', () => {
    const { stack, gate: ordersGate } = gatedPlainApi();
    ordersGate.policy.addOverride('count', new TerraformVariable(stack, 'gate_enabled', { type: 'number' }).numberValue);
    expect(synthError(stack)).toMatch(/test\/OrdersGate: count = "\$\{var\.gate_enabled\}" on .* decides at apply whether the gate exists/);
  });

  test.each([
    ['xml_content', ['xml_content']],
    ['all', 'all'],
  ])('lifecycle.ignore_changes = %s on the gate\'s policy fails synth: Terraform would never update the gate', (_label, ignored) => {
    const { stack, gate: ordersGate } = gatedPlainApi();
    ordersGate.policy.addOverride('lifecycle', { ignore_changes: ignored });
    expect(synthError(stack)).toMatch(/test\/OrdersGate: lifecycle\.ignore_changes = .* keeps Terraform from ever updating the policy document: a trusted certificate you remove stays trusted/);
  });

  test('lifecycle.ignore_changes on another attribute passes: the document is still written', () => {
    const { stack, gate: ordersGate } = gatedPlainApi();
    ordersGate.policy.addOverride('lifecycle', { ignore_changes: ['resource_group_name'] });
    expect(synthError(stack)).toBe('');
  });

  test('an override of api_name that moves the gate to another API fails synth, naming what it was and what it is', () => {
    const { stack, apim, gate: ordersGate } = gatedPlainApi();
    const other = plainApi(stack, apim, 'Other', 'other');
    plainOperation(stack, apim, other.name, 'GetOther', '/other');
    ordersGate.policy.addOverride('api_name', other.name);
    expect(synthError(stack)).toMatch(/test\/OrdersGate: api_name of .* is "\$\{azurerm_api_management_api\.Other\.name\}", not "\$\{azurerm_api_management_api\.Orders\.name\}" as the gate wrote it, so the gate lands on another scope/);
  });
});

describe('aspects that run after ours', () => {
  test('an aspect rewriting every API policy to keep only <base /> fails synth: the proof reads the stack as it is written', () => {
    const { stack } = gatedPlainApi();
    Aspects.of(stack).add({
      visit(node: IConstruct) {
        if (node instanceof ApiManagementApiPolicy) node.xmlContent = keepsBase();
      },
    } satisfies IAspect);
    expect(synthError(stack)).toMatch(/test\/OrdersGate: .* are forwarded to the backend on GET \/orders\/\{id\} of API \/orders although test\/OrdersGate\/Policy .* runs/);
  });

  test('an aspect that adds an operation policy answering before <base /> fails synth, naming the added policy', () => {
    const { stack, apim, api } = gatedPlainApi();
    let added = false;
    Aspects.of(stack).add({
      visit(node: IConstruct) {
        if (node !== stack || added) return;
        added = true;
        operationPolicy(stack, apim, api.name, 'getorder', inboundOnly('<return-response><set-status code="200" reason="OK" /></return-response><base />'), 'AddedByAspect');
      },
    } satisfies IAspect);
    expect(synthError(stack)).toMatch(/test\/OrdersGate: .* answered by the gateway .* because test\/AddedByAspect \(azurerm_api_management_api_operation_policy\.AddedByAspect\) does not run the gate/);
  });
});

describe('a second policy for the gated scope', () => {
  test('a plain API policy for the gated API, naming it by a literal name in another case, fails synth as a collision naming both', () => {
    const { stack, apim } = gatedPlainApi();
    apiPolicy(stack, apim, 'ORDERS', keepsBase());
    expect(synthError(stack)).toMatch(/two policies are written for API "orders" on service "contoso-apim": test\/OrdersGate\/Policy .* and test\/TheirApiPolicy .*Keep one: put your statements in the gate's customPolicy/);
  });
});

describe('the v2 setting that makes a service ask for certificates', () => {
  function v2() {
    const stack = newStack();
    const apim = newService(stack, 'StandardV2_1');
    gatedApi(stack, apim);
    return { stack, setting: apim.clientCertificateSetting!, apim };
  }
  const STOPPED = /test\/Apim: no azapi_update_resource sets properties\.enableClientCertificate = true on it .*Every client-certificate gate on this service then rejects every caller there\. Keep the azapi setting/;

  test('count = 0 on the setting fails synth: the service never asks callers for a certificate', () => {
    const { stack, setting } = v2();
    setting.addOverride('count', 0);
    expect(synthError(stack)).toMatch(STOPPED);
  });

  test('an override of its body that turns enableClientCertificate off fails synth', () => {
    const { stack, setting } = v2();
    setting.addOverride('body.properties.enableClientCertificate', false);
    expect(synthError(stack)).toMatch(STOPPED);
  });

  test('removing the setting from the construct tree fails synth', () => {
    const { stack, apim } = v2();
    expect(apim.node.tryRemoveChild('ClientCertificates')).toBe(true);
    expect(synthError(stack)).toMatch(STOPPED);
  });
});

test('GATE_PROOF_CONTEXT "warn" turns tampering into a warning starting with "not enforced", as it does for bypasses', () => {
  const stack = new TerraformStack(Testing.app({ context: { [GATE_PROOF_CONTEXT]: 'warn' } }), 'test');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const { gate: ordersGate } = gatedPlainApi(stack);
  ordersGate.policy.addOverride('count', 0);
  expect(synthError(stack)).toBe('');
  expect(warningsOf(stack)).toEqual([expect.stringMatching(/^not enforced \(cdktf-apim-mtls:gateProof is "warn"\): count = 0 on test\/OrdersGate\/Policy/)]);
  expect(unprovenWarnings(stack)).toEqual([]);
});

describe('more overrides, on our resources and theirs', () => {
  test('an override setting ignore-error="true" on the gate\'s validate-client-certificate fails synth: the gate no longer rejects', () => {
    const { stack, gate: ordersGate } = gatedPlainApi();
    const xml = (ordersGate.policy as ApiManagementApiPolicy).xmlContentInput!;
    expect(xml).toContain('ignore-error="false"');
    ordersGate.policy.addOverride('xml_content', xml.replace('ignore-error="false"', 'ignore-error="true"'));
    expect(synthError(stack)).toMatch(/test\/OrdersGate: a caller without a client certificate and a caller with an unknown client certificate are forwarded to the backend on GET \/orders\/\{id\} of API \/orders although test\/OrdersGate\/Policy .* runs/);
  });

  test('an operation policy of theirs whose document is an xml_link is a warning: what it does is known only at apply', () => {
    const { stack, apim, api } = gatedPlainApi();
    const theirs = operationPolicy(stack, apim, api.name, 'getorder', keepsBase());
    theirs.addOverride('xml_content', null);
    theirs.addOverride('xml_link', 'https://policies.example.com/getorder.xml');
    const verdict = verdictOf(stack);
    expect(verdict.error).toBe('');
    expect(verdict.warnings).toEqual([
      'could not prove at synth that the gate holds on GET /orders/{id} of API /orders: the operation policy azurerm_api_management_api_operation_policy.TheirOperationPolicy is undecided: xml_link https://policies.example.com/getorder.xml: the document is downloaded at apply.',
    ]);
  });

  test('moving the gate\'s policy to an aliased azurerm provider fails synth: the gate would land on another subscription', () => {
    const { stack, gate: ordersGate } = gatedPlainApi();
    const other = new AzurermProvider(stack, 'other', { features: [{}], alias: 'other', subscriptionId: '00000000-0000-0000-0000-000000000001' });
    ordersGate.policy.provider = other;
    expect(synthError(stack)).toMatch(
      new RegExp(`test/OrdersGate: ${GATE_POLICY} goes through provider "azurerm\\.other", not the stack's default azurerm provider of the resource it gates.*Leave the provider of the gate's policy alone`),
    );
  });

  test('a gate on an API created with an aliased provider writes its policy with that provider, and synth passes', () => {
    const stack = newStack();
    const other = new AzurermProvider(stack, 'other', { features: [{}], alias: 'other', subscriptionId: '00000000-0000-0000-0000-000000000001' });
    const apim = newService(stack);
    const api = plainApi(stack, apim, 'Orders', 'orders', { provider: other });
    plainOperation(stack, apim, api.name);
    const ordersGate = gate(stack, 'OrdersGate', { target: GateTarget.api(api) });
    expect(synthError(stack)).toBe('');
    expect(ordersGate.policy.provider).toBe(other);
  });

  test('a gate naming the API in another letter case guards it: synth passes, APIM names compare without case', () => {
    const stack = newStack();
    const apim = newService(stack);
    const api = plainApi(stack, apim);
    plainOperation(stack, apim, api.name);
    gate(stack, 'OrdersGate', { target: GateTarget.apiByName(apim, 'ORDERS') });
    const verdict = verdictOf(stack);
    expect(verdict.error).toBe('');
    expect(verdict.warnings.filter((warning) => /could not prove|guards no|nothing/.test(warning))).toEqual([]);
  });
});
