/**
 * @module cli/commands/chat
 * `groundwork chat`: an interactive conversation. Answers stream as they arrive; the history is a
 * stored conversation, so `--conversation <id>` picks it up again later.
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { ChatService } from '../../answer/chat.ts';
import type { AskRequest } from '../../spec/answer.ts';
import type { ConversationRow } from '../../store/conversations.ts';
import { invalidTextError, invalidTextReason } from '../../text/valid-text.ts';
import { withGroundwork } from '../context.ts';
import { formatFooter, formatSources } from '../print-answer.ts';
import { type AnswerOptions, retrievalOptions, withAnswerOptions } from './ask.ts';

/** Registers the command. */
export function registerChatCommand(program: Command): void {
  withAnswerOptions(
    program.command('chat').description('chat with the knowledge base (Ctrl-D or /exit to leave)'),
  )
    .option('--conversation <id>', 'continue a stored conversation')
    .action(async (options: AnswerOptions & { conversation?: string }, command: Command) => {
      const retrieval = retrievalOptions(options);
      await withGroundwork(command, async (app, tenantId) => {
        const input = createInterface({ input: process.stdin, output: process.stdout });
        let conversation: ConversationRow | undefined;
        let answering: AbortController | undefined;
        // Ctrl-C stops the answer being written; at the prompt it leaves.
        input.on('SIGINT', () => (answering ? answering.abort(new Error('interrupted')) : input.close()));
        const closed = new Promise<void>((resolve) => input.once('close', resolve));
        try {
          for (;;) {
            const line = await Promise.race([input.question('\nyou> '), closed.then(() => undefined)]);
            if (line === undefined || line.trim() === '/exit') break;
            const question = line.trim();
            if (!question) continue;
            const invalid = invalidTextReason(question);
            if (invalid) {
              // One bad line is answered with why, and the conversation goes on.
              process.stdout.write(`\n[invalid_text] ${invalidTextError('question', invalid).message}\n`);
              continue;
            }
            conversation ??= await app.chat.open(tenantId, options.conversation, question);
            answering = new AbortController();
            try {
              await streamTurn(app.chat, conversation, {
                tenantId,
                question,
                ...retrieval,
                signal: answering.signal,
              });
            } finally {
              answering = undefined;
            }
          }
        } finally {
          input.close();
          if (conversation) process.stdout.write(`\nconversation ${conversation.id}\n`);
        }
      });
    });
}

async function streamTurn(
  chat: ChatService,
  conversation: ConversationRow,
  request: Omit<AskRequest, 'history'>,
): Promise<void> {
  process.stdout.write('\nassistant> ');
  let streamed = '';
  for await (const event of chat.stream(conversation, request)) {
    if (event.type === 'text-delta') {
      streamed += event.delta;
      process.stdout.write(event.delta);
    } else if (event.type === 'error') {
      process.stdout.write(`\n[${event.code}] ${event.message}\n`);
    } else if (event.type === 'done') {
      // The final answer is authoritative: citations cleaned up, or replaced by quoted passages.
      if (event.result.answer !== streamed) process.stdout.write(`\n\n(revised) ${event.result.answer}`);
      process.stdout.write(`\n${formatSources(event.result.citations)}${formatFooter(event.result)}`);
    }
  }
}
