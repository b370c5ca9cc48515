import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';
import { markdownCodeBlocks } from '../../tools/docs/markdown-code-blocks';
import { CDKTN_PACKAGES } from '../../tools/editions/cdktn-modules';
import { cdktnCode } from '../../tools/editions/cdktn-readme';

/*
 * Every ```ts block of the README is a complete file a user can paste: it is type-checked on its
 * own, imports included, with `cdktf-apim-mtls` resolving to src/index.ts. Blocks marked
 * ```ts fragment are skipped. The same blocks as the cdktn edition's README writes them (imports
 * rewritten) are checked against CDK Terrain; errors name the line of README.md either way.
 */

const ROOT = resolve(__dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).name as string;
const TYPESCRIPT = new Set(['ts', 'typescript']);

interface Snippet {
  readonly readmeLine: number;
  readonly file: string;
  readonly code: string;
}

function snippetsOf(markdown: string): Snippet[] {
  return markdownCodeBlocks(markdown)
    .filter((block) => TYPESCRIPT.has(block.language) && !block.flags.includes('fragment'))
    .map((block) => ({ readmeLine: block.line, file: join(ROOT, '.readme-snippets', `line-${block.line}.ts`), code: block.code }));
}

/** Type errors of each snippet, as `README.md:<line>: <message>`. */
function typeErrors(snippets: readonly Snippet[], paths: Record<string, string[]>): string[] {
  const base = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(base.config, ts.sys, ROOT);
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    noEmit: true,
    // Examples may name a value they do not use further.
    noUnusedLocals: false,
    noUnusedParameters: false,
    moduleDetection: ts.ModuleDetectionKind.Force,
    baseUrl: ROOT,
    paths,
  };
  const byFile = new Map(snippets.map((s) => [s.file, s]));
  const host = ts.createCompilerHost(compilerOptions);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const snippet = byFile.get(resolve(fileName));
    return snippet ? ts.createSourceFile(fileName, snippet.code, languageVersion, true) : getSourceFile(fileName, languageVersion, ...rest);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => byFile.has(resolve(fileName)) || fileExists(fileName);

  const program = ts.createProgram([...byFile.keys()], compilerOptions, host);
  return snippets.flatMap((snippet) => {
    const source = program.getSourceFile(snippet.file)!;
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
      const { line } = source.getLineAndCharacterOfPosition(d.start ?? 0);
      return `README.md:${snippet.readmeLine + line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
  });
}

describe('README TypeScript blocks', () => {
  const snippets = snippetsOf(README);

  test('are complete files, and fragments are rare', () => {
    const blocks = markdownCodeBlocks(README).filter((block) => TYPESCRIPT.has(block.language));
    expect(snippets.length).toBeGreaterThan(0);
    expect(blocks.length - snippets.length).toBeLessThanOrEqual(2);
    for (const snippet of snippets) {
      expect({ line: snippet.readmeLine, importsTheLibrary: snippet.code.includes(`from '${PACKAGE}'`) }).toEqual({ line: snippet.readmeLine, importsTheLibrary: true });
    }
  });

  test('type-check on their own against the library sources (cdktf)', () => {
    expect(typeErrors(snippets, { [PACKAGE]: ['src/index.ts'] })).toEqual([]);
  }, 60000);

  test('type-check as the cdktn edition README writes them, against the library sources on CDK Terrain', () => {
    const cdktnSnippets = snippets.map((s) => ({ ...s, code: cdktnCode(s.code, 'ts', PACKAGE) }));
    const onCdktn = Object.fromEntries(
      Object.entries(CDKTN_PACKAGES).flatMap(([cdktf, cdktn]) => [
        [cdktf, [`node_modules/${cdktn}`]],
        [`${cdktf}/*`, [`node_modules/${cdktn}/*`]],
      ]),
    );
    expect(typeErrors(cdktnSnippets, { 'cdktn-apim-mtls': ['src/index.ts'], ...onCdktn })).toEqual([]);
  }, 60000);
});
