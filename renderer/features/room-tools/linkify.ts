// Chat text is text: links are found in it and shown as <a>, everything else
// stays a text node (never HTML).

export type TextPart =
  { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than the link it follows. */
const TRAILING = new Set(['.', ',', ';', ':', '!', '?', "'", '"', ')', ']', '}']);

const count = (text: string, char: string) => text.split(char).length - 1;

/** The link at the start of `candidate`, without the punctuation after it (a closing bracket stays if it closes one in the link). */
function trimLink(candidate: string): string {
  let link = candidate;
  while (link.length > 0 && TRAILING.has(link.at(-1)!)) {
    const last = link.at(-1)!;
    const open = { ')': '(', ']': '[', '}': '{' }[last as ')' | ']' | '}'];
    if (open && count(link, open) >= count(link, last)) break;
    link = link.slice(0, -1);
  }
  return link;
}

/** `text` split into plain text and http(s) links, in order; joined again they give `text` back. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let from = 0;
  const push = (part: TextPart) => {
    const last = parts.at(-1);
    if (part.kind === 'text' && last?.kind === 'text') last.text += part.text;
    else if (part.text) parts.push(part);
  };
  for (const match of text.matchAll(URL_PATTERN)) {
    const link = trimLink(match[0]);
    let href: string | null = null;
    try {
      const url = new URL(link);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname) href = url.href;
    } catch {
      // Not a URL after all (e.g. "http://"): it stays text.
    }
    if (!href) continue;
    push({ kind: 'text', text: text.slice(from, match.index) });
    push({ kind: 'link', text: link, href });
    from = match.index + link.length;
  }
  push({ kind: 'text', text: text.slice(from) });
  return parts;
}
