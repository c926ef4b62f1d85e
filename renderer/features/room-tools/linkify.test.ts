import { expect, test } from 'vitest';
import { firstWords } from './chat-format';
import { linkify } from './linkify';

test('text without links is one text part; empty text is no part', () => {
  expect(linkify('hello <b>all</b>')).toEqual([{ kind: 'text', text: 'hello <b>all</b>' }]);
  expect(linkify('')).toEqual([]);
});

test('http and https links are split out, in order, and the parts join back into the text', () => {
  const text = 'see https://example.lan/a?b=1#c and http://10.0.0.2:8443/x then';
  const parts = linkify(text);
  expect(parts).toEqual([
    { kind: 'text', text: 'see ' },
    { kind: 'link', text: 'https://example.lan/a?b=1#c', href: 'https://example.lan/a?b=1#c' },
    { kind: 'text', text: ' and ' },
    { kind: 'link', text: 'http://10.0.0.2:8443/x', href: 'http://10.0.0.2:8443/x' },
    { kind: 'text', text: ' then' },
  ]);
  expect(parts.map((part) => part.text).join('')).toBe(text);
});

test('punctuation after a link stays text; brackets that belong to the link stay in it', () => {
  expect(linkify('Look: https://example.lan/page.')).toEqual([
    { kind: 'text', text: 'Look: ' },
    { kind: 'link', text: 'https://example.lan/page', href: 'https://example.lan/page' },
    { kind: 'text', text: '.' },
  ]);
  expect(linkify('(https://example.lan/x)')[1]).toMatchObject({ text: 'https://example.lan/x' });
  expect(linkify('https://en.wikipedia.org/wiki/Ada_(name), yes')[0]).toMatchObject({
    text: 'https://en.wikipedia.org/wiki/Ada_(name)',
  });
});

test('only http(s) becomes a link: other schemes and markup stay text', () => {
  for (const text of [
    'javascript:alert(1)',
    'data:text/html,<script>x</script>',
    'ftp://example.lan',
    'http://',
    'file:///etc/passwd',
  ])
    expect(linkify(text).every((part) => part.kind === 'text')).toBe(true);
  // A tag right after a link ends it: the tag is text.
  expect(linkify('https://example.lan<b>bold</b>')).toEqual([
    { kind: 'link', text: 'https://example.lan', href: 'https://example.lan/' },
    { kind: 'text', text: '<b>bold</b>' },
  ]);
});

test('a notification line keeps the first words of a message', () => {
  expect(firstWords('  hello\n  everyone ')).toBe('hello everyone');
  expect(firstWords('one two three four five six seven', 20)).toBe('one two three four…');
  expect(firstWords('x'.repeat(30), 10)).toBe(`${'x'.repeat(10)}…`);
});
