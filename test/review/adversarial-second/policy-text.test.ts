import { ApiManagementNamedValue } from '@cdktf/provider-azurerm/lib/api-management-named-value';
import { ApiManagementPolicyFragment } from '@cdktf/provider-azurerm/lib/api-management-policy-fragment';
import { TerraformVariable } from 'cdktf';
import { ATTACKER, Base, PARTNER_A } from '../adversarial/base-stack';
import { Attempt, Outcome, runAttempts } from './harness';

/*
 * Policy text: the same document read the way azurerm deploys it (rawxml) and the way XML
 * reads it, markup that hides or disguises elements, and values substituted after the text is
 * written (named values, fragments).
 */

/** Replaces the /partners (expression gate) policy text. */
const partners = (edit: (xml: string) => string) => (b: Base) => b.partners.policy.addOverride('xml_content', edit(b.partners.policyXml));
/** Replaces the /orders (validate-client-certificate) policy text. */
const orders = (edit: (xml: string) => string) => (b: Base) => b.orders.policy.addOverride('xml_content', edit(b.orders.policyXml));

const GATE_START = '<validate-client-certificate';
const GATE_END = '</validate-client-certificate>';
/** The /orders gate element, as written. */
const gateOf = (xml: string) => xml.slice(xml.indexOf(GATE_START), xml.indexOf(GATE_END) + GATE_END.length);

function namedValue(b: Base, id: string, props: { name: string; displayName: string; value?: string; secret?: boolean }): ApiManagementNamedValue {
  return new ApiManagementNamedValue(b.stack, id, {
    apiManagementName: b.edge.name,
    resourceGroupName: b.edge.resourceGroupName,
    name: props.name,
    displayName: props.displayName,
    ...(props.value !== undefined ? { value: props.value } : {}),
    ...(props.secret !== undefined ? { secret: props.secret } : {}),
  });
}

const PIN_A_BY_NAMED_VALUE = orders((xml) => xml.replace(`thumbprint="${PARTNER_A}"`, 'thumbprint="{{partner-a-thumbprint}}"'));

function gateFragment(b: Base, id: string, value: string): void {
  new ApiManagementPolicyFragment(b.stack, id, { apiManagementId: b.edge.resource.id, name: 'partner-gate', format: 'rawxml', value });
}
const FRAGMENT_GATE = (b: Base) => `<fragment>${gateOf(b.orders.policyXml)}</fragment>`;
const INCLUDE_GATE = orders((xml) => xml.replace(gateOf(xml), '<include-fragment fragment-id="partner-gate" />'));

export const POLICY_TEXT_ATTEMPTS: readonly Attempt[] = [
  {
    name: 'a string literal written with an entity inside the /partners gate expression: XML reads the old gate, rawxml (what azurerm deploys) admits every certificate',
    change: partners((xml) => xml.replace('|| !(context.Deployment.Certificates.Any(', '|| !("&lt;" != "\\u003c" || context.Deployment.Certificates.Any(')),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→forwarded .*partners/,
  },
  {
    name: 'the same entity trick made strict in both readings (harmless: XML and rawxml agree)',
    change: partners((xml) => xml.replace('|| !(context.Deployment.Certificates.Any(', '|| !("\\u003c" != "\\u003c" || context.Deployment.Certificates.Any(')),
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'the "@" of the /partners condition written as a character reference (&#x40;)',
    change: partners((xml) => xml.replace("condition='@(", "condition='&#x40;(")),
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'the /orders gate wrapped in CDATA',
    change: orders((xml) => xml.replace(gateOf(xml), `<![CDATA[${gateOf(xml)}]]>`)),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→(forwarded|undecided) .*orders/,
  },
  {
    name: 'the /orders gate commented out, its identities left in the comment',
    change: orders((xml) => xml.replace(gateOf(xml), `<!-- ${gateOf(xml)} -->`)),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→forwarded .*orders/,
  },
  {
    name: 'the /orders gate element given a namespace prefix',
    change: orders((xml) => xml.replace(gateOf(xml), gateOf(xml).replace('<validate-client-certificate', '<p:validate-client-certificate xmlns:p="urn:x"').replace(GATE_END, '</p:validate-client-certificate>'))),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→(forwarded|undecided) .*orders/,
  },
  {
    name: 'the /orders gate element spelled in another letter case',
    change: orders((xml) => xml.replace(gateOf(xml), gateOf(xml).replace('<validate-client-certificate', '<Validate-Client-Certificate').replace(GATE_END, '</Validate-Client-Certificate>'))),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→(forwarded|undecided) .*orders/,
  },
  {
    name: 'a duplicate attribute on the /orders gate (validate-not-after true, then false)',
    change: orders((xml) => xml.replace('validate-not-after="true"', 'validate-not-after="true" validate-not-after="false"')),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→undecided .*orders/,
  },
  {
    name: '<base /> written with an attribute in the /orders policy',
    change: orders((xml) => xml.replace('<inbound>\n    <base />', '<inbound>\n    <base scope="all" />')),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→undecided .*orders/,
  },
  {
    name: 'a byte order mark before the /orders policy',
    change: orders((xml) => `\uFEFF${xml}`),
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'an XML declaration before the /orders policy',
    change: orders((xml) => `<?xml version="1.0" encoding="utf-8"?>\n${xml}`),
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'the /partners policy re-indented with tabs and CRLF line ends (whitespace only)',
    change: partners((xml) => xml.replace(/\n/g, '\r\n').replace(/ {2}/g, '\t')),
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'a pinned thumbprint moved into a named value with the same value',
    change: (b) => {
      namedValue(b, 'PartnerA', { name: 'partner-a-thumbprint', displayName: 'partner-a-thumbprint', value: PARTNER_A });
      PIN_A_BY_NAMED_VALUE(b);
    },
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'a pinned thumbprint moved into a named value, whose display name (what policies use) belongs to another named value holding the attacker thumbprint',
    change: (b) => {
      namedValue(b, 'PartnerA', { name: 'partner-a-thumbprint', displayName: 'partner-a-thumbprint-old', value: PARTNER_A });
      namedValue(b, 'Spare', { name: 'spare', displayName: 'partner-a-thumbprint', value: ATTACKER });
      PIN_A_BY_NAMED_VALUE(b);
    },
    outcome: Outcome.WEAKENED,
    expect: new RegExp(`^weakened verdict thumbprint:${ATTACKER} rejected→forwarded`),
  },
  {
    name: 'a pinned thumbprint moved into a named value that holds the attacker thumbprint',
    change: (b) => {
      namedValue(b, 'PartnerA', { name: 'partner-a-thumbprint', displayName: 'partner-a-thumbprint', value: ATTACKER });
      PIN_A_BY_NAMED_VALUE(b);
    },
    outcome: Outcome.WEAKENED,
    expect: new RegExp(`^weakened verdict thumbprint:${ATTACKER} rejected→forwarded`),
  },
  {
    name: 'a pinned thumbprint moved into a secret named value (the plan cannot show it)',
    change: (b) => {
      namedValue(b, 'PartnerA', { name: 'partner-a-thumbprint', displayName: 'partner-a-thumbprint', value: PARTNER_A, secret: true });
      PIN_A_BY_NAMED_VALUE(b);
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→undecided .*orders/,
  },
  {
    name: 'a pinned thumbprint moved into a named value fed by a Terraform variable',
    change: (b) => {
      const thumbprint = new TerraformVariable(b.stack, 'partner_a_thumbprint', { type: 'string' });
      namedValue(b, 'PartnerA', { name: 'partner-a-thumbprint', displayName: 'partner-a-thumbprint', value: thumbprint.stringValue });
      PIN_A_BY_NAMED_VALUE(b);
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→undecided .*orders/,
  },
  {
    name: 'the /orders gate moved into a fragment (same gate)',
    change: (b) => {
      gateFragment(b, 'Gate', FRAGMENT_GATE(b));
      INCLUDE_GATE(b);
    },
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'a gate fragment emptied later, where the base already includes it',
    baseChange: (b) => {
      gateFragment(b, 'Gate', FRAGMENT_GATE(b));
      INCLUDE_GATE(b);
    },
    change: (b) => (b.stack.node.findChild('Gate') as ApiManagementPolicyFragment).addOverride('value', '<fragment><set-header name="X-Gate" exists-action="override"><value>off</value></set-header></fragment>'),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→forwarded .*orders/,
  },
  {
    name: 'the gate fragment included twice',
    baseChange: (b) => {
      gateFragment(b, 'Gate', FRAGMENT_GATE(b));
      INCLUDE_GATE(b);
    },
    change: orders((xml) => xml.replace(gateOf(xml), '<include-fragment fragment-id="partner-gate" /><include-fragment fragment-id="partner-gate" />')),
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'the gate fragment switched to format "xml" with the same text',
    baseChange: (b) => {
      gateFragment(b, 'Gate', FRAGMENT_GATE(b));
      INCLUDE_GATE(b);
    },
    change: (b) => (b.stack.node.findChild('Gate') as ApiManagementPolicyFragment).addOverride('format', 'xml'),
    outcome: Outcome.PASSES,
    expect: 'none',
  },
];

runAttempts(POLICY_TEXT_ATTEMPTS);
