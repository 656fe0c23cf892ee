// Just enough PDF reading to test what sendhub exports: the header, whether
// the PDF is tagged (a structure tree, for screen readers), and its text.
// Chromium (Skia) writes text as hex glyph ids in Tj/TJ operators and maps
// glyphs to Unicode in each font's ToUnicode CMap, in Flate streams. The
// text is decoded with every font's CMap in turn (a stream's fonts are not
// tracked), so a word is found when some font decodes it: enough to prove
// that a name is there as text, not only as pixels.
import { inflateSync } from 'node:zlib';

function streams(pdf) {
  const out = [];
  const bin = pdf.toString('latin1');
  const re = /(?<!end)stream\r?\n/g;
  let m;
  while ((m = re.exec(bin))) {
    const start = m.index + m[0].length;
    const end = bin.indexOf('endstream', start);
    if (end < 0) break;
    const dict = bin.slice(Math.max(0, m.index - 400), m.index);
    const raw = pdf.subarray(start, end);
    if (/\/FlateDecode/.test(dict.slice(dict.lastIndexOf('<<')))) {
      try { out.push(inflateSync(raw).toString('latin1')); } catch { /* not ours to read */ }
    } else {
      out.push(raw.toString('latin1'));
    }
    re.lastIndex = end;
  }
  return out;
}

function hexToCodes(hex, width) {
  const codes = [];
  for (let i = 0; i + width <= hex.length; i += width) codes.push(parseInt(hex.slice(i, i + width), 16));
  return codes;
}

function utf16(hex) {
  const units = hexToCodes(hex, 4);
  return String.fromCharCode(...units);
}

// A ToUnicode CMap as a Map from glyph code to text.
function cmap(text) {
  const map = new Map();
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, src, dst] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      map.set(parseInt(src, 16), utf16(dst));
    }
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, dst] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const base = parseInt(dst, 16);
      for (let c = parseInt(lo, 16), k = 0; c <= parseInt(hi, 16); c++, k++) {
        map.set(c, String.fromCharCode(base + k));
      }
    }
  }
  return map;
}

export function pdfInfo(pdf) {
  const all = streams(pdf);
  const maps = all.filter((s) => s.includes('begincmap')).map(cmap);
  const content = all.filter((s) => /\bT[Jj]\b/.test(s));
  const texts = maps.map((map) => content.map((s) => {
    let out = '';
    for (const m of s.matchAll(/<([0-9A-Fa-f]*)>|\bT\*|\bTd\b|\bTD\b|\bET\b/g)) {
      if (m[1] === undefined) { out += ' '; continue; }
      for (const code of hexToCodes(m[1], 4)) out += map.get(code) ?? '';
    }
    return out;
  }).join('\n'));
  return {
    header: pdf.subarray(0, 5).toString('latin1'),
    tagged: /\/StructTreeRoot/.test(pdf.toString('latin1')),
    texts,
    contains: (word) => texts.some((t) => t.includes(word)),
  };
}
