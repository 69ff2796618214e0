// Minimal RFC 822 / MIME body extraction for the SpamAssassin corpus: headers, multipart, quoted-printable,
// base64 and HTML to plain text. Good enough for a text classifier; not a general mail parser.

/** A parsed e-mail: the Subject header and the plain-text body. */
export interface EmailText {
  subject: string;
  body: string;
}

interface Part {
  headers: Map<string, string>;
  body: string;
}

function parsePart(raw: string): Part {
  const text = raw.replace(/\r\n/g, '\n');
  const sep = text.indexOf('\n\n');
  const head = sep === -1 ? text : text.slice(0, sep);
  const body = sep === -1 ? '' : text.slice(sep + 2);
  const headers = new Map<string, string>();
  let last = '';
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line) && last) {
      headers.set(last, `${headers.get(last) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(last)) headers.set(last, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function param(header: string, name: string): string | undefined {
  const m = new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(header);
  return m ? (m[1] ?? m[2]) : undefined;
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const src = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 61 /* = */ && /^[0-9A-Fa-f]{2}$/.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 256) {
      bytes.push(c);
    } else {
      bytes.push(...Buffer.from(src[i], 'utf8'));
    }
  }
  return bytesToText(Uint8Array.from(bytes));
}

function bytesToText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", copy: '\u00a9', reg: '\u00ae' };

/** Strips HTML to text: drops script/style/comments, turns block tags into line breaks, decodes entities. */
export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<(br|p|div|tr|li|h[1-6]|table)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : ' ';
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

function partText(part: Part, depth: number): string {
  const type = (part.headers.get('content-type') ?? 'text/plain').toLowerCase();
  const encoding = (part.headers.get('content-transfer-encoding') ?? '').trim().toLowerCase();
  if (type.startsWith('multipart/') && depth < 5) {
    const boundary = param(part.headers.get('content-type') ?? '', 'boundary');
    if (boundary) {
      const pieces = part.body.split(`--${boundary}`).slice(1).filter((p) => !p.startsWith('--'));
      const parts = pieces.map((p) => parsePart(p.replace(/^\r?\n/, '')));
      const plain = parts.find((p) => (p.headers.get('content-type') ?? 'text/plain').toLowerCase().startsWith('text/plain'));
      const chosen = plain ?? parts.find((p) => (p.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html'))
        ?? parts.find((p) => (p.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/'));
      return chosen ? partText(chosen, depth + 1) : '';
    }
  }
  if (!type.startsWith('text/') && !type.startsWith('multipart/')) return '';
  let body = part.body;
  if (encoding === 'quoted-printable') body = decodeQuotedPrintable(body);
  else if (encoding === 'base64') body = bytesToText(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  if (type.startsWith('text/html') || /<html|<body|<table|<p>|<br>/i.test(body)) body = htmlToText(body);
  return body;
}

/**
 * Extracts the subject and a cleaned plain-text body from a raw e-mail: prefers the text/plain MIME part, decodes
 * quoted-printable/base64, strips HTML, drops quoted reply lines (`> ...`) and collapses runs of blank lines.
 */
export function parseEmail(raw: string): EmailText {
  const top = parsePart(raw);
  const subject = (top.headers.get('subject') ?? '').replace(/\s+/g, ' ').trim();
  const body = partText(top, 0)
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((l) => !l.startsWith('>'))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { subject, body };
}
