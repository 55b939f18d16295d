import type { Highlight } from '../../../core/contracts/kb';

/** Search highlights as text and <mark> elements: the server's segments are never treated as HTML. */
export function Highlighted({ segments }: { segments: Highlight }) {
  return (
    <>
      {segments.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </>
  );
}
