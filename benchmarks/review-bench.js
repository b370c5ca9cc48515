'use strict';
// The plan review on generated N-API plans, alone (full report) and with --base. Each figure
// comes from a fresh child process: wall time, CPU time (user + system, which a busy shared
// machine disturbs far less than wall time) and peak RSS from the OS. `benchmarks/run.js` runs it
// as the last section; `node benchmarks/review-bench.js` runs it alone. Not a test: it asserts nothing.
const { createHash } = require('node:crypto');
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { LoadRecorder, runWorker, spread } = require('./measure');

const BACKENDS = 10;
const CERTIFICATES = 5;

const SERVICE = '${azurerm_api_management.apim.name}';
const RG = '${azurerm_api_management.apim.resource_group_name}';
const thumbprint = (seed) => createHash('sha1').update(seed).digest('hex').toUpperCase();
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

function policy(inbound) {
  return `<policies>\n  <inbound>\n    <base />\n${inbound}  </inbound>\n  <backend>\n    <base />\n  </backend>\n  <outbound>\n    <base />\n  </outbound>\n  <on-error>\n    <base />\n  </on-error>\n</policies>\n`;
}

function gate(thumbprints) {
  const identities = thumbprints.map((t) => `        <identity thumbprint="${t}" />\n`).join('');
  return `    <validate-client-certificate validate-revocation="false" validate-trust="false" validate-not-before="true" validate-not-after="true" ignore-error="false">\n      <identities>\n${identities}      </identities>\n    </validate-client-certificate>\n`;
}

/**
 * A plan as a platform team's generator would write it: one Developer service, N gated APIs
 * with seven catch-all operations each, each pinning its own partner and a shared one (so no two
 * API policies are alike), ten mutual-TLS backends, five Key Vault client certificates, a product
 * with its own gate linked to every tenth API, an operation policy on every twentieth API.
 * `changed` adds a thumbprint to one API: the head of a pull request.
 */
function plan(n, changed) {
  const resource = {
    azurerm_api_management: {
      apim: { name: 'bench-apim', resource_group_name: 'rg', location: 'westeurope', publisher_name: 'B', publisher_email: 'b@example.com', sku_name: 'Developer_1', hostname_configuration: { proxy: [{ host_name: 'bench-apim.azure-api.net', negotiate_client_certificate: true }] } },
    },
    azurerm_api_management_policy: { global: { api_management_id: '${azurerm_api_management.apim.id}', xml_content: policy('    <set-header name="X-Gateway" exists-action="override"><value>bench</value></set-header>\n') } },
    azurerm_api_management_certificate: {},
    azurerm_api_management_backend: {},
    azurerm_api_management_product: { partners: { product_id: 'partners', api_management_name: SERVICE, resource_group_name: RG, display_name: 'Partners', published: true } },
    azurerm_api_management_product_policy: { partners: { product_id: '${azurerm_api_management_product.partners.product_id}', api_management_name: SERVICE, resource_group_name: RG, xml_content: policy(gate([thumbprint('shared')])) } },
    azurerm_api_management_product_api: {},
    azurerm_api_management_api: {},
    azurerm_api_management_api_operation: {},
    azurerm_api_management_api_policy: {},
    azurerm_api_management_api_operation_policy: {},
  };
  for (let c = 0; c < CERTIFICATES; c++) {
    resource.azurerm_api_management_certificate[`client${c}`] = { name: `client-${c}`, api_management_name: SERVICE, resource_group_name: RG, key_vault_secret_id: `https://bench.vault.azure.net/secrets/client-${c}` };
  }
  for (let b = 0; b < BACKENDS; b++) {
    resource.azurerm_api_management_backend[`backend${b}`] = { name: `backend-${b}`, api_management_name: SERVICE, resource_group_name: RG, protocol: 'http', url: `https://backend-${b}.internal.example`, tls: { validate_certificate_chain: true, validate_certificate_name: true } };
  }
  for (let i = 0; i < n; i++) {
    const name = `api${i}`;
    resource.azurerm_api_management_api[name] = { name: `api-${i}`, api_management_name: SERVICE, resource_group_name: RG, revision: '1', display_name: `API ${i}`, path: `apis/${i}`, protocols: ['https'] };
    const pins = [thumbprint(`partner-${i}`), thumbprint('shared'), ...(changed && i === 7 ? [thumbprint('newcomer')] : [])];
    const routing = `    <set-backend-service backend-id="backend-${i % BACKENDS}" />\n    <authentication-certificate certificate-id="client-${i % CERTIFICATES}" />\n`;
    resource.azurerm_api_management_api_policy[name] = { api_name: `\${azurerm_api_management_api.${name}.name}`, api_management_name: SERVICE, resource_group_name: RG, xml_content: policy(gate(pins) + routing) };
    for (const method of METHODS) {
      resource.azurerm_api_management_api_operation[`${name}_${method}`] = {
        operation_id: `${method.toLowerCase()}-all`, api_name: `\${azurerm_api_management_api.${name}.name}`, api_management_name: SERVICE, resource_group_name: RG, display_name: `${method} /*`, method, url_template: '/*',
      };
    }
    if (i % 10 === 0) {
      resource.azurerm_api_management_product_api[name] = { api_name: `\${azurerm_api_management_api.${name}.name}`, product_id: '${azurerm_api_management_product.partners.product_id}', api_management_name: SERVICE, resource_group_name: RG };
    }
    if (i % 20 === 0) {
      resource.azurerm_api_management_api_operation_policy[name] = {
        api_name: `\${azurerm_api_management_api.${name}.name}`, api_management_name: SERVICE, resource_group_name: RG, operation_id: `\${azurerm_api_management_api_operation.${name}_GET.operation_id}`,
        xml_content: policy('    <set-header name="X-Operation" exists-action="override"><value>get</value></set-header>\n'),
      };
    }
  }
  return { resource };
}

function writePlan(work, n, changed) {
  const dir = join(work, `${n}-${changed ? 'head' : 'base'}`);
  mkdirSync(join(dir, 'stacks', 'bench'), { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: { bench: { name: 'bench', synthesizedStackPath: 'stacks/bench/cdk.tf.json', annotations: [] } } }));
  writeFileSync(join(dir, 'stacks', 'bench', 'cdk.tf.json'), JSON.stringify(plan(n, changed)));
  return dir;
}

const MODES = [
  ['full report', (head) => [head]],
  ['--base', (head, base) => [head, base]],
];

/** For each N: `rounds` rounds of the full report and the --base review, interleaved. */
function reviewBenchmark({ work, rounds, sizes, log }) {
  const rows = [];
  for (const n of sizes) {
    const base = writePlan(work, n, false);
    const head = writePlan(work, n, true);
    const runs = Object.fromEntries(MODES.map(([mode]) => [mode, []]));
    const loads = new LoadRecorder();
    for (let round = 0; round < rounds; round++) {
      for (const [mode, args] of round % 2 ? [...MODES].reverse() : MODES) {
        runs[mode].push(runWorker('review-worker.js', args(head, base)));
        loads.sample();
      }
      log(`review, N = ${n}: round ${round + 1}/${rounds}`);
    }
    for (const [mode] of MODES) {
      const list = runs[mode];
      rows.push({
        count: n,
        operations: n * METHODS.length,
        mode,
        wallMs: spread(list.map((r) => r.ms)),
        cpuMs: spread(list.map((r) => r.cpuMs)),
        peakRssMb: spread(list.map((r) => r.maxRssKiB / 1024)),
        markdownKiB: list[0].markdownBytes / 1024,
        load: loads.summary(),
      });
    }
    rmSync(base, { recursive: true, force: true });
    rmSync(head, { recursive: true, force: true });
  }
  return rows;
}

module.exports = { reviewBenchmark };

if (require.main === module) {
  const work = mkdtempSync(join(os.tmpdir(), 'apim-mtls-review-bench-'));
  const rows = reviewBenchmark({
    work,
    rounds: Number(process.env.BENCH_ROUNDS ?? 5),
    sizes: (process.env.BENCH_REVIEW_SIZES ?? '100,1000,3000').split(',').map(Number),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  rmSync(work, { recursive: true, force: true });
  console.log(require('./report').reviewTable(rows));
}
