// @ts-check
/** Fenced code blocks of a Markdown text, with where they start. */

/**
 * @typedef {object} CodeBlock
 * @property {string} language first word of the info string (`ts`, `sh`, ...), '' when none
 * @property {string[]} flags the other words (`fragment`)
 * @property {number} line 1-based line of the first code line (just after the opening fence)
 * @property {number} start offset of the first code line in the text
 * @property {number} end offset just after the last code line's line break
 * @property {string} code
 */

/**
 * @param {string} markdown
 * @returns {CodeBlock[]}
 */
function markdownCodeBlocks(markdown) {
  /** @type {CodeBlock[]} */
  const blocks = [];
  const lines = markdown.split('\n');
  /** @type {{ fence: string, info: string[], line: number, start: number } | undefined} */
  let open;
  let offset = 0;
  lines.forEach((text, index) => {
    const lineStart = offset;
    offset += text.length + 1;
    if (open === undefined) {
      const opening = /^ {0,3}(`{3,}|~{3,})\s*(.*)$/.exec(text);
      if (opening) open = { fence: opening[1], info: opening[2].trim().split(/\s+/).filter(Boolean), line: index + 2, start: offset };
      return;
    }
    const closing = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(text);
    if (closing && closing[1][0] === open.fence[0] && closing[1].length >= open.fence.length) {
      const [language = '', ...flags] = open.info;
      blocks.push({ language, flags, line: open.line, start: open.start, end: lineStart, code: markdown.slice(open.start, lineStart) });
      open = undefined;
    }
  });
  return blocks;
}

module.exports = { markdownCodeBlocks };
