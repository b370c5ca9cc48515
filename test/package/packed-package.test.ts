import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, stdio: 'pipe', encoding: 'utf8', timeout: 600000, env: { ...process.env, CI: 'true' } });
}

/**
 * `npm pack` the library (compiled by `npm run build` before the tests), install the tarball
 * with only its peer dependencies into a scratch TypeScript project, compile a stack there with
 * tsc and synthesize it with plain node: no ts-node, no source files.
 */
describe('the packed package', () => {
  let tarball: string;
  let packedFiles: string[];

  beforeAll(() => {
    const packDir = mkdtempSync(join(tmpdir(), 'apim-mtls-pack-'));
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', packDir], ROOT));
    tarball = join(packDir, packed.filename);
    packedFiles = packed.files.map((f: { path: string }) => f.path);
  }, 120000);

  test('ships compiled JavaScript and declarations, and nothing else of the repository', () => {
    const files = packedFiles;
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'lib/index.js', 'lib/index.d.ts']));
    expect(files.filter((f) => !/^(package\.json|README\.md|LICENSE|lib\/.*\.(js|d\.ts))$/.test(f))).toEqual([]);
    expect(files.some((f) => /\.(pfx|p12|pem|key)$/.test(f))).toBe(false);
  });

  test('installs with only its peer dependencies and synthesizes a stack compiled by tsc', () => {
    const project = mkdtempSync(join(tmpdir(), 'apim-mtls-consumer-'));
    // Every declared peer (the optional @types/node included, since our typings name Node
    // types), at the versions we test with.
    const peers = rootPackage.peerDependencies as Record<string, string>;
    const pinned = Object.keys(peers).map((name) => `${name}@${rootPackage.devDependencies[name]}`);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '0.0.0' }));
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...pinned], project);

    writeFileSync(
      join(project, 'main.ts'),
      [
        "import { App, TerraformStack } from 'cdktf';",
        "import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';",
        "import { ApiManagementService, ClientCertGatedApi, ClientCertificateTrust, GateStyle } from 'cdktf-apim-mtls';",
        'const app = new App();',
        "const stack = new TerraformStack(app, 'consumer');",
        "new AzurermProvider(stack, 'azurerm', { features: [{}] });",
        "const apim = new ApiManagementService(stack, 'Apim', { name: 'consumer-apim', resourceGroupName: 'rg', location: 'westeurope', publisherName: 'C', publisherEmail: 'c@example.com', skuName: 'Developer_1' });",
        "new ClientCertGatedApi(stack, 'Api', { apiManagement: apim, displayName: 'Consumer', path: 'consumer', serviceUrl: 'https://consumer.example.com', trust: ClientCertificateTrust.uploadedCertificates(), gateStyle: GateStyle.EXPRESSION });",
        'app.synth();',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, types: ['node'], skipLibCheck: false }, files: ['main.ts'] }),
    );
    // The root's tsc, resolving modules from the scratch project only.
    run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);
    const outdir = join(project, 'out');
    execFileSync(process.execPath, ['main.js'], { cwd: project, env: { ...process.env, CDKTF_OUTDIR: outdir }, stdio: 'pipe' });

    const stack = JSON.parse(readFileSync(join(outdir, 'stacks', 'consumer', 'cdk.tf.json'), 'utf8'));
    const policy = Object.values<any>(stack.resource.azurerm_api_management_api_policy)[0];
    expect(policy.xml_content).toContain('!context.Deployment.Certificates.Any(');
    expect(Object.values<any>(stack.resource.azurerm_api_management)[0].hostname_configuration.proxy[0].negotiate_client_certificate).toBe(true);

    // The shipped command, as npx runs it from the consumer's node_modules/.bin.
    const report = run(join(project, 'node_modules', '.bin', 'cdktf-apim-mtls'), ['review', 'out'], project);
    expect(report).toContain('# Client-certificate review');
    expect(report).toContain('`/consumer`');
  }, 600000);
});
