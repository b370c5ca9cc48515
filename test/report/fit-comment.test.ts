import { fitComment } from '../../src/report';

describe('a report fitted to one GitHub comment', () => {
  test('is unchanged when it fits', () => {
    const markdown = '# Title\n\nsome text\n';
    expect(fitComment(markdown)).toBe(markdown);
  });

  test('is cut at a line, closes the fence it was cut in, and says how much is left out', () => {
    const diff = Array.from({ length: 400 }, (_, i) => `+ line ${i} ${'x'.repeat(40)}`);
    const markdown = ['# Title', '', '## ⚠️ Weakened', '', '- first change', '', '```diff', ...diff, '```', ''].join('\n');
    const fitted = fitComment(markdown, 4000);
    expect(fitted.length).toBeLessThanOrEqual(4000);
    expect(fitted.startsWith('# Title\n\n## ⚠️ Weakened\n\n- first change\n')).toBe(true);
    expect((fitted.match(/^```/gm) ?? []).length).toBe(2);
    const leftOut = Number(/_(\d+) characters of this report are left out/.exec(fitted)?.[1]);
    expect(markdown.startsWith(fitted.slice(0, markdown.length - leftOut))).toBe(true);
    expect(fitted).toContain('(4000 characters)');
  });
});
