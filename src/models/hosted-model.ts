/**
 * @module models/hosted-model
 * Whether a configured model sends prompts to someone else's machine: the hosted providers always
 * (an `openai` or `anthropic` base URL on loopback is still a proxy to them), an OpenAI-compatible
 * server unless its host is this machine (loopback names and addresses), an in-process model never.
 * `redactForModel: 'auto'` redacts exactly the models this says are hosted.
 */
import type { LlmProvider } from './provider-models.ts';

/** True when prompts leave this machine. */
export function isHostedModel(provider: LlmProvider, baseUrl: string | undefined): boolean {
  if (provider === 'local') return false;
  if (provider !== 'openai-compatible') return true;
  if (!baseUrl) return true;
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return true;
  }
  return !isLoopbackHost(host);
}

/** `localhost` (and `*.localhost`), 127.0.0.0/8, `::1` and their IPv4-mapped forms. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^::ffff:(.+)$/.exec(host)?.[1] ?? host;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(mapped)) return true;
  // The WHATWG URL parser writes a mapped 127.x address in hex: ::ffff:7f00:1.
  return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
}
