// Chinese first, English on request: every visible string comes from /i18n/<lang>.json.
// Templates render zh-CN on the server with data-i18n keys; this module re-labels them in place and
// tells the page (langchange event) to re-render what it drew itself.

const STORE_KEY = 'bianmin.lang';
export const LANGS = ['zh-CN', 'en'];
let lang = 'zh-CN';
let catalog = {};

export function currentLang() { return lang; }

/** Translate `key`, filling {name} placeholders; a missing key shows itself so it gets noticed. */
export function t(key, vars = {}) {
  let text = Object.prototype.hasOwnProperty.call(catalog, key) ? catalog[key] : key;
  for (const [name, value] of Object.entries(vars)) text = text.split(`{${name}}`).join(String(value));
  return text;
}

async function load(next) {
  const response = await fetch(`/i18n/${next}.json`);
  if (!response.ok) throw new Error(`catalog ${next}: ${response.status}`);
  catalog = await response.json();
  lang = next;
  document.documentElement.lang = next;
}

/** Re-label every element carrying data-i18n(-placeholder|-title|-aria-label) under `root`. */
export function applyDom(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  for (const el of root.querySelectorAll('[data-lang-toggle]')) {
    for (const opt of el.querySelectorAll('[data-lang]')) opt.setAttribute('aria-pressed', String(opt.dataset.lang === lang));
  }
  if (document.body.dataset.titleKey) document.title = t(document.body.dataset.titleKey);
}

export async function setLang(next) {
  if (!LANGS.includes(next) || next === lang && Object.keys(catalog).length) return;
  await load(next);
  localStorage.setItem(STORE_KEY, next);
  applyDom();
  window.dispatchEvent(new CustomEvent('langchange', { detail: { lang: next } }));
}

export function onLangChange(fn) { window.addEventListener('langchange', fn); }

/** Load the remembered language (zh-CN by default) and wire the 中文/EN toggles. */
export async function initI18n() {
  const stored = localStorage.getItem(STORE_KEY);
  await load(LANGS.includes(stored) ? stored : 'zh-CN');
  for (const el of document.querySelectorAll('[data-lang-toggle] [data-lang]')) {
    el.addEventListener('click', () => setLang(el.dataset.lang));
  }
  applyDom();
}
