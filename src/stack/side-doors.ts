import { AccessMatrix, OperationAccess } from '../access';
import { PlanApi, PlanProduct } from '../plan';
import { GateScope } from '../policy/gated-policy-document';
import type { GateFinding, ProvenGate } from './gate-proof';
import { reportedCallers, UNTRUSTED, UntrustedCaller } from './untrusted-callers';

type SideDoor = Extract<GateFinding, { code: 'side-door' }>;
type Draft<T> = { -readonly [K in keyof T]: T[K] extends ReadonlyArray<infer U> ? U[] : T[K] };

/**
 * Routes around product gates. APIM runs a product's policy only for calls made with that
 * product's subscription key, so an operation of an API in a gated product is also reached:
 * - without a key, when the API does not require a subscription: by anyone;
 * - through another product that does not require a subscription (an open product): by anyone;
 * - through another product's subscription keys: by its subscribers.
 * A route counts when the untrusted callers are not rejected on it (another gate on the API or
 * the service closes it). One pass over the matrix's rows, grouped by operation.
 */
export function sideDoors(matrix: AccessMatrix, gates: readonly ProvenGate[]): SideDoor[] {
  const productGates = new Map(gates.filter((gate) => gate.scope === GateScope.PRODUCT).map((gate) => [gate.policyAddress, gate]));
  if (productGates.size === 0) return [];
  const found = new Map<string, Draft<SideDoor>>();
  for (const service of matrix.services) {
    const plan = matrix.plan.services.find((candidate) => candidate.key === service.service)!;
    const apis = new Map(plan.apis.map((api) => [api.key, api]));
    const products = new Map(plan.products.map((product) => [product.productId.toLowerCase(), product]));
    const rowsByOperation = new Map<string, OperationAccess[]>();
    for (const row of service.operations) {
      const key = `${row.ref.api}\n${row.ref.operation}`;
      rowsByOperation.set(key, [...(rowsByOperation.get(key) ?? []), row]);
    }
    for (const rows of rowsByOperation.values()) {
      const guarding = [...new Set(rows.flatMap((row) => row.chain.flatMap((scope) => productGates.get(scope.address) ?? [])))];
      if (guarding.length === 0) continue;
      for (const row of rows) {
        if (row.chain.some((scope) => guarding.some((gate) => gate.policyAddress === scope.address))) continue;
        const callers = openTo(row);
        if (callers.length === 0) continue;
        const door = doorOf(row, apis.get(row.ref.api)!, row.ref.productId === undefined ? undefined : products.get(row.ref.productId.toLowerCase()));
        if (!door) continue;
        for (const gate of guarding) {
          const key = `${gate.policyAddress}\n${door.via}\n${door.responsible}`;
          const finding = found.get(key) ?? { code: 'side-door', gate, ...door, callers: [], operations: [] };
          found.set(key, finding);
          for (const caller of callers) if (!finding.callers.includes(caller)) finding.callers.push(caller);
          if (finding.operations[finding.operations.length - 1] !== row.ref) finding.operations.push(row.ref);
        }
      }
    }
  }
  for (const finding of found.values()) finding.callers = reportedCallers(finding.callers);
  return [...found.values()];
}

/** The untrusted callers a row lets through (forwarded or answered). */
function openTo(row: OperationAccess): UntrustedCaller[] {
  return row.cells.flatMap((cell) => {
    const caller = UNTRUSTED.get(cell.caller.kind);
    return caller !== undefined && (cell.verdict.kind === 'forwarded' || cell.verdict.kind === 'answered') ? [caller] : [];
  });
}

/** Who can take the row's route, or undefined for the route of keys scoped to the API or all APIs (admins'). */
function doorOf(row: OperationAccess, api: PlanApi, product: PlanProduct | undefined): Pick<SideDoor, 'via' | 'responsible' | 'productId'> | undefined {
  if (row.ref.productId === undefined) {
    const open = api.subscriptionRequired.known && !api.subscriptionRequired.value;
    return open && api.address !== undefined ? { via: 'no-subscription', responsible: api.address } : undefined;
  }
  if (!product?.address) return undefined;
  const open = product.subscriptionRequired.known && !product.subscriptionRequired.value;
  return { via: open ? 'open-product' : 'other-product', responsible: product.address, productId: product.productId };
}
