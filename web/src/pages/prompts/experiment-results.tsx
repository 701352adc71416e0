/** One experiment's per-arm outcomes and tests against the control arm; a running one can be stopped. */
import { useEffect, useState } from 'preact/hooks';
import { type ExperimentResults, experimentResults, stopExperiment } from '../../api/prompts.ts';
import { Alert } from '../../components/alert.tsx';
import { Button } from '../../components/button.tsx';
import { useApp } from '../../context.ts';

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);
const pValue = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : value.toFixed(3);

/** The results panel. */
export function ExperimentResultsView({ id, onStopped }: { id: string; onStopped: () => void }) {
  const { client } = useApp();
  const [results, setResults] = useState<ExperimentResults | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    experimentResults(client, id).then(setResults, (failure: Error) => setError(failure.message));
  }, [client, id, revision]);

  if (error) return <Alert>{error}</Alert>;
  if (!results) return <p class="muted">Loading results…</p>;
  const comparison = (arm: string) => results.comparisons.find((entry) => entry.arm === arm);
  return (
    <div class="experiment-results">
      <div class="table-scroll">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Arm</th>
              <th scope="col">Answers</th>
              <th scope="col">Users</th>
              <th scope="col">Positive</th>
              <th scope="col">p (positive)</th>
              <th scope="col">Rated</th>
              <th scope="col">Grounded</th>
              <th scope="col">Latency p50</th>
              <th scope="col">p (latency)</th>
              <th scope="col">Tokens / answer</th>
              <th scope="col">Cost</th>
            </tr>
          </thead>
          <tbody>
            {results.arms.map((arm) => (
              <tr key={arm.arm}>
                <th scope="row">
                  {arm.arm} <span class="muted">v{arm.version}</span>
                </th>
                <td class="numeric">{arm.answers}</td>
                <td class="numeric">{arm.users}</td>
                <td class="numeric">{percent(arm.positiveRate)}</td>
                <td class="numeric">{pValue(comparison(arm.arm)?.positiveRate.pValue)}</td>
                <td class="numeric">{percent(arm.feedbackRate)}</td>
                <td class="numeric">{percent(arm.groundedRate)}</td>
                <td class="numeric">
                  {arm.latencyP50Ms === null ? '—' : `${Math.round(arm.latencyP50Ms)} ms`}
                </td>
                <td class="numeric">{pValue(comparison(arm.arm)?.latency.pValue)}</td>
                <td class="numeric">
                  {arm.tokensPerAnswer === null ? '—' : Math.round(arm.tokensPerAnswer)}
                </td>
                <td class="numeric">${arm.costUsd.toFixed(4)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul class="muted experiment-notes">
        {results.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
      {results.experiment.status === 'running' && (
        <Button
          variant="danger"
          onClick={() =>
            void stopExperiment(client, id).then(
              () => {
                setRevision((value) => value + 1);
                onStopped();
              },
              (failure: Error) => setError(failure.message),
            )
          }
        >
          Stop the experiment
        </Button>
      )}
    </div>
  );
}
