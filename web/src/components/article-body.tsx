import { useMemo } from 'react';
import { parseArticleBody } from '../lib/article-body';

/** A knowledge-base article body: bold "■" headings, bullet lists, paragraphs with their line breaks kept. */
export function ArticleBody({ body }: { body: string }) {
  const blocks = useMemo(() => parseArticleBody(body), [body]);
  return (
    <div className="article-body">
      {blocks.map((b, i) =>
        b.kind === 'heading' ? (
          <h4 key={i} className="article-body__heading">
            {b.text}
          </h4>
        ) : b.kind === 'list' ? (
          <ul key={i} className="article-body__list">
            {b.items.map((item, j) => (
              <li key={j}>{item}</li>
            ))}
          </ul>
        ) : (
          <p key={i} className="article-body__para">
            {b.text}
          </p>
        ),
      )}
    </div>
  );
}
