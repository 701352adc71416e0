/** Small display helpers. */

/** `1234567` → `1.2 MB`. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A database timestamp as local date and time. */
export function formatTime(text: string | null): string {
  if (!text) return '—';
  // Postgres writes `2026-11-27 00:15:36.5+00`; Date wants `T` and a `+00:00` offset.
  const date = new Date(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  return Number.isNaN(date.getTime()) ? text : date.toLocaleString();
}
