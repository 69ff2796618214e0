// A few DOM helpers (the playground uses no UI framework).

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

/** Creates an element: `h('button', { class: 'x', onclick: f }, 'Label')`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
  return el;
}

/** Replaces an element's children. */
export function setChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false)
    .map((c) => (typeof c === 'number' ? String(c) : c)));
}

/** `11,813,810`. */
export function int(n: number): string {
  return n.toLocaleString('en-US');
}

/** `11.81M`. */
export function millions(n: number): string {
  return `${(n / 1e6).toFixed(2)}M`;
}

/** A `<select>` of `options` with `value` selected. */
export function select<T extends string | number>(
  options: readonly T[], value: T, label: (v: T) => string = String, attrs: Attrs = {},
): HTMLSelectElement {
  return h('select', attrs, ...options.map((o) => h('option', { value: String(o), selected: o === value }, label(o))));
}
