import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../retrieval/lexical/analyzer.ts';
import { passagesOf } from './__fixtures__/chunks.ts';
import { resolveCitations } from './citations.ts';
import { extractAnswer } from './extractive.ts';

const analyzer = createAnalyzer();
const knowledge = path.resolve(import.meta.dirname, '../../apps/support/knowledge');

/** The sections of a Markdown file as chunk-like text: heading lines, blank lines, wrapped sentences. */
function sections(file: string): string[] {
  const text = readFileSync(path.join(knowledge, file), 'utf8').replace(/^---[\s\S]*?---\n/, '');
  return text
    .split(/\n(?=## )/)
    .map((section) => section.replace(/^#+ /gm, ''))
    .filter((section) => section.trim());
}

describe('extractive answers', () => {
  it('quotes the sentences that answer the question, cited, from real text', () => {
    const passages = passagesOf([...sections('policies/returns.md'), ...sections('policies/shipping.md')]);
    const answer = extractAnswer('How long do I have to return a smart thermostat?', passages, analyzer);
    expect(answer).toBeDefined();
    expect(answer).toContain('Opened smart thermostats and security cameras can be returned within 30 days');
    const sentences = answer!.split(/(?<=\])[.!?]\s*/).filter(Boolean);
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(sentences.length).toBeLessThanOrEqual(4);
    // Every sentence carries its citation, each marker names a real passage.
    const resolved = resolveCitations(answer!, passages.length);
    expect(resolved.removed).toBe(0);
    expect(answer!.match(/\[\d+\]/g)?.length).toBe(sentences.length);
    // Headings are not quoted as answers.
    expect(answer).not.toMatch(/Return window \[/);
  });

  it('never quotes the same sentence twice when chunks overlap', () => {
    const text = sections('policies/returns.md').find((section) => section.startsWith('Refunds'))!;
    const passages = passagesOf([text, text, text]);
    const answer = extractAnswer(
      'When are refunds issued to the original payment method?',
      passages,
      analyzer,
    )!;
    const quoted = answer.split(/ \[\d+\][.!?]\s*/).filter(Boolean);
    expect(new Set(quoted).size).toBe(quoted.length);
    expect(answer).toContain('Refunds go back to the original payment method within 5 business days');
  });

  it('prefers higher-ranked passages for equally good sentences', () => {
    const passages = passagesOf([
      'The Aurora router restarts when you hold the reset button for ten seconds.',
      'The Borealis router restarts when you hold the reset button for ten seconds.',
    ]);
    const answer = extractAnswer('How do I reset the router?', passages, analyzer, { maxSentences: 1 });
    expect(answer).toBe('The Aurora router restarts when you hold the reset button for ten seconds [1].');
  });

  it('returns nothing when no sentence shares a topic with the question', () => {
    const passages = passagesOf(sections('policies/shipping.md'));
    expect(extractAnswer('What is the capital of Mongolia?', passages, analyzer)).toBeUndefined();
    expect(extractAnswer('How do I?', passages, analyzer)).toBeUndefined();
  });
});
