import { PlanPolicy } from '../plan';
import type { GateFinding, ProvenGate, Tampering } from './gate-proof';
import { ResourceRecord } from './resource-names';

/** What the construct wrote for its gate's policy resource, resolved as the stack's JSON writes it. */
export interface WrittenGate {
  readonly gate: ProvenGate;
  /** The attributes that name the gated scope (`api_name`, `product_id`, `api_management_id`, …). */
  readonly scopeAttributes: Readonly<Record<string, unknown>>;
  /** `xml_content` as the construct wrote it. */
  readonly document: unknown;
  /** The provider of the gated resource (`azurerm.<alias>`), undefined for the default one: the gate's policy must go through it. */
  readonly provider?: unknown;
}

/**
 * How the synthesized policy resource of a gate differs from what its construct wrote in ways the
 * simulation cannot judge: the resource is gone, exists only under a condition, is never updated,
 * guards another scope, or holds a document only Terraform can compute. A document that was
 * changed but is still known is left to the simulation, which judges what it does.
 *
 * @param record the resource as synthesized (overrides applied), undefined when it is not there
 * @param policy the plan's reading of the resource's document
 */
export function gateTampering(written: WrittenGate, record: ResourceRecord | undefined, policy: PlanPolicy | undefined): GateFinding[] {
  const finding = (how: Tampering): GateFinding => ({ code: 'tampered', gate: written.gate, how });
  if (!record) return [finding({ kind: 'removed' })];
  const values = record.values;
  const findings: GateFinding[] = [];
  for (const attribute of ['count', 'for_each'] as const) {
    if (values[attribute] !== undefined) findings.push(finding({ kind: 'conditional', attribute, value: values[attribute] }));
  }
  const ignored = (values.lifecycle as { ignore_changes?: unknown } | undefined)?.ignore_changes;
  if (ignored === 'all' || (Array.isArray(ignored) && ignored.some((name) => name === 'all' || name === 'xml_content' || name === 'xml_link'))) {
    findings.push(finding({ kind: 'ignore-changes', value: ignored }));
  }
  // An unaliased provider ("azurerm") is the default one.
  const aliased = (provider: unknown) => (typeof provider === 'string' && !provider.includes('.') ? undefined : provider);
  if (aliased(values.provider) !== aliased(written.provider)) {
    findings.push(finding({ kind: 'retargeted', attribute: 'provider', written: aliased(values.provider), expected: aliased(written.provider) }));
  }
  for (const [attribute, expected] of Object.entries(written.scopeAttributes)) {
    if (JSON.stringify(values[attribute]) !== JSON.stringify(expected)) {
      findings.push(finding({ kind: 'retargeted', attribute, written: values[attribute], expected }));
    }
  }
  const replaced = values.xml_link !== undefined || JSON.stringify(values.xml_content) !== JSON.stringify(written.document);
  if (replaced && policy && !policy.text.known && findings.length === 0) {
    findings.push(finding({ kind: 'document-unknown', reason: policy.text.reason }));
  }
  return findings;
}
