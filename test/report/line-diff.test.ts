import { lineDiff } from '../../src/report';

describe('line diff', () => {
  test('keeps common lines and shows a replaced line removed, then added', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc')).toEqual([
      { kind: ' ', text: 'a' },
      { kind: '-', text: 'b' },
      { kind: '+', text: 'x' },
      { kind: ' ', text: 'c' },
    ]);
  });

  test('a reordering shows as lines moved', () => {
    expect(lineDiff('a\nb', 'b\na').map((line) => `${line.kind}${line.text}`)).toEqual(['-a', ' b', '+a']);
  });
});
