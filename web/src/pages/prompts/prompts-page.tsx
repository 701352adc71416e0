/** Prompts (admins): the tenant's prompts with their labels, and the prompt experiments. */
import { useEffect, useState } from 'preact/hooks';
import { type Experiment, listExperiments, listPrompts, type PromptSummary } from '../../api/prompts.ts';
import { Alert } from '../../components/alert.tsx';
import { Link } from '../../components/button.tsx';
import { formatTime } from '../../components/format.ts';
import { useApp } from '../../context.ts';
import '../../styles/console.css';
import { ExperimentResultsView } from './experiment-results.tsx';
import { LabelChips } from './label-chips.tsx';

/** The page. */
export function PromptsPage() {
  const { client } = useApp();
  const [prompts, setPrompts] = useState<readonly PromptSummary[] | null>(null);
  const [experiments, setExperiments] = useState<readonly Experiment[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    Promise.all([listPrompts(client), listExperiments(client)]).then(
      ([loadedPrompts, loadedExperiments]) => {
        setPrompts(loadedPrompts);
        setExperiments(loadedExperiments);
      },
      (failure: Error) => setError(failure.message),
    );
  }, [client, revision]);

  return (
    <div class="prompts">
      <h1>Prompts</h1>
      {error && <Alert>{error}</Alert>}
      {prompts && (
        <div class="table-scroll">
          <table class="table prompt-list">
            <thead>
              <tr>
                <th scope="col">Prompt</th>
                <th scope="col">Labels</th>
                <th scope="col">Newest version</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {prompts.map((prompt) => (
                <tr key={prompt.name}>
                  <th scope="row">
                    <Link href={`/prompts/${encodeURIComponent(prompt.name)}`}>
                      <code>{prompt.name}</code>
                    </Link>
                  </th>
                  <td>
                    <LabelChips labels={prompt.labels} />
                  </td>
                  <td class="numeric">v{prompt.latestVersion}</td>
                  <td>{prompt.description ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Experiments</h2>
      {experiments && experiments.length === 0 && (
        <p class="muted">No experiment yet (`groundwork experiments create`, or `POST /v1/experiments`).</p>
      )}
      {experiments && experiments.length > 0 && (
        <ul class="experiment-list">
          {experiments.map((experiment) => (
            <li key={experiment.id} class="card">
              <button
                type="button"
                class="experiment-toggle"
                aria-expanded={open === experiment.id}
                onClick={() => setOpen(open === experiment.id ? null : experiment.id)}
              >
                <strong>{experiment.name}</strong> <code>{experiment.promptName}</code>{' '}
                <span class={`status ${experiment.status === 'running' ? '' : 'status-done'}`}>
                  {experiment.status}
                </span>{' '}
                <span class="muted">
                  {experiment.arms.map((arm) => `${arm.name}: v${arm.version} ×${arm.weight}`).join(' · ')} ·
                  started {formatTime(experiment.createdAt)}
                </span>
              </button>
              {open === experiment.id && (
                <ExperimentResultsView
                  id={experiment.id}
                  onStopped={() => setRevision((value) => value + 1)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
