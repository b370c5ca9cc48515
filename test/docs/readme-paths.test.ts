import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/*
 * A user who installed the package has README.md, LICENSE, docs/API.md and lib/, nothing else of
 * the repository: the README names repository files only in its last section, Development.
 */

const README = readFileSync(join(resolve(__dirname, '../..'), 'README.md'), 'utf8');
const REPOSITORY_PATHS = /(?<![\w./-])(?:src|test|tools|examples|benchmarks|\.ci)\/|\bBENCHMARKS\.md\b|\bjest\.[\w.]*config\b|\btsconfig[\w.]*\.json\b|\bdomain\.md\b|\bseeds\b/g;

function sections(markdown: string): Array<{ title: string; firstLine: number; text: string }> {
  const lines = markdown.split('\n');
  const starts = lines.flatMap((line, i) => (/^## /.test(line) ? [i] : []));
  return [0, ...starts].map((start, k, all) => ({
    title: k === 0 ? '(top)' : lines[start].slice(3),
    firstLine: start + 1,
    text: lines.slice(start, all[k + 1] ?? lines.length).join('\n'),
  }));
}

describe('the README', () => {
  const all = sections(README);

  test('ends with its Development section', () => {
    expect(all[all.length - 1].title).toBe('Development');
  });

  test('names no repository-only file before Development', () => {
    const found = all.slice(0, -1).flatMap(({ title, firstLine, text }) =>
      text.split('\n').flatMap((line, i) => [...line.matchAll(REPOSITORY_PATHS)].map(([path]) => `README.md:${firstLine + i} (${title}): ${path}`)),
    );
    expect(found).toEqual([]);
  });

  test('the check finds a repository path where one is written', () => {
    expect('see src/policy/policy-renderer.ts and BENCHMARKS.md'.match(REPOSITORY_PATHS)).toEqual(['src/', 'BENCHMARKS.md']);
    expect('cdktf.out/stacks/<stack>/assets/ and docs/API.md'.match(REPOSITORY_PATHS)).toBeNull();
  });
});
