import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ensureCdktnCli } from '../../tools/cdktn-cli/toolchain';
import { CDKTN_EDITION_DIR } from '../../tools/editions/build-cdktn-edition';
import { toCdktnModule } from '../../tools/editions/cdktn-modules';
import { rewriteModuleSpecifiers } from '../../tools/editions/module-specifiers';
import { Edition } from '../support/edition';

/*
 * Each edition as its users install it: `npm pack` (both are built by `npm run build` before the
 * tests), the tarball installed with only its peer dependencies into a scratch project, the
 * repository's example app compiled there by that project's tsc against the shipped
 * declarations, synthesized by the edition's own CLI, and reviewed by the shipped command from
 * node_modules/.bin.
 */

const ROOT = resolve(__dirname, '../..');
const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
// The user's process, not this test's: no jest or npm-script settings, no cdktn require hook.
const USER_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|NODE_OPTIONS$|JEST_|APIM_MTLS_)/i.test(name)));
const OFFLINE = { ...USER_ENV, CI: 'true', CHECKPOINT_DISABLE: '1' };

interface EditionUnderTest {
  readonly edition: Edition;
  readonly packageDir: string;
  /** How an import of the example maps in a user's project. */
  readonly importOf: (specifier: string) => string | undefined;
  /** The override a cdktn user writes into package.json (README, Install). */
  readonly overrides?: Record<string, unknown>;
  readonly synthesize: (project: string) => void;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = OFFLINE): string {
  return execFileSync(command, args, { cwd, stdio: 'pipe', encoding: 'utf8', timeout: 600000, env });
}

const packageOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

const EDITIONS: readonly EditionUnderTest[] = [
  {
    edition: 'cdktf',
    packageDir: ROOT,
    importOf: (specifier) => (specifier === '../src' ? rootPackage.name : undefined),
    synthesize: (project) => run(join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth'], project),
  },
  {
    edition: 'cdktn',
    packageDir: CDKTN_EDITION_DIR,
    importOf: (specifier) => (specifier === '../src' ? packageOf(CDKTN_EDITION_DIR).name : toCdktnModule(specifier)),
    overrides: { '@cdktn/provider-azurerm': { cdktn: packageOf(CDKTN_EDITION_DIR).peerDependencies.cdktn } },
    synthesize: (project) => {
      const cdktn = ensureCdktnCli();
      run(cdktn.node, [cdktn.cli, 'synth'], project, cdktn.env(OFFLINE));
    },
  },
];

/** Files and folders that exist only in the repository (or beside it), never in a package. */
const REPOSITORY_ONLY = /\b(?!README\.md\b)[\w.-]+\.md\b|\bseeds\b|\bshared\/[\w.-]+/g;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The example app, with its imports as a user of the edition writes them. */
function copyExampleApp(project: string, importOf: (specifier: string) => string | undefined): string[] {
  const examples = join(ROOT, 'examples');
  const files = readdirSync(examples).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const { text } = rewriteModuleSpecifiers(file, readFileSync(join(examples, file), 'utf8'), importOf);
    writeFileSync(join(project, file), text);
  }
  return files;
}

function synthesizedStack(project: string, stack: string): any {
  return JSON.parse(readFileSync(join(project, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8'));
}

const projects = new Map<Edition, string>();
const reports = new Map<Edition, string>();

describe.each(EDITIONS)('the packed $edition edition', ({ edition, packageDir, importOf, overrides, synthesize }) => {
  const packed = packageOf(packageDir);
  let packedFiles: string[];
  let project: string;
  let installed: string;

  beforeAll(() => {
    const packDir = mkdtempSync(join(tmpdir(), `apim-mtls-pack-${edition}-`));
    // --ignore-scripts: pack what `npm run build` built before the tests, without rebuilding (prepare).
    const [result] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], packageDir));
    packedFiles = result.files.map((f: { path: string }) => f.path);

    project = mkdtempSync(join(tmpdir(), `apim-mtls-consumer-${edition}-`));
    projects.set(edition, project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '0.0.0', ...(overrides ? { overrides } : {}) }));
    // Every declared peer (the optional @types/node included, since our typings name Node
    // types) at the version this repository tests with, and the TypeScript the README pins.
    const peers = Object.keys(packed.peerDependencies).map((name) => `${name}@${rootPackage.devDependencies[name]}`);
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(packDir, result.filename), ...peers, `typescript@${rootPackage.devDependencies.typescript}`], project);
    installed = join(project, 'node_modules', packed.name);
  }, 600000);

  test('ships compiled JavaScript and declarations, and nothing else of the repository', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'docs/API.md', 'lib/index.js', 'lib/index.d.ts', packed.bin[packed.name]]));
    expect(packedFiles.filter((f) => !/^(package\.json|README\.md|LICENSE|docs\/API\.md|lib\/.*\.(js|d\.ts))$/.test(f))).toEqual([]);
    expect(packedFiles.some((f) => /\.(pfx|p12|pem|key)$/.test(f))).toBe(false);
  });

  test('cites no repository-only file in its code, declarations or API reference', () => {
    const citations = new Set<string>();
    for (const file of [...filesUnder(join(installed, 'lib')), join(installed, 'docs', 'API.md')]) {
      for (const [cited] of readFileSync(file, 'utf8').matchAll(REPOSITORY_ONLY)) citations.add(`${relative(installed, file)}: ${cited}`);
    }
    expect([...citations].sort()).toEqual([]);
  });

  test(`compiles the example app with tsc and synthesizes it through \`${edition} synth\``, () => {
    const files = copyExampleApp(project, importOf);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, types: ['node'], skipLibCheck: false }, files }),
    );
    writeFileSync(join(project, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node main.js', projectId: 'consumer', sendCrashReports: 'false' }));
    run(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);
    synthesize(project);

    const stack = synthesizedStack(project, 'partner-gateway');
    const policies = Object.values<any>(stack.resource.azurerm_api_management_api_policy).map((p) => p.xml_content as string);
    expect(policies).toHaveLength(2);
    expect(policies.some((xml) => xml.includes('|| !context.Deployment.Certificates.Any('))).toBe(true);
    expect(Object.values<any>(stack.resource.azurerm_api_management)[0].client_certificate_enabled).toBe(true);
    // The app ran on the edition's own framework, which writes its version into the manifest.
    const manifest = JSON.parse(readFileSync(join(project, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(manifest.version).toBe(packageOf(join(project, 'node_modules', edition)).version);
  }, 600000);

  test(`its command \`${packed.name} review\` runs from node_modules/.bin`, () => {
    const report = run(join(project, 'node_modules', '.bin', packed.name), ['review', 'cdktf.out', '--now', '2027-01-01T00:00:00Z'], project);
    expect(report).toContain('# Client-certificate review');
    expect(report).toContain('`/partners/orders`');
    reports.set(edition, report);
  }, 60000);

  test(`its usage text names \`${packed.name}\` and \`${edition} synth\`, not the other edition's`, () => {
    const text = run(join(project, 'node_modules', '.bin', packed.name), ['--help'], project);
    const other = EDITIONS.find((e) => e.edition !== edition)!;
    expect(text).toMatch(new RegExp(`^Usage: ${packed.name} review `));
    expect(text).toContain(`"${edition} synth"`);
    expect(text).not.toContain(packageOf(other.packageDir).name);
    expect(text).not.toContain(`${other.edition} synth`);
  }, 60000);
});

describe('the two editions', () => {
  /**
   * What each framework writes about itself: its version in the stack metadata, and the azurerm
   * version its provider bindings were generated from (4.55 for @cdktf 14, 4.73 for @cdktn 16).
   */
  const versionMarkers = (stack: any) => ({
    framework: stack['//'].metadata.version,
    providers: Object.fromEntries(Object.entries<any>(stack.terraform.required_providers).map(([name, p]) => [name, p.version])),
  });
  const withoutVersionMarkers = (stack: any) => {
    const copy = JSON.parse(JSON.stringify(stack));
    delete copy['//'].metadata.version;
    for (const provider of Object.values<any>(copy.terraform.required_providers)) delete provider.version;
    return copy;
  };

  test('synthesize the same Terraform JSON for the same app, but for version markers', () => {
    const [cdktf, cdktn] = (['cdktf', 'cdktn'] as const).map((e) => synthesizedStack(projects.get(e)!, 'partner-gateway'));
    expect(versionMarkers(cdktf).framework).toBe(rootPackage.devDependencies.cdktf);
    expect(versionMarkers(cdktn).framework).toBe(rootPackage.devDependencies.cdktn);
    expect(Object.keys(versionMarkers(cdktn).providers)).toEqual(Object.keys(versionMarkers(cdktf).providers));
    expect(withoutVersionMarkers(cdktn)).toEqual(withoutVersionMarkers(cdktf));
  });

  test('give the same review report', () => {
    expect(reports.get('cdktn')).toBe(reports.get('cdktf'));
  });
});
