/** Where a prompt's labels point: `production → v3`. */

/** The labels as small tags, production first. */
export function LabelChips({ labels }: { labels: Record<string, number> }) {
  const entries = Object.entries(labels).sort(([a], [b]) =>
    a === 'production' ? -1 : b === 'production' ? 1 : a.localeCompare(b),
  );
  if (entries.length === 0) return <span class="muted">none</span>;
  return (
    <span class="label-chips">
      {entries.map(([label, version]) => (
        <span key={label} class={`tag ${label === 'production' ? 'tag-production' : ''}`}>
          {label} → v{version}
        </span>
      ))}
    </span>
  );
}
