import { describeProviderContract } from './provider-contract/index.ts';

describeProviderContract({
  provider: 'openai-compatible',
  model: 'qwen2.5-7b-instruct',
  fallbackModel: 'llama-3.1-8b-instruct',
  path: '/chat/completions',
  fixtures: {
    generate: 'chat-completion.json',
    stream: 'chat-completion.sse',
    toolCall: 'tool-call.json',
    rateLimited: 'error-429.json',
    unavailable: 'error-503.json',
  },
  unavailableStatus: 503,
  retryAfter: { headers: { 'retry-after-ms': '250' }, ms: 250 },
  apiKeyOf: (headers) => headers.authorization?.toString().replace(/^Bearer /, ''),
  usage: { inputTokens: 398, outputTokens: 21 },
});
