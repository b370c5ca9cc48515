/*
 * GitHub refuses a pull-request comment longer than 65,536 characters: a CI step that posts the
 * report would fail, or post nothing, exactly when a change is large. The report puts weakened
 * changes first, so it is cut from the end, at a line, with its fences closed and the cut said.
 */

/** The longest body GitHub accepts for an issue or pull-request comment. */
export const GITHUB_COMMENT_LIMIT = 65536;

/** `markdown` as is when it fits in `limit` characters, else its first lines and a closing note. */
export function fitComment(markdown: string, limit = GITHUB_COMMENT_LIMIT): string {
  if (markdown.length <= limit) return markdown;
  const lines = markdown.split('\n');
  // Room for the closing fence and the note, whose number has at most as many digits as the length.
  const reserve = 200 + String(markdown.length).length;
  const kept: string[] = [];
  let length = 0;
  let fence: string | undefined;
  for (const line of lines) {
    if (length + line.length + 1 + (fence ? fence.length + 1 : 0) > limit - reserve) break;
    kept.push(line);
    length += line.length + 1;
    if (fence === undefined) fence = /^(`{3,})[^`]*$/.exec(line)?.[1];
    else if (line === fence) fence = undefined;
  }
  const prefix = kept.join('\n').trimEnd();
  const leftOut = markdown.length - prefix.length;
  const body = fence !== undefined ? `${prefix}\n${fence}` : prefix;
  return `${body}\n\n---\n\n_${leftOut} characters of this report are left out to fit one GitHub comment (${limit} characters); weakened changes come first, so none of them is among those left out unless they alone exceed it._\n`;
}
