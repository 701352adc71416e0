/** Thumbs up or down on one answer, with an optional comment on a thumbs down. */
import { useState } from 'preact/hooks';
import { sendFeedback } from '../../api/feedback.ts';
import { Button } from '../../components/button.tsx';
import { TextField } from '../../components/field.tsx';
import { useApp } from '../../context.ts';

type State =
  | { readonly step: 'idle' }
  | { readonly step: 'commenting'; readonly rating: 'up' | 'down' }
  | { readonly step: 'sending' }
  | { readonly step: 'sent'; readonly rating: 'up' | 'down' }
  | { readonly step: 'failed'; readonly message: string };

/** The buttons; shown only when the server has `POST /v1/feedback`. */
export function FeedbackButtons({ traceId }: { traceId: string }) {
  const { client } = useApp();
  const [state, setState] = useState<State>({ step: 'idle' });
  const [comment, setComment] = useState('');
  const send = async (rating: 'up' | 'down', text?: string) => {
    setState({ step: 'sending' });
    try {
      await sendFeedback(client, { traceId, rating, ...(text ? { comment: text } : {}) });
      setState({ step: 'sent', rating });
    } catch (error) {
      setState({ step: 'failed', message: (error as Error).message });
    }
  };
  if (state.step === 'sent') return <p class="feedback-done">Thanks for the feedback.</p>;
  if (state.step === 'commenting') {
    return (
      <form
        class="feedback-comment"
        onSubmit={(event) => {
          event.preventDefault();
          void send(state.rating, comment.trim());
        }}
      >
        <TextField
          label="What was wrong? (optional)"
          value={comment}
          onInput={(event) => setComment(event.currentTarget.value)}
          maxLength={2000}
          autoFocus
        />
        <Button type="submit" variant="primary">
          Send feedback
        </Button>
      </form>
    );
  }
  return (
    <fieldset class="feedback">
      <legend class="visually-hidden">Was this answer helpful?</legend>
      <Button
        variant="ghost"
        aria-label="Helpful"
        disabled={state.step === 'sending'}
        onClick={() => void send('up')}
      >
        👍
      </Button>
      <Button
        variant="ghost"
        aria-label="Not helpful"
        disabled={state.step === 'sending'}
        onClick={() => setState({ step: 'commenting', rating: 'down' })}
      >
        👎
      </Button>
      {state.step === 'failed' && <span class="feedback-error">{state.message}</span>}
    </fieldset>
  );
}
