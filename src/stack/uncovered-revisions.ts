import { GateScope } from '../policy/gated-policy-document';
import type { GateFinding, ProvenGate } from './gate-proof';
import { ResourceNames, ResourceRecord } from './resource-names';

type UncoveredRevision = Extract<GateFinding, { code: 'uncovered-revision' }>;

/**
 * APIs of the stack with several revisions (`azurerm_api_management_api` resources with one name
 * and different `revision`) whose gate names the API alone. API Management keeps a policy per
 * revision; the gate written for `orders` runs for the current revision, and the others answer
 * at `/orders;rev=<n>` without it unless a gate names them (`orders;rev=2`) or the service is
 * gated. One pass over the records.
 */
export function uncoveredRevisions(records: readonly ResourceRecord[], names: ResourceNames, gates: readonly ProvenGate[]): UncoveredRevision[] {
  const byAddress = new Map(records.map((record) => [record.address, record]));
  const gatedApis = new Map<string, ProvenGate>();
  const gatedServices = new Set<string>();
  for (const gate of gates) {
    const values = byAddress.get(gate.policyAddress)?.values;
    if (!values) continue;
    if (gate.scope === GateScope.SERVICE) gatedServices.add(names.serviceById(values.api_management_id));
    else if (gate.scope === GateScope.API) gatedApis.set(names.scoped(values.api_management_name, values.api_name), gate);
  }
  if (gatedApis.size === 0) return [];
  const revisions = new Map<string, Array<{ readonly revision: string; readonly address: string }>>();
  for (const { address, type, values } of records) {
    const name = type === 'azurerm_api_management_api' ? names.literal(values.name) : undefined;
    const revision = values.revision;
    if (name === undefined || typeof revision !== 'string') continue;
    const key = `${names.service(values.api_management_name)}|${name}`;
    const list = revisions.get(key) ?? [];
    // Two resources for one revision are a collision, reported as such.
    if (!list.some((known) => known.revision.toLowerCase() === revision.toLowerCase())) list.push({ revision, address });
    revisions.set(key, list);
  }
  const found: UncoveredRevision[] = [];
  for (const [key, list] of revisions) {
    const gate = gatedApis.get(key);
    const [service, api] = key.split('|');
    if (list.length < 2 || !gate || gatedServices.has(service)) continue;
    const uncovered = list.filter(({ revision }) => !gatedApis.has(`${key};rev=${revision.toLowerCase()}`));
    // The gate on the API's name covers one of them, the current one.
    if (uncovered.length >= 2) found.push({ code: 'uncovered-revision', gate, api, service, revisions: uncovered });
  }
  return found;
}
