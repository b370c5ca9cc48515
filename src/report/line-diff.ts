/** One line of a diff: kept, removed or added. */
export interface DiffLine {
  readonly kind: ' ' | '-' | '+';
  readonly text: string;
}

/** Above this many line pairs the texts are shown as removed and added whole. */
const MAX_CELLS = 4_000_000;

/** The lines of `after` against `before`, by longest common subsequence. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length * b.length > MAX_CELLS) return [...a.map((text) => ({ kind: '-' as const, text })), ...b.map((text) => ({ kind: '+' as const, text }))];
  const lengths: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ kind: ' ', text: a[i++] });
      j++;
    } else if (i < a.length && (j === b.length || lengths[i + 1][j] >= lengths[i][j + 1])) {
      lines.push({ kind: '-', text: a[i++] });
    } else {
      lines.push({ kind: '+', text: b[j++] });
    }
  }
  return lines;
}

/** Only the changed lines, with `context` unchanged lines around each run of changes. */
export function changedLines(lines: readonly DiffLine[], context = 1): DiffLine[] {
  const keep = lines.map((line) => line.kind !== ' ');
  return lines.filter((_, index) => {
    for (let k = Math.max(0, index - context); k <= Math.min(lines.length - 1, index + context); k++) if (keep[k]) return true;
    return false;
  });
}
