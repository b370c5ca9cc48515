#!/usr/bin/env node
// @ts-check
/**
 * Builds the CDK Terrain edition, `cdktn-apim-mtls`, from the compiled cdktf edition in `lib/`:
 * the same JavaScript and declarations with their `cdktf` and `@cdktf/provider-azurerm/lib/...`
 * module specifiers rewritten to `cdktn` and `@cdktn/provider-azurerm/lib/...`, its own
 * package.json (CDK Terrain peers), README and command. Written to `dist/cdktn-apim-mtls/`;
 * `npm pack ./dist/cdktn-apim-mtls` packs it.
 *
 * Fails, writing nothing usable, when a framework import survives the rewrite, when a module
 * specifier is computed (no rewrite can follow it), or when a module or a name the library
 * uses does not exist in the installed cdktn packages.
 */
const { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join, relative, resolve } = require('node:path');
const ts = require('typescript');
const { CDKTN_PACKAGES, isCdktfModule, toCdktnModule } = require('./cdktn-modules');
const { cdktnPackageJson, CDKTN_EDITION_NAME } = require('./cdktn-package-json');
const { cdktnReadme } = require('./cdktn-readme');
const { moduleReferences, rewriteModuleSpecifiers } = require('./module-specifiers');

const ROOT = resolve(__dirname, '../..');
const LIB = join(ROOT, 'lib');
const OUT = join(ROOT, 'dist', CDKTN_EDITION_NAME);

class EditionBuildError extends Error {}

/** Node's own require from the project root, as the edition's users load the packages. */
const requireFromRoot = createRequire(join(ROOT, 'package.json'));

/** @param {string} dir @returns {string[]} files under dir, sorted, as paths relative to it */
function filesUnder(dir) {
  /** @type {string[]} */
  const files = [];
  /** @param {string} current */
  const walk = (current) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(dir, path));
    }
  };
  walk(dir);
  return files;
}

/**
 * @typedef {object} Use
 * @property {string} file the compiled file, relative to lib/
 * @property {string} module the cdktn module it loads
 * @property {ReadonlySet<string> | undefined} names
 */

/**
 * Rewrites one compiled file. Returns its new text and the cdktn modules it now uses.
 * @param {string} file relative to lib/
 * @param {string} text
 * @returns {{ text: string, uses: Use[] }}
 */
function rewriteFile(file, text) {
  const { text: out, rewritten, computed } = rewriteModuleSpecifiers(file, text, toCdktnModule);
  if (computed.length > 0) {
    throw new EditionBuildError(`lib/${file}:${computed[0].line} loads a module whose name is computed at run time; the edition build can only rewrite string literals. Import modules by name.`);
  }
  const uses = rewritten.map(({ reference, target }) => ({ file, module: target, names: reference.names }));

  // Read the result again: no cdktf package may be left, including one the table lacks.
  const survivors = moduleReferences(file, out).references.filter((r) => isCdktfModule(r.specifier));
  if (survivors.length > 0) {
    throw new EditionBuildError(
      `lib/${file} still imports ${survivors.map((s) => `"${s.specifier}"`).join(', ')} after the rewrite to cdktn: add its CDK Terrain counterpart to tools/editions/cdktn-modules.js.`,
    );
  }
  return { text: out, uses };
}

/**
 * Every module and name the JavaScript takes from cdktn must exist in the installed cdktn
 * packages: a provider resource missing from @cdktn/provider-azurerm, or renamed there (such as
 * `ApiManagementCertificateA`), fails here instead of in a user's `cdktn synth`.
 * @param {Use[]} uses
 * @returns {string[]} problems
 */
function missingInCdktn(uses) {
  /** @type {string[]} */
  const problems = [];
  /** @type {Map<string, { exports?: Record<string, unknown>, failure?: string }>} */
  const loaded = new Map();
  for (const use of uses) {
    if (!loaded.has(use.module)) {
      try {
        loaded.set(use.module, { exports: requireFromRoot(use.module) });
      } catch (error) {
        loaded.set(use.module, { failure: String(/** @type {Error} */ (error).message).split('\n')[0] });
      }
    }
    const { exports, failure } = /** @type {{ exports?: Record<string, unknown>, failure?: string }} */ (loaded.get(use.module));
    if (failure !== undefined) {
      problems.push(`lib/${use.file} uses "${use.module}", which cannot be loaded from ${packageOf(use.module)} ${installedVersion(use.module)}: ${failure}`);
      continue;
    }
    if (!use.file.endsWith('.js')) continue; // Declarations are type-checked below.
    if (use.names === undefined) {
      problems.push(`lib/${use.file} takes "${use.module}" whole; the edition build cannot tell which names it uses. Import the names you need.`);
      continue;
    }
    for (const name of use.names) {
      if (!exports || !(name in exports)) {
        problems.push(`lib/${use.file} uses ${name} from "${use.module}", which ${packageOf(use.module)} ${installedVersion(use.module)} does not export.`);
      }
    }
  }
  return problems;
}

/** @param {string} module */
function packageOf(module) {
  return Object.values(CDKTN_PACKAGES).find((p) => module === p || module.startsWith(`${p}/`)) ?? module;
}

/** @param {string} module */
function installedVersion(module) {
  try {
    return requireFromRoot(`${packageOf(module)}/package.json`).version;
  } catch {
    return '(not installed: run npm ci)';
  }
}

/**
 * Type-checks the rewritten declarations against the installed cdktn packages, as a user's
 * `tsc` with `skipLibCheck: false` would.
 * @param {string[]} declarationFiles absolute paths
 * @returns {string[]} problems
 */
function declarationErrors(declarationFiles) {
  const program = ts.createProgram(declarationFiles, {
    noEmit: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules', '@types')],
  });
  // Only our declarations are checked: the cdktn packages' own typings are theirs to keep.
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...declarationFiles.flatMap((file) => {
      const source = program.getSourceFile(file);
      return source ? [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)] : [];
    }),
  ];
  return diagnostics
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file || d.start === undefined) return message;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${relative(ROOT, d.file.fileName)}:${line + 1}:${character + 1}: ${message}`;
    });
}

function build() {
  if (!existsSync(join(LIB, 'index.js'))) {
    throw new EditionBuildError('lib/index.js is missing: compile the cdktf edition first (npm run build).');
  }
  rmSync(OUT, { recursive: true, force: true });
  try {
    return writeEdition();
  } catch (error) {
    // Never leave a half-written edition that `npm pack` would ship.
    rmSync(OUT, { recursive: true, force: true });
    throw error;
  }
}

function writeEdition() {
  const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

  /** @type {Use[]} */
  const uses = [];
  /** @type {string[]} */
  const declarations = [];
  for (const file of filesUnder(LIB).filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
    const source = readFileSync(join(LIB, file), 'utf8');
    const rewritten = rewriteFile(file, source);
    uses.push(...rewritten.uses);
    const target = join(OUT, 'lib', file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, rewritten.text, { mode: statSync(join(LIB, file)).mode });
    if (file.endsWith('.d.ts')) declarations.push(target);
  }

  const problems = [...missingInCdktn(uses), ...declarationErrors(declarations)];
  if (problems.length > 0) {
    throw new EditionBuildError(`the cdktn edition does not match the installed cdktn packages:\n  ${problems.join('\n  ')}`);
  }

  writeFileSync(join(OUT, 'package.json'), `${JSON.stringify(cdktnPackageJson(rootPackage), null, 2)}\n`);
  writeFileSync(join(OUT, 'README.md'), cdktnReadme(readFileSync(join(ROOT, 'README.md'), 'utf8'), rootPackage.name));
  // Other shipped files named by path (LICENSE, docs/API.md) are the same in both editions.
  for (const file of rootPackage.files ?? []) {
    if (/[*?]/.test(file) || file === 'README.md') continue;
    mkdirSync(dirname(join(OUT, file)), { recursive: true });
    cpSync(join(ROOT, file), join(OUT, file));
  }
  return { files: filesUnder(join(OUT, 'lib')).length, uses: uses.length };
}

if (require.main === module) {
  try {
    const { files, uses } = build();
    console.log(`${relative(ROOT, OUT)}: ${files} files, ${uses} framework imports rewritten to cdktn`);
  } catch (error) {
    if (!(error instanceof EditionBuildError)) throw error;
    console.error(`cdktn edition build failed: ${error.message}`);
    process.exit(1);
  }
}

module.exports = { build, rewriteFile, missingInCdktn, declarationErrors, EditionBuildError, CDKTN_EDITION_DIR: OUT };
