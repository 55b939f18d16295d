/**
 * Knowledge-base articles are plain text: "■ 제목" section headings, "- " bullets, blank lines between blocks.
 * This turns such a body into blocks the reader renders as headings, lists and paragraphs (never as HTML).
 */
export type ArticleBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'paragraph'; text: string };

const HEADING = /^\s*[■□▣◆◇●]\s*/;
const BULLET = /^\s*(?:[-•·※]|\d+[.)])\s+/;

export function parseArticleBody(body: string): ArticleBlock[] {
  const blocks: ArticleBlock[] = [];
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  for (const raw of lines) {
    const line = raw.trimEnd();
    const last = blocks[blocks.length - 1];
    if (line.trim() === '') {
      // A blank line ends the current paragraph; lists and headings end by themselves.
      if (last?.kind === 'paragraph') blocks.push({ kind: 'paragraph', text: '' });
      continue;
    }
    if (HEADING.test(line)) {
      blocks.push({ kind: 'heading', text: line.replace(HEADING, '') });
    } else if (BULLET.test(line)) {
      const item = line.trim().startsWith('※') || /^\s*\d/.test(line) ? line.trim() : line.replace(BULLET, '');
      if (last?.kind === 'list') last.items.push(item);
      else blocks.push({ kind: 'list', items: [item] });
    } else if (last?.kind === 'paragraph' && last.text !== '') {
      last.text += '\n' + line.trim();
    } else if (last?.kind === 'paragraph') {
      last.text = line.trim();
    } else {
      blocks.push({ kind: 'paragraph', text: line.trim() });
    }
  }
  return blocks.filter((b) => b.kind !== 'paragraph' || b.text !== '');
}
