import { accessMatrix } from '../../src/access';
import { readPlan } from '../../src/plan';
import {
  api,
  apiPolicy,
  gate,
  globalPolicy,
  operation,
  operationPolicy,
  PARTNER,
  policy,
  product,
  productLink,
  productPolicy,
  reject,
  routeTo,
  service,
  terraform,
} from '../support/terraform-config';
import { row, verdictOf } from './support';

const NOW = new Date('2030-01-01T00:00:00Z');
const PINNED = `thumbprint:${PARTNER}`;
const GLOBAL = 'azurerm_api_management_policy.global';
const PRODUCT = 'azurerm_api_management_product_policy.partners_policy';
const API = 'azurerm_api_management_api_policy.orders_policy';
const OPERATION = 'azurerm_api_management_api_operation_policy.orders_get_policy';

interface Scopes {
  readonly global?: string;
  readonly product?: string;
  readonly api?: string;
  readonly operation?: string;
}

/** GET /orders of API `orders`, linked to product `partners`, with a policy at each scope given. */
function matrixOf(scopes: Scopes) {
  return accessMatrix(
    readPlan(
      terraform(
        service(),
        api('orders'),
        operation('orders', 'get', 'GET', '/orders'),
        product('partners'),
        productLink('partners', 'orders'),
        ...(scopes.global ? [globalPolicy(scopes.global)] : []),
        ...(scopes.product ? [productPolicy('partners', scopes.product)] : []),
        ...(scopes.api ? [apiPolicy('orders', scopes.api)] : []),
        ...(scopes.operation ? [operationPolicy('orders', 'get', scopes.operation)] : []),
      ),
    ),
    { now: NOW },
  );
}

const verdict = (m: ReturnType<typeof matrixOf>, caller: string, route = 'none') => verdictOf(m, 'orders', 'GET /orders', caller, route);

describe('APIM composes global, product, API and operation scopes', () => {
  test('the chain lists the scopes with a policy, outermost first, per route', () => {
    const m = matrixOf({ global: policy(''), product: policy(''), api: policy(''), operation: policy('') });
    expect(row(m, 'orders', 'GET /orders', 'none').chain.map((s) => s.address)).toEqual([GLOBAL, API, OPERATION]);
    expect(row(m, 'orders', 'GET /orders', 'product:partners').chain.map((s) => s.address)).toEqual([GLOBAL, PRODUCT, API, OPERATION]);
  });

  test.each([
    ['global', { global: policy(gate()) }, GLOBAL],
    ['API', { api: policy(gate()) }, API],
    ['operation', { operation: policy(gate()) }, OPERATION],
  ])('a gate in the %s policy holds for every route when every scope keeps <base />', (_, scopes, responsible) => {
    const m = matrixOf({ global: policy(''), product: policy(''), api: policy(''), operation: policy(''), ...scopes });
    for (const route of ['none', 'product:partners']) {
      expect(verdict(m, 'unknown', route)).toBe(`rejected 401 by ${responsible}`);
      expect(verdict(m, 'none', route)).toBe(`rejected 401 by ${responsible}`);
      expect(verdict(m, PINNED, route)).toBe('forwarded to orders.internal.example');
    }
  });

  test('a gate in a product policy holds only for requests that come through the product', () => {
    const m = matrixOf({ product: policy(gate()) });
    expect(verdict(m, 'unknown', 'product:partners')).toBe(`rejected 401 by ${PRODUCT}`);
    expect(verdict(m, 'unknown', 'none')).toBe('forwarded to orders.internal.example');
  });

  test.each([
    ['API', { global: policy(gate()), api: policy('', { base: false }) }, [API]],
    ['operation', { global: policy(gate()), api: policy(''), operation: policy('', { base: false }) }, [OPERATION]],
    ['product', { global: policy(gate()), product: policy('', { base: false }) }, [PRODUCT]],
  ])('a missing <base /> in the %s policy drops every scope outside it', (_, scopes, ran) => {
    const m = matrixOf(scopes);
    const route = 'product' in scopes ? 'product:partners' : 'none';
    expect(verdict(m, 'unknown', route)).toBe('forwarded to orders.internal.example');
    const unknown = row(m, 'orders', 'GET /orders', route).cells.find((c) => c.caller.key === 'unknown')!;
    expect(unknown.scopesRun).toEqual(ran);
  });

  test('a statement before <base /> in the operation runs before the gate of the API', () => {
    const m = matrixOf({ api: policy(gate()), operation: `<policies><inbound>${routeTo('https://elsewhere.example')}${reject(200)}<base /></inbound></policies>` });
    expect(verdict(m, 'unknown')).toBe(`answered 200 by ${OPERATION}`);
  });

  test('rerouting after <base /> in the operation wins over the API', () => {
    const m = matrixOf({ api: policy(gate() + routeTo('https://orders.example')), operation: policy(routeTo('https://elsewhere.example')) });
    expect(verdict(m, PINNED)).toBe('forwarded to elsewhere.example');
    expect(verdict(m, 'unknown')).toBe(`rejected 401 by ${API}`);
    const before = matrixOf({ api: policy(gate() + routeTo('https://orders.example')), operation: `<policies><inbound>${routeTo('https://elsewhere.example')}<base /></inbound></policies>` });
    expect(verdict(before, PINNED)).toBe('forwarded to orders.example');
  });

  test('a statement the simulator cannot decide before the gate makes the cell undecided', () => {
    const m = matrixOf({ api: policy(`<send-request mode="new" response-variable-name="r" />${gate()}`) });
    expect(verdict(m, 'unknown')).toMatch(/^undecided: runs <send-request>/);
  });

  test('an undecided scope makes every cell of its chains undecided, naming the scope', () => {
    const m = matrixOf({ api: policy('${var.extra}') });
    expect(verdict(m, 'unknown')).toBe(`undecided: the api policy ${API} is undecided: \${var.extra} (a variable)`);
  });

  test('a fragment included before the gate runs there; its answer names the fragment resource', () => {
    const fragment = (value: string) => ({ azurerm_api_management_policy_fragment: { f: { api_management_id: '${azurerm_api_management.apim.id}', name: 'shortcut', format: 'rawxml', value } } });
    const build = (value: string) =>
      accessMatrix(readPlan(terraform(service(), api('orders'), operation('orders', 'get', 'GET', '/orders'), fragment(value), apiPolicy('orders', policy(`<include-fragment fragment-id="shortcut" />${gate()}`)))), { now: NOW });
    expect(verdictOf(build(`<fragment>${reject(200)}</fragment>`), 'orders', 'GET /orders', 'unknown')).toBe('answered 200 by azurerm_api_management_policy_fragment.f');
    expect(verdictOf(build('<fragment>${var.extra}</fragment>'), 'orders', 'GET /orders', 'unknown')).toBe('undecided: fragment "shortcut" is undecided: ${var.extra} (a variable)');
  });

  test('without any policy every caller is forwarded to the service URL', () => {
    const m = matrixOf({});
    expect(verdict(m, 'none')).toBe('forwarded to orders.internal.example');
    expect(row(m, 'orders', 'GET /orders').chain).toEqual([]);
  });
});
