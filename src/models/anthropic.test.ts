import { describeProviderContract } from './provider-contract/index.ts';

describeProviderContract({
  provider: 'anthropic',
  model: 'claude-3-5-haiku-latest',
  fallbackModel: 'claude-3-5-sonnet-latest',
  path: '/messages',
  fixtures: {
    generate: 'message.json',
    stream: 'message.sse',
    toolCall: 'tool-use.json',
    rateLimited: 'error-429.json',
    streamError: 'stream-overloaded.sse',
    unavailable: 'error-529.json',
  },
  // 529 is Anthropic's "overloaded".
  unavailableStatus: 529,
  retryAfter: { headers: { 'retry-after': '1' }, ms: 1000 },
  apiKeyOf: (headers) => headers['x-api-key'],
  usage: { inputTokens: 431, outputTokens: 22 },
});
