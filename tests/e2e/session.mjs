// A signed-in person over plain HTTP (no browser): a cookie jar, sign-in
// through the sign-in form (with whatever hidden fields it carries), the
// session's CSRF token read from a page's forms, and requests that never
// follow redirects, so a test sees exactly what the server answered.

// Hidden inputs of the first form on a page (or of the form whose action
// matches `action`).
export function hiddenFields(html, action) {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
  const form = forms.find((f) => !action || new RegExp(`action="${action}"`).test(f[1])) ?? forms[0];
  const out = {};
  if (!form) return out;
  for (const m of form[2].matchAll(/<input\b[^>]*>/gi)) {
    const tag = m[0];
    if (!/type="hidden"/i.test(tag)) continue;
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    const value = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
    if (name) out[name] = unescapeHtml(value);
  }
  return out;
}

// The CSRF token a page's forms carry (any hidden field named like csrf).
export function csrfFrom(html) {
  const m = /<input\b[^>]*name="([^"]*csrf[^"]*)"[^>]*>/i.exec(html);
  if (!m) return null;
  const value = /value="([^"]*)"/.exec(m[0])?.[1];
  return value ? { name: m[1], value: unescapeHtml(value) } : null;
}

function unescapeHtml(s) {
  return s.replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export class Session {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
    this.csrf = null; // { name, value }
    this.bearer = null;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  // One request; no redirects followed. body: an object is sent as a form
  // (or as JSON with json: true), a string as it is.
  async request(method, path, { body, json = false, headers = {} } = {}) {
    const h = { ...headers };
    if (this.cookies.size && !('cookie' in h)) h.cookie = this.cookieHeader();
    if (this.bearer && !('authorization' in h)) h.authorization = `Bearer ${this.bearer}`;
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string') payload = body;
      else if (json) { payload = JSON.stringify(body); h['content-type'] ??= 'application/json'; }
      else { payload = new URLSearchParams(body).toString(); h['content-type'] ??= 'application/x-www-form-urlencoded'; }
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    for (const c of res.headers.getSetCookie?.() ?? []) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) ||
        (/^\s*expires=/i.test(a) && Date.parse(a.split('=').slice(1).join('=')) < Date.now()));
      if (expired || value === '') this.cookies.delete(name); else this.cookies.set(name, value);
    }
    const text = await res.text();
    let data = null;
    try { data = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, location: res.headers.get('location'), text, json: data };
  }

  get(path, opts) { return this.request('GET', path, opts); }
  post(path, body, opts = {}) { return this.request('POST', path, { ...opts, body }); }

  // A form post carrying this session's CSRF token.
  postForm(path, fields = {}) {
    const f = { ...fields };
    if (this.csrf) f[this.csrf.name] = this.csrf.value;
    return this.post(path, f);
  }

  // Signs in through the form; resolves with the answer to the post. On
  // success (a 303 away from /sign-in) reads the CSRF token from `csrfPage`.
  async signIn(username, password, { csrfPages = ['/', '/caseload', '/people', '/audit'] } = {}) {
    const form = await this.get('/sign-in');
    if (form.status !== 200) throw new Error(`GET /sign-in answered ${form.status}`);
    const fields = { ...hiddenFields(form.text, '/sign-in'), username, password };
    const res = await this.post('/sign-in', fields);
    res.signedIn = res.status === 303 && (res.headers.getSetCookie?.() ?? []).some((c) => /^[^=]+=[^;]+/.test(c) && !/max-age=0/i.test(c));
    if (res.signedIn) {
      for (const p of [res.location, ...csrfPages]) {
        if (!p) continue;
        const page = await this.get(p.replace(/^https?:\/\/[^/]+/, ''));
        const c = csrfFrom(page.text);
        if (c) { this.csrf = c; break; }
      }
    }
    return res;
  }

  async signOut() {
    return this.postForm('/sign-out');
  }
}

// A session for `username`, signed in; throws unless sign-in succeeded.
export async function signedIn(base, username, password) {
  const s = new Session(base);
  const res = await s.signIn(username, password);
  if (!res.signedIn) {
    throw new Error(`sign-in as ${username} answered ${res.status} ${res.location ?? ''}: ${res.text.slice(0, 300)}`);
  }
  s.username = username;
  return s;
}
