import { describeProviderContract } from './provider-contract/index.ts';

describeProviderContract({
  provider: 'openai',
  model: 'gpt-4o-mini',
  fallbackModel: 'gpt-4o',
  path: '/chat/completions',
  fixtures: {
    generate: 'chat-completion.json',
    stream: 'chat-completion.sse',
    toolCall: 'tool-call.json',
    rateLimited: 'error-429.json',
    streamError: 'stream-server-error.sse',
    unavailable: 'error-503.json',
  },
  unavailableStatus: 503,
  // OpenAI sends both; the millisecond header is the precise one and wins.
  retryAfter: { headers: { 'retry-after-ms': '300', 'retry-after': '1' }, ms: 300 },
  apiKeyOf: (headers) => headers.authorization?.toString().replace(/^Bearer /, ''),
  usage: { inputTokens: 412, outputTokens: 19 },
});
