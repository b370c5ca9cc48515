import { ApiManagementPolicyFragment } from '@cdktf/provider-azurerm/lib/api-management-policy-fragment';
import { ApiManagementProductPolicy } from '@cdktf/provider-azurerm/lib/api-management-product-policy';
import { GateTarget } from '../../../src';
import { newService, newStack } from '../../support/stack';
import {
  ANSWER_200,
  apiPolicy,
  gate,
  gatedApi,
  inboundOnly,
  keepsBase,
  link,
  operationPolicy,
  plainApi,
  plainOperation,
  product,
  synthError,
  unprovenWarnings,
  verdictOf,
} from './support';

/*
 * Bypasses written with plain provider classes next to our gates, at every scope, as another
 * team or a careless platform team would write them. Each test name states the expected verdict,
 * decided before the attempt ran: an error naming the resource responsible and the fix, a
 * warning saying what cannot be proven, or a pass.
 */

/** A ClientCertGatedApi and an operation policy on its GET catch-all operation. */
function gatedWithOperationPolicy(xml: string) {
  const stack = newStack();
  const apim = newService(stack);
  const api = gatedApi(stack, apim);
  operationPolicy(stack, apim, api.api.name, 'get-all', xml);
  return stack;
}

const NO_BASE_FORWARDS = '<policies><inbound /><backend><forward-request /></backend><outbound /><on-error /></policies>';

describe('operation policies under a gated API', () => {
  test('an operation policy without <base /> fails synth: the operation policy is named as not running the gate', () => {
    expect(synthError(gatedWithOperationPolicy(NO_BASE_FORWARDS))).toMatch(
      /test\/Gated: a caller without a client certificate and a caller with an unknown client certificate are forwarded to the backend on GET \/\* of API \/gated because test\/TheirOperationPolicy \(azurerm_api_management_api_operation_policy\.TheirOperationPolicy\) does not run the gate: .*Keep <base \/> first in <inbound>/,
    );
  });

  test('a mock-response before <base /> fails synth: the gateway answers everyone before the gate', () => {
    const message = synthError(gatedWithOperationPolicy(inboundOnly('<mock-response status-code="200" content-type="application/json" /><base />')));
    expect(message).toMatch(/test\/Gated: a caller without a client certificate and a caller with an unknown client certificate are answered by the gateway \(<mock-response> at \/policies\/inbound\/mock-response of test\/TheirOperationPolicy/);
  });

  test('returning a send-request result before <base /> fails synth: whatever it answers, the gate never runs', () => {
    const sendThenAnswer =
      '<send-request mode="new" response-variable-name="inner" timeout="10"><set-url>https://inner.example.com/</set-url><set-method>GET</set-method></send-request>' +
      '<return-response response-variable-name="inner" /><base />';
    expect(synthError(gatedWithOperationPolicy(inboundOnly(sendThenAnswer)))).toMatch(
      /test\/Gated: .* are answered or forwarded before the gate runs \(runs <send-request> .*<return-response>.*\) on GET \/\* of API \/gated because test\/TheirOperationPolicy/,
    );
  });

  test('a choose whose condition always holds answers before <base /> and fails synth', () => {
    expect(synthError(gatedWithOperationPolicy(inboundOnly(`<choose><when condition="@(true)">${ANSWER_200}</when></choose><base />`)))).toMatch(
      /are answered by the gateway \(<return-response> at \/policies\/inbound\/choose\/when\/return-response of test\/TheirOperationPolicy .*\) on GET \/\* of API \/gated because/,
    );
  });

  test('a choose that answers callers sending a debug header fails synth: any caller can send it, and one that does is answered', () => {
    const stack = gatedWithOperationPolicy(inboundOnly(`<choose><when condition='@(context.Request.Headers.ContainsKey("X-Debug"))'>${ANSWER_200}</when></choose><base />`));
    expect(synthError(stack)).toMatch(
      /test\/Gated: a caller without a client certificate and a caller with an unknown client certificate are answered by the gateway \(<return-response> at .*\) when they also send request header "x-debug" \(any caller can\) on GET \/\* of API \/gated because test\/TheirOperationPolicy/,
    );
  });

  test('a choose that reads a header but answers nobody for it stays a warning naming the header', () => {
    const stack = gatedWithOperationPolicy(inboundOnly(`<choose><when condition='@(context.Request.Headers.ContainsKey("X-Debug"))'><set-variable name="debug" value="on" /></when></choose><base />`));
    expect(synthError(stack)).toBe('');
    expect(unprovenWarnings(stack)).toEqual([
      'could not prove at synth that the gate holds on GET /* of API /gated: the policies read request header "x-debug", which any caller can send, so a caller that sends it may fare otherwise than the simulated one.',
    ]);
  });

  test('a choose that trusts a forwarded X-ARR-ClientCert header before <base /> fails synth: a caller forging the header is answered', () => {
    const trustsHeader = `<choose><when condition='@(context.Request.Headers.GetValueOrDefault("X-ARR-ClientCert", "") != "")'>${ANSWER_200}</when></choose><base />`;
    expect(synthError(gatedWithOperationPolicy(inboundOnly(trustsHeader)))).toMatch(
      /test\/Gated: a caller that sends a forged client-certificate header \(X-ARR-ClientCert, …\) is answered by the gateway .* because test\/TheirOperationPolicy/,
    );
    // A caller with a certificate sending the header (with anything in it) is answered too.
    expect(synthError(gatedWithOperationPolicy(inboundOnly(trustsHeader)))).toMatch(
      /test\/Gated: a caller without a client certificate and a caller with an unknown client certificate are answered by the gateway .* when they also send request header "x-arr-clientcert" \(any caller can\)/,
    );
  });

  // Since main simulates cache lookups both ways, a cache hit before <base /> is an answer to anyone.
  // Doubt: the message says the gate "runs" (the cell's scopes are those of the cache-miss run).
  test('a cache-lookup before <base /> fails synth: an answer cached for a partner is served to anyone, naming the cache-lookup', () => {
    const stack = gatedWithOperationPolicy(inboundOnly('<cache-lookup vary-by-developer="false" vary-by-developer-groups="false" /><base />'));
    expect(synthError(stack)).toMatch(
      /test\/Gated: a caller without a client certificate and a caller with an unknown client certificate are answered by the gateway \(<cache-lookup> at \/policies\/inbound\/cache-lookup of test\/TheirOperationPolicy/,
    );
  });

  test('an on-error section answering 200 fails synth: the gate\'s 401 becomes an answer, and the element is named', () => {
    const xml = `<policies><inbound><base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error>${ANSWER_200}</on-error></policies>`;
    expect(synthError(gatedWithOperationPolicy(xml))).toMatch(
      /are answered by the gateway \(<return-response> at \/policies\/on-error\/return-response of test\/TheirOperationPolicy .*\) on GET \/\* of API \/gated although test\/Gated\/Policy .* runs/,
    );
  });

  test('a header the policy sets itself before reading it is no header a caller can steer: synth passes without warnings', () => {
    const setThenRead =
      '<base /><set-header name="X-Client-Thumbprint" exists-action="override"><value>@(context.Request.Certificate.Thumbprint)</value></set-header>' +
      '<choose><when condition=\'@(context.Request.Headers.GetValueOrDefault("x-client-thumbprint", "") == "")\'><return-response><set-status code="403" reason="Forbidden" /></return-response></when></choose>';
    const verdict = verdictOf(gatedWithOperationPolicy(keepsBase().replace('<inbound><base />', `<inbound>${setThenRead}`)));
    expect(verdict.error).toBe('');
    expect(verdict.warnings.filter((warning) => warning.includes('could not prove'))).toEqual([]);
  });

  test('an operation policy that keeps <base /> first and adds its own statements after it passes without warnings', () => {
    const stack = gatedWithOperationPolicy(keepsBase('<set-header name="X-Team" exists-action="override"><value>orders</value></set-header>'));
    expect(verdictOf(stack)).toEqual({ error: '', warnings: [] });
  });
});

describe('fragments', () => {
  test('an include-fragment before <base /> of a fragment that answers fails synth, naming the fragment', () => {
    const stack = newStack();
    const apim = newService(stack);
    const api = gatedApi(stack, apim);
    new ApiManagementPolicyFragment(stack, 'Shortcut', { apiManagementId: apim.apiManagementId, name: 'shortcut', value: `<fragment>${ANSWER_200}</fragment>`, format: 'rawxml' });
    operationPolicy(stack, apim, api.api.name, 'get-all', inboundOnly('<include-fragment fragment-id="shortcut" /><base />'));
    expect(synthError(stack)).toMatch(/are answered by the gateway \(<return-response> at \/fragment\/return-response of test\/Shortcut \(azurerm_api_management_policy_fragment\.Shortcut\)\) on GET \/\* of API \/gated because test\/TheirOperationPolicy/);
  });

  test('a fragment whose document only Terraform knows, included before <base />, is a warning saying so', () => {
    const stack = newStack();
    const apim = newService(stack);
    const api = gatedApi(stack, apim);
    new ApiManagementPolicyFragment(stack, 'FromFile', { apiManagementId: apim.apiManagementId, name: 'from-file', value: '${file("fragment.xml")}', format: 'rawxml' });
    operationPolicy(stack, apim, api.api.name, 'get-all', inboundOnly('<include-fragment fragment-id="from-file" /><base />'));
    expect(synthError(stack)).toBe('');
    expect(unprovenWarnings(stack)).toEqual([expect.stringMatching(/^could not prove at synth that the gate holds on GET \/\* of API \/gated: fragment "from-file" is undecided/)]);
  });
});

describe('APIs and products under product and service gates', () => {
  function productGated(options: { subscriptionRequired?: boolean } = {}) {
    const stack = newStack();
    const apim = newService(stack);
    const partners = product(stack, apim);
    gate(stack, 'PartnersGate', { target: GateTarget.product(partners) });
    const api = plainApi(stack, apim, 'Orders', 'orders', options.subscriptionRequired === undefined ? {} : { subscriptionRequired: options.subscriptionRequired });
    plainOperation(stack, apim, api.name);
    link(stack, apim, partners.productId, api.name);
    return { stack, apim, api };
  }

  test('subscription_required = false on an API in a gated product fails synth: anyone calls it without the product, naming the API and the fix', () => {
    expect(synthError(productGated({ subscriptionRequired: false }).stack)).toMatch(
      /test\/PartnersGate: a caller without a client certificate and a caller with an unknown client certificate reach GET \/orders\/\{id\} of API \/orders without the gate: test\/Orders \(azurerm_api_management_api\.Orders\) does not require a subscription key.*Set subscription_required = true on the API/,
    );
  });

  test('an open product (no subscription) linking the same API fails synth: anyone calls through it', () => {
    const { stack, apim, api } = productGated();
    link(stack, apim, product(stack, apim, 'Open', 'open', false).productId, api.name, 'OpenLink');
    expect(synthError(stack)).toMatch(/reach GET \/orders\/\{id\} of API \/orders through product "open" without the gate: product "open" \(test\/Open \(azurerm_api_management_product\.Open\)\) requires no subscription key/);
  });

  test('a second product with subscriptions linking the same API is a warning: its subscribers skip the product gate', () => {
    const { stack, apim, api } = productGated();
    link(stack, apim, product(stack, apim, 'Internal', 'internal').productId, api.name, 'InternalLink');
    const verdict = verdictOf(stack);
    expect(verdict.error).toBe('');
    expect(verdict.warnings).toEqual([expect.stringMatching(/through product "internal" without the gate when they hold a subscription key of product "internal" .* which has no gate\. Gate that product too/)]);
  });

  test('the same second product passes without warnings when the API itself is gated too', () => {
    const { stack, apim, api } = productGated();
    link(stack, apim, product(stack, apim, 'Internal', 'internal').productId, api.name, 'InternalLink');
    gate(stack, 'OrdersGate', { target: GateTarget.api(api) });
    expect(verdictOf(stack)).toEqual({ error: '', warnings: [] });
  });

  test('an API policy that answers before <base /> under a service gate fails synth, naming the API policy', () => {
    const stack = newStack();
    const apim = newService(stack);
    gate(stack, 'ServiceGate', { target: GateTarget.service(apim) });
    const api = plainApi(stack, apim);
    plainOperation(stack, apim, api.name);
    apiPolicy(stack, apim, api.name, inboundOnly(`${ANSWER_200}<base />`));
    expect(synthError(stack)).toMatch(/test\/ServiceGate: .* are answered by the gateway .* on GET \/orders\/\{id\} of API \/orders because test\/TheirApiPolicy \(azurerm_api_management_api_policy\.TheirApiPolicy\) does not run the gate/);
  });

  test('a product policy without <base /> under a service gate fails synth for calls through that product, naming the product policy', () => {
    const stack = newStack();
    const apim = newService(stack);
    gate(stack, 'ServiceGate', { target: GateTarget.service(apim) });
    const partners = product(stack, apim);
    new ApiManagementProductPolicy(stack, 'TheirProductPolicy', {
      productId: partners.productId,
      apiManagementName: apim.name,
      resourceGroupName: apim.resourceGroupName,
      xmlContent: NO_BASE_FORWARDS,
    });
    const api = plainApi(stack, apim);
    plainOperation(stack, apim, api.name);
    link(stack, apim, partners.productId, api.name);
    expect(synthError(stack)).toMatch(/test\/ServiceGate: .* are forwarded to the backend on GET \/orders\/\{id\} of API \/orders through product "partners" because test\/TheirProductPolicy \(azurerm_api_management_product_policy\.TheirProductPolicy\) does not run the gate/);
  });
});

describe('revisions', () => {
  function withRevision2() {
    const stack = newStack();
    const apim = newService(stack);
    const api = plainApi(stack, apim);
    plainOperation(stack, apim, api.name);
    gate(stack, 'OrdersGate', { target: GateTarget.api(api) });
    plainApi(stack, apim, 'OrdersRev2', 'orders', { name: 'orders', revision: '2' });
    return { stack, apim };
  }

  test('a second revision of a gated API fails synth: it answers at /orders;rev=2 without the gate, which names the revisions and the fix', () => {
    expect(synthError(withRevision2().stack)).toMatch(
      /test\/OrdersGate: API "orders" on service "contoso-apim" has revisions 1 \(test\/Orders .*\), 2 \(test\/OrdersRev2 .*\) in this stack, and a gate naming the API runs for its current revision only: .*GateTarget\.apiByName\(service, "orders;rev=2"\)/,
    );
  });

  test('the second revision gated by its own name passes', () => {
    const { stack, apim } = withRevision2();
    gate(stack, 'Rev2Gate', { target: GateTarget.apiByName(apim, 'orders;rev=2') });
    expect(synthError(stack)).toBe('');
  });
});
