// Functions that run INSIDE the page under test, the same in every engine (each is sent as source
// through Driver.run, so each must be self-contained: no imports, no outer variables). They find
// what a person finds — a button by its name, a field by its label — rather than page layout.

/** An accessible name to look for: exact text (whitespace collapsed), or a pattern. */
export type Name = string | { source: string; flags: string };

/**
 * Marks the first visible element with this role and accessible name (inside `within`, if given)
 * and returns a CSS selector for it, or null when there is none.
 */
export function markByRole(arg: {
  role: 'button' | 'link';
  name: Name;
  within?: string;
}): string | null {
  const candidates = {
    button: 'button, input[type="submit"], input[type="button"], [role="button"]',
    link: 'a[href], [role="link"]',
  }[arg.role];
  const wanted = arg.name;
  const matches = (text: string) =>
    typeof wanted === 'string'
      ? text === wanted
      : new RegExp(wanted.source, wanted.flags).test(text);
  const root = arg.within ? document.querySelector(arg.within) : document;
  for (const element of root?.querySelectorAll<HTMLElement>(candidates) ?? []) {
    const text =
      element.getAttribute('aria-label') ??
      (element instanceof HTMLInputElement ? element.value : (element.textContent ?? ''));
    const visible =
      element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden';
    if (visible && matches(text.replace(/\s+/g, ' ').trim())) {
      const mark = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
      element.setAttribute('data-e2e-target', mark);
      return `[data-e2e-target="${mark}"]`;
    }
  }
  return null;
}

/** Marks the form control a `<label>` (or an aria-label) names; returns its selector, or null. */
export function markByLabel(arg: { label: string }): string | null {
  const normalize = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
  let control: Element | null = null;
  for (const label of document.querySelectorAll('label')) {
    const own = [...label.childNodes]
      .filter((node) => !(node instanceof Element && node.matches('input, select, textarea')))
      .map((node) => node.textContent)
      .join(' ');
    if (normalize(own) === arg.label && label.control) control = label.control;
    if (control) break;
  }
  control ??=
    [...document.querySelectorAll('[aria-label]')].find(
      (element) => normalize(element.getAttribute('aria-label')) === arg.label,
    ) ?? null;
  if (!control) return null;
  const mark = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  control.setAttribute('data-e2e-target', mark);
  return `[data-e2e-target="${mark}"]`;
}

/**
 * Sets a field as a person would leave it: text typed into an input or textarea, an option
 * chosen in a select, a radio or checkbox checked (value `true`). Returns an error, or null.
 */
export function setField(arg: { selector: string; value: string | true }): string | null {
  const field = document.querySelector(arg.selector);
  if (!(
    field instanceof HTMLInputElement ||
    field instanceof HTMLSelectElement ||
    field instanceof HTMLTextAreaElement
  )) {
    return `No form field matches ${arg.selector}.`;
  }
  if (arg.value === true) {
    if (!(field instanceof HTMLInputElement)) return `${arg.selector} cannot be checked.`;
    field.checked = true;
  } else {
    field.value = arg.value;
    if (field.value !== arg.value) return `${arg.selector} has no option ${arg.value}.`;
  }
  field.dispatchEvent(new Event('input', { bubbles: true }));
  field.dispatchEvent(new Event('change', { bubbles: true }));
  return null;
}

/** The rendered text of each visible element matching a selector, whitespace collapsed. */
export function visibleTexts(arg: { selector: string }): string[] {
  return [...document.querySelectorAll<HTMLElement>(arg.selector)]
    .filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
    .map((e) => e.innerText.replace(/\s+/g, ' ').trim());
}

/** The text content of each element matching a selector, whitespace collapsed (as written in
 * the page, before CSS such as text-transform). */
export function textContents(arg: { selector: string }): string[] {
  return [...document.querySelectorAll(arg.selector)].map((e) =>
    (e.textContent ?? '').replace(/\s+/g, ' ').trim(),
  );
}

/** The value of each field matching a selector (a select's chosen option, an input's text). */
export function fieldValues(arg: { selector: string }): string[] {
  return [...document.querySelectorAll<HTMLInputElement>(arg.selector)].map((e) => e.value);
}

/** Where the top window is, and whether its document has finished loading. */
export function pageState(): { url: string; complete: boolean; bodyVisibility: string } {
  return {
    url: location.href,
    complete: document.readyState === 'complete',
    bodyVisibility: document.body ? getComputedStyle(document.body).visibility : 'none',
  };
}

/** Whether every amp-list with a src has rendered its answer (a [role=list]) or shows its fallback. */
export function ampListsSettled(): boolean {
  return Array.from(document.querySelectorAll('amp-list[src]')).every((list) => {
    if (list.querySelector(':scope > [role=list]')) return true;
    const fallback = list.querySelector<HTMLElement>(':scope > [fallback]');
    return fallback !== null && fallback.getClientRects().length > 0;
  });
}

/** From now on, records each Content-Security-Policy violation the page sees. */
export function listenForCspViolations(): void {
  const seen: string[] = [];
  Object.assign(window, { cspViolations: seen });
  document.addEventListener('securitypolicyviolation', (event) => {
    seen.push(`${event.effectiveDirective} ${event.blockedURI}`);
  });
}

/** The violations recorded since `listenForCspViolations`: "directive blocked-URI" each. */
export function cspViolationsSeen(): string[] {
  return (window as unknown as { cspViolations: string[] }).cspViolations;
}
