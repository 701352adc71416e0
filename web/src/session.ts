/**
 * The signed-in key and the message box draft, in sessionStorage: they survive a reload and a
 * return to sign-in, and leave with the tab (a key should not outlive the browser session).
 */
const KEY = 'groundwork.apiKey';
const DRAFT = 'groundwork.draft';

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage can be disabled; the UI then works for one page life.
    return null;
  }
}

/** The stored API key, or null. */
export function storedKey(): string | null {
  return storage()?.getItem(KEY) ?? null;
}

/** Stores (or, with null, forgets) the API key. */
export function storeKey(key: string | null): void {
  if (key) storage()?.setItem(KEY, key);
  else storage()?.removeItem(KEY);
}

/** The unsent question of the chat box. */
export function storedDraft(): string {
  return storage()?.getItem(DRAFT) ?? '';
}

/** Keeps the unsent question, so a refused key or a reload does not lose it. */
export function storeDraft(text: string): void {
  if (text) storage()?.setItem(DRAFT, text);
  else storage()?.removeItem(DRAFT);
}
