/** Adding knowledge: upload files or a whole folder, or queue web pages by URL. */
import { useRef, useState } from 'preact/hooks';
import { ingestUrls, type Job, uploadFiles } from '../../api/knowledge.ts';
import { Alert } from '../../components/alert.tsx';
import { Button } from '../../components/button.tsx';
import { TextArea } from '../../components/field.tsx';
import { useApp } from '../../context.ts';

/** The two forms; `onQueued` receives each new job. */
export function AddSources({ onQueued }: { onQueued: (job: Job) => void }) {
  const { client } = useApp();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [urls, setUrls] = useState('');
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);

  const run = async (action: () => Promise<Job>) => {
    setBusy(true);
    setError(null);
    try {
      onQueued(await action());
      return true;
    } catch (failure) {
      // The API's own message: unsupported type, too large, bad URL…
      setError((failure as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const upload = async (input: HTMLInputElement | null) => {
    const chosen = [...(input?.files ?? [])];
    if (chosen.length === 0) return;
    await run(() => uploadFiles(client, chosen));
    if (input) input.value = '';
  };

  const addUrls = async (event: Event) => {
    event.preventDefault();
    const list = urls
      .split(/\s+/)
      .map((url) => url.trim())
      .filter(Boolean);
    if (list.length === 0) return setError('Enter at least one URL.');
    if (await run(() => ingestUrls(client, list))) setUrls('');
  };

  return (
    <section class="card add-sources" aria-labelledby="add-title">
      <h2 id="add-title">Add knowledge</h2>
      <div class="upload-row">
        <div class="field">
          <label for="upload-files">Upload files</label>
          <input
            id="upload-files"
            ref={files}
            type="file"
            multiple
            disabled={busy}
            onChange={() => void upload(files.current)}
          />
        </div>
        <div class="field">
          <label for="upload-folder">Upload a folder</label>
          <input
            id="upload-folder"
            ref={folder}
            type="file"
            multiple
            disabled={busy}
            // Preact sets this as a DOM property, so it must be `true`, not the attribute's "".
            {...{ webkitdirectory: true }}
            onChange={() => void upload(folder.current)}
          />
        </div>
      </div>
      <p class="field-hint">
        PDF, HTML, Markdown, text, DOCX, CSV and JSON records; each file becomes part of one job.
      </p>
      <form onSubmit={addUrls} class="url-form">
        <TextArea
          label="Add web pages"
          hint="One URL per line."
          rows={2}
          value={urls}
          onInput={(event) => setUrls(event.currentTarget.value)}
        />
        <Button type="submit" disabled={busy}>
          Add URLs
        </Button>
      </form>
      {busy && <p role="status">Sending…</p>}
      {error && <Alert>{error}</Alert>}
    </section>
  );
}
