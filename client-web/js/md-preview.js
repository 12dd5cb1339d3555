// An approximate Markdown preview built only with createElement/textContent (never HTML), plus the help text.
import { el } from './util.js';

// Inline marks, tried in order; the first that matches at a position wins.
const INLINE = [
  [/^`([^`]+)`/, (m) => el('code', { text: m[1] })],
  [/^\*\*([^*]+)\*\*/, (m) => el('strong', {}, inline(m[1]))],
  [/^__([^_]+)__/, (m) => el('strong', {}, inline(m[1]))],
  [/^~~([^~]+)~~/, (m) => el('del', {}, inline(m[1]))],
  [/^\*([^*\s][^*]*)\*/, (m) => el('em', {}, inline(m[1]))],
  [/^_([^_\s][^_]*)_/, (m) => el('em', {}, inline(m[1]))],
  [/^\[([^\]]+)\]\(([^)\s]+)\)/, (m) => el('span', { class: 'preview-link', title: m[2], text: m[1] })],
  [/^@([a-z0-9_.-]{3,32})/i, (m) => el('span', { class: 'mention', text: `@${m[1]}` })],
];

/** Inline Markdown to DOM nodes; anything unrecognised stays plain text. */
function inline(text) {
  const nodes = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const prev = i > 0 ? text[i - 1] : ' ';
    let matched = null;
    for (const [pattern, build] of INLINE) {
      if (pattern.source.startsWith('^@') && /[a-z0-9_.-]/i.test(prev)) continue;
      const m = pattern.exec(rest);
      if (m) { matched = [m, build]; break; }
    }
    if (matched) {
      if (plain) nodes.push(document.createTextNode(plain));
      plain = '';
      nodes.push(matched[1](matched[0]));
      i += matched[0][0].length;
    } else {
      plain += text[i];
      i += 1;
    }
  }
  if (plain) nodes.push(document.createTextNode(plain));
  return nodes;
}

/** Block structure: code fences, headings, quotes, lists and paragraphs. */
export function renderPreview(source) {
  const root = el('div', { class: 'post-body preview-body' });
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let list = null;
  let para = null;
  const endBlocks = () => { list = null; para = null; };
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    if (/^```/.test(line)) {
      endBlocks();
      const code = [];
      for (i += 1; i < lines.length && !/^```/.test(lines[i]); i += 1) code.push(lines[i]);
      root.append(el('pre', {}, el('code', { text: code.join('\n') })));
      continue;
    }
    if (!line.trim()) { endBlocks(); continue; }
    let m;
    if ((m = /^(#{1,6})\s+(.*)$/.exec(line))) {
      endBlocks();
      root.append(el(`h${Math.min(m[1].length + 2, 6)}`, {}, inline(m[2])));
    } else if ((m = /^>\s?(.*)$/.exec(line))) {
      endBlocks();
      root.append(el('blockquote', {}, inline(m[1])));
    } else if ((m = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line))) {
      const tag = /\d/.test(m[1]) ? 'ol' : 'ul';
      if (!list || list.tagName.toLowerCase() !== tag) {
        list = el(tag);
        root.append(list);
      }
      para = null;
      list.append(el('li', {}, inline(m[2])));
    } else if (para) {
      para.append(el('br'), ...inline(line));
    } else {
      list = null;
      para = el('p', {}, inline(line));
      root.append(para);
    }
  }
  return root;
}

/** The Markdown cheat sheet shown under the composer. */
export function markdownHelp() {
  const rows = [
    ['**bold**', 'bold'], ['*italic*', 'italic'], ['~~strike~~', 'strikethrough'],
    ['`code`', 'code'], ['[text](https://…)', 'a link'], ['- item', 'a bulleted list'],
    ['1. item', 'a numbered list'], ['> quote', 'a quotation'], ['```', 'a code block (on its own line, before and after)'],
    ['@handle', 'mention a colleague'], ['| a | b |', 'a table (header row, then |---|---|)'],
  ];
  return el('div', { class: 'markdown-help' },
    el('table', {},
      el('caption', { class: 'visually-hidden', text: 'Markdown you can use' }),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Type' }), el('th', { scope: 'col', text: 'To get' }))),
      el('tbody', {}, rows.map(([type, result]) => el('tr', {}, el('td', {}, el('code', { text: type })), el('td', { text: result }))))));
}
