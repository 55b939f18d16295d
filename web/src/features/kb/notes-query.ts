/** Longest question the search takes (KbSearchQuerySchema). */
const MAX_QUERY = 100;

/**
 * What to search for while the agent types the caller's words into the case notes: the sentence being written (the
 * last one, or the last two when it is still a word or two), at most the search's 100 characters, cut at a word.
 * Empty when the notes say nothing yet.
 */
export function notesQuery(notes: string): string {
  const sentences = notes
    .split(/[.!?。\n]+/u)
    .map((s) => s.replace(/\s+/gu, ' ').trim())
    .filter((s) => s !== '');
  if (sentences.length === 0) return '';
  let text = sentences[sentences.length - 1]!;
  if (text.length < 8 && sentences.length > 1) text = `${sentences[sentences.length - 2]!} ${text}`;
  if (text.length <= MAX_QUERY) return text;
  const tail = text.slice(-MAX_QUERY);
  const space = tail.indexOf(' ');
  return (space >= 0 && space < 20 ? tail.slice(space + 1) : tail).trimStart();
}
