/**
 * One prompt: its versions (newest first) with the labels on them, a line diff between any two
 * versions, promoting a version to a label and rolling a label back to its previous version.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { getPrompt, type PromptDetail, promote, rollback } from '../../api/prompts.ts';
import { Alert } from '../../components/alert.tsx';
import { Button, Link } from '../../components/button.tsx';
import { formatTime } from '../../components/format.ts';
import { useApp } from '../../context.ts';
import '../../styles/console.css';
import { LabelChips } from './label-chips.tsx';
import { diffLines } from './line-diff.ts';

const LABELS = ['production', 'staging'];

/** The page. */
export function PromptPage({ name }: { name: string }) {
  const { client } = useApp();
  const [prompt, setPrompt] = useState<PromptDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [revision, setRevision] = useState(0);
  const [before, setBefore] = useState<number | null>(null);
  const [after, setAfter] = useState<number | null>(null);
  const [label, setLabel] = useState('production');

  useEffect(() => {
    getPrompt(client, name).then(
      (loaded) => {
        setPrompt(loaded);
        // By default compare what production runs with the newest version.
        const newest = loaded.latestVersion;
        setAfter((current) => current ?? newest);
        setBefore((current) => current ?? loaded.labels.production ?? Math.max(1, newest - 1));
      },
      (failure: Error) => setError(failure.message),
    );
  }, [client, name, revision]);

  const versions = prompt?.versions ?? [];
  const diff = useMemo(() => {
    const a = versions.find((version) => version.version === before);
    const b = versions.find((version) => version.version === after);
    return a && b ? diffLines(a.template, b.template) : null;
  }, [versions, before, after]);

  if (error) return <Alert>{error}</Alert>;
  if (!prompt) return <p class="muted">Loading the prompt…</p>;

  const act = async (
    work: () => Promise<{ label: string; version: number; previousVersion: number | null }>,
  ) => {
    setNotice(null);
    try {
      const moved = await work();
      setNotice({
        tone: 'success',
        text: `${moved.label} now points at v${moved.version}${moved.previousVersion ? ` (was v${moved.previousVersion})` : ''}.`,
      });
    } catch (failure) {
      setNotice({ tone: 'error', text: (failure as Error).message });
    }
    setRevision((value) => value + 1);
  };

  const labelsOn = (version: number) =>
    Object.fromEntries(Object.entries(prompt.labels).filter(([, pointed]) => pointed === version));

  return (
    <div class="prompt">
      <p>
        <Link href="/prompts">← Prompts</Link>
      </p>
      <h1>
        <code>{prompt.name}</code>
      </h1>
      {prompt.description && <p class="muted">{prompt.description}</p>}
      <p>
        <LabelChips labels={prompt.labels} />
      </p>
      {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
      <div class="prompt-actions card">
        <label>
          Label{' '}
          <select value={label} onInput={(event) => setLabel(event.currentTarget.value)}>
            {[...new Set([...LABELS, ...Object.keys(prompt.labels)])].map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <Button
          disabled={prompt.labels[label] === undefined}
          onClick={() => void act(() => rollback(client, prompt.name, label))}
        >
          Roll {label} back
        </Button>
      </div>
      <section aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        <div class="table-scroll">
          <table class="table prompt-versions">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Labels</th>
                <th scope="col">Note</th>
                <th scope="col">Created</th>
                <th scope="col">Compare</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.map((version) => (
                <tr key={version.version}>
                  <th scope="row">v{version.version}</th>
                  <td>
                    <LabelChips labels={labelsOn(version.version)} />
                  </td>
                  <td>{version.note ?? '—'}</td>
                  <td>
                    {formatTime(version.createdAt)} <span class="muted">by {version.createdBy}</span>
                  </td>
                  <td class="compare-picks">
                    <label>
                      <input
                        type="radio"
                        name="before"
                        checked={before === version.version}
                        onChange={() => setBefore(version.version)}
                      />{' '}
                      from
                    </label>
                    <label>
                      <input
                        type="radio"
                        name="after"
                        checked={after === version.version}
                        onChange={() => setAfter(version.version)}
                      />{' '}
                      to
                    </label>
                  </td>
                  <td>
                    <Button
                      disabled={prompt.labels[label] === version.version}
                      onClick={() => void act(() => promote(client, prompt.name, version.version, label))}
                      aria-label={`Promote v${version.version} to ${label}`}
                    >
                      Promote to {label}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="diff-title">
        <h2 id="diff-title">
          Changes from v{before} to v{after}
        </h2>
        {diff && (
          <pre class="prompt-diff">
            {diff.map((line, index) => (
              <span key={index} class={`diff-${line.kind}`}>
                {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
                {line.text}
                {'\n'}
              </span>
            ))}
          </pre>
        )}
      </section>
    </div>
  );
}
