import { ApiManagementCertificateA as ApiManagementCertificate } from '@cdktf/provider-azurerm/lib/api-management-certificate';
import { TerraformAsset } from 'cdktf';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CaCertificate, CertificateSource, ClientCertGatedApi, ClientCertificateTrust, UploadedCertificate } from '../../../src';
import { issueCertificate } from '../../support/x509';
import { adversarialPki, ATTACKER, Base, PARTNER_A, PARTNER_B } from '../adversarial/base-stack';
import { resourceAt } from '../adversarial/heads';
import { Attempt, Outcome, runAttempts } from './harness';

/*
 * Certificates and callers: gates that admit by something other than the whole thumbprint
 * (prefixes, pieces, names an attacker can choose), deny-lists aimed at the review's own
 * simulated callers, sources swapped under an unchanged identity, and CA certificates.
 */

const PARTNER_REJECT = '|| !(context.Deployment.Certificates.Any(';
/** Adds `extra` as another way in to the /partners gate (expression style: reject unless trusted). */
const partnersAlsoAdmit = (extra: string) => (b: Base) =>
  b.partners.policy.addOverride('xml_content', b.partners.policyXml.replace(PARTNER_REJECT, `|| !(${extra} || context.Deployment.Certificates.Any(`));

const PRESENTED = 'context.Request.Certificate';

/** The review's stand-in thumbprints as the first version of the engine computed them (public, in its source). */
const digest = (text: string) => createHash('sha1').update(text).digest('hex').toUpperCase();

/** A /reports gate that admits every certificate except those the review used to simulate. */
function denyListGate(b: Base): void {
  const root = adversarialPki().root;
  const rootThumbprint = root.thumbprint;
  const partnerKey = `certificate:azurerm_api_management_certificate.${(b.inventoryPartner.node.findChild('Certificate') as ApiManagementCertificate).friendlyUniqueId}`;
  const standIns = [digest('a certificate the plan does not know'), digest(`leaf of ${rootThumbprint}`), digest(`impostor of ${partnerKey}`), digest(`impostor of ca-leaf:${rootThumbprint}`)];
  const denied = standIns.map((thumbprint) => `${PRESENTED}.Thumbprint == "${thumbprint}"`).join(' || ');
  b.reports.policy.addOverride(
    'xml_content',
    `<policies>\n  <inbound>\n    <base />\n    <choose>\n      <when condition='@(${PRESENTED} == null || ${PRESENTED}.NotAfter < DateTime.Now || ${denied})'>\n        <return-response><set-status code="401" reason="no" /></return-response>\n      </when>\n    </choose>\n    <set-backend-service base-url="https://reports.internal.contoso.example" />\n  </inbound>\n  <backend><base /></backend>\n  <outbound><base /></outbound>\n  <on-error><base /></on-error>\n</policies>\n`,
  );
}

const VERIFY_ONLY = (b: Base) =>
  b.reports.policy.addOverride(
    'xml_content',
    `<policies>\n  <inbound>\n    <base />\n    <validate-client-certificate validate-revocation="false" validate-trust="true" validate-not-before="true" validate-not-after="true" ignore-error="false" />\n    <set-backend-service base-url="https://reports.internal.contoso.example" />\n  </inbound>\n  <backend><base /></backend>\n  <outbound><base /></outbound>\n  <on-error><base /></on-error>\n</policies>\n`,
  );

export const CERTIFICATE_ATTEMPTS: readonly Attempt[] = [
  {
    name: '/partners also admits any thumbprint starting with the first 8 digits of partner A (pinned on /orders)',
    change: partnersAlsoAdmit(`${PRESENTED}.Thumbprint.StartsWith("${PARTNER_A.slice(0, 8)}")`),
    outcome: Outcome.WEAKENED,
    expect: new RegExp(`^weakened verdict .*(thumbprint:${PARTNER_A}|${PARTNER_A.slice(0, 8)}).* rejected→forwarded .*partners`),
  },
  {
    name: "/partners also admits partner A's thumbprint written in two pieces",
    change: partnersAlsoAdmit(`${PRESENTED}.Thumbprint == "${PARTNER_A.slice(0, 20)}" + "${PARTNER_A.slice(20)}"`),
    outcome: Outcome.WEAKENED,
    expect: new RegExp(`^weakened verdict thumbprint:${PARTNER_A} rejected→forwarded .*partners`),
  },
  {
    name: "/partners also admits an attacker's thumbprint written in two pieces (no certificate of the plan has it)",
    change: partnersAlsoAdmit(`${PRESENTED}.Thumbprint == "${ATTACKER.slice(0, 20)}" + "${ATTACKER.slice(20)}"`),
    outcome: Outcome.WEAKENED,
    expect: new RegExp(`^weakened verdict thumbprint:${ATTACKER} rejected→forwarded .*partners`),
  },
  {
    name: "/partners also admits partner A compared in lower case (.ToLower() ==)",
    change: partnersAlsoAdmit(`${PRESENTED}.Thumbprint.ToLower() == "${PARTNER_A.toLowerCase()}"`),
    outcome: Outcome.WEAKENED,
    expect: new RegExp(`^weakened verdict thumbprint:${PARTNER_A} rejected→forwarded .*partners`),
  },
  {
    name: '/partners also admits any certificate whose subject is "CN=letmein" (anyone can make one)',
    change: partnersAlsoAdmit(`${PRESENTED}.Subject == "CN=letmein"`),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict .* rejected→forwarded .*partners/,
  },
  {
    name: '/partners also admits any certificate whose subject name ends with "O=Fabrikam"',
    change: partnersAlsoAdmit(`${PRESENTED}.SubjectName.Name.EndsWith("O=Fabrikam")`),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict .* rejected→forwarded .*partners/,
  },
  {
    name: '/partners also admits any certificate whose issuer contains "Contoso" (no chain check)',
    change: partnersAlsoAdmit(`${PRESENTED}.Issuer.Contains("Contoso")`),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict .* rejected→forwarded .*partners/,
  },
  {
    name: '/partners also admits a certificate whose thumbprint the caller repeats in a request header',
    change: partnersAlsoAdmit(`${PRESENTED}.Thumbprint == context.Request.Headers.GetValueOrDefault("X-Client-Thumbprint", "")`),
    outcome: Outcome.WEAKENED,
    // Every caller is also simulated repeating its thumbprint in the headers the policies read.
    expect: /^weakened verdict .* rejected→forwarded .*partners/,
  },
  {
    name: '/reports admits every certificate except the thumbprints of the callers the review simulates',
    change: denyListGate,
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict .* rejected→forwarded .*reports/,
  },
  {
    name: 'partner B removed from the /orders gate but kept in a comment next to it',
    change: (b) => b.orders.policy.addOverride('xml_content', b.orders.policyXml.replace(`<identity thumbprint="${PARTNER_B}" />`, `<!-- retired: ${PARTNER_B} -->`)),
    outcome: Outcome.PASSES,
    expect: new RegExp(`^strengthened verdict thumbprint:${PARTNER_B} forwarded→rejected`),
  },
  {
    name: 'the Key Vault certificate /partners trusts swapped for another secret',
    edit: (json) => {
      resourceAt(json, 'azurerm_api_management_certificate', 'PartnerKv/Certificate').key_vault_secret_id = 'https://contoso-kv.vault.azure.net/secrets/partner-c';
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened certificate replaced-unverified .*PartnerKv/,
  },
  {
    name: 'the Key Vault secret id re-spelled (host in upper case, trailing slash)',
    edit: (json) => {
      resourceAt(json, 'azurerm_api_management_certificate', 'PartnerKv/Certificate').key_vault_secret_id = 'https://CONTOSO-KV.vault.azure.net/secrets/partner-b/';
    },
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'the /partners certificate construct renamed (new address) and re-pinned by the construct',
    change: (b) => {
      const renamed = new UploadedCertificate(b.stack, 'PartnerKvRenamed', { apiManagement: b.edge, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/partner-b'), name: 'partner-kv' });
      const old = b.stack.node.findChild('PartnerKv') as UploadedCertificate;
      (old.node.findChild('Certificate') as ApiManagementCertificate).addOverride('count', 0);
      b.partners.policy.addOverride('xml_content', b.partners.policyXml);
      void renamed;
    },
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'a second CA uploaded to contoso-core, where /reports admits any certificate that chains to an uploaded CA',
    baseChange: VERIFY_ONLY,
    change: (b) => {
      const other = issueCertificate({ subject: 'CN=Other Root, O=Elsewhere', ca: true, notAfter: new Date(Date.now() + 5 * 365 * 86400000) });
      b.core.resource.addOverride('certificate', [
        { encoded_certificate: adversarialPki().root.der.toString('base64'), store_name: 'Root' },
        { encoded_certificate: other.der.toString('base64'), store_name: 'Root' },
      ]);
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict ca-leaf:.* rejected→forwarded .*reports/,
  },
  {
    name: "the PFX asset swapped for another certificate under the base's asset hash (TerraformAsset assetHash)",
    change: (b) => {
      const stranger = adversarialPki().strangerPfx;
      const hashOf = (file: string) => createHash('md5').update(file).digest('hex').toUpperCase();
      const asset = new TerraformAsset(b.stack, 'Swapped', { path: stranger, assetHash: hashOf('fixed') });
      (b.inventoryPartner.node.findChild('Certificate') as ApiManagementCertificate).addOverride('data', `\${filebase64("${asset.path}")}`);
    },
    edit: (json, stackDir, baseStackDir) => {
      // The head points at the swapped file under the directory hash the base's PFX has.
      const baseAssets = join(baseStackDir, 'assets');
      const pfxDir = readdirSync(baseAssets).find((dir) => dir.startsWith('InventoryPartner'))!;
      const [baseHash] = readdirSync(join(baseAssets, pfxDir));
      const certificate = resourceAt(json, 'azurerm_api_management_certificate', 'InventoryPartner/Certificate');
      certificate.data = certificate.data.replace(/assets\/Swapped\/[0-9A-F]+\//, `assets/Swapped/${baseHash}/`);
      const headAssets = join(stackDir, 'assets', 'Swapped');
      const [headHash] = readdirSync(headAssets);
      require('node:fs').renameSync(join(headAssets, headHash), join(headAssets, baseHash));
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened certificate /,
  },
  {
    name: 'a new API trusting a CA-issued certificate by chain and subject (stricter than any uploaded certificate)',
    change: (b) =>
      new ClientCertGatedApi(b.stack, 'AuditApi', {
        apiManagement: b.core,
        displayName: 'Audit',
        path: 'audit',
        serviceUrl: 'https://audit.internal.contoso.example',
        trust: ClientCertificateTrust.certificates([b.inventoryPartner]),
        verifyChain: true,
        checkRevocation: false,
      }),
    outcome: Outcome.PASSES,
    expect: /^to-note operation-added audit/,
  },
];

void CaCertificate;
runAttempts(CERTIFICATE_ATTEMPTS);
