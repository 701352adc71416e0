/**
 * @module support/dialogue/agent-language
 * The customer's language for the agents (mode `agents`): detected from the customer's messages, the
 * latest clear one winning, and given to the agents as a note at the head of the conversation, so
 * every agent of the turn answers in it. English needs no note.
 */
import { detectLanguage, type Language } from './language.ts';

const NAMES: Record<Language, string> = { en: 'English', es: 'Spanish', fr: 'French', de: 'German' };

/** The language of the conversation: that of the latest customer message that is clear about it. */
export function conversationLanguage(messages: readonly { role: string; content: string }[]): Language {
  for (const message of [...messages].reverse()) {
    if (message.role !== 'user') continue;
    const guess = detectLanguage(message.content);
    if (guess?.confident) return guess.language;
  }
  return 'en';
}

/** The note for the agents, or undefined for English. */
export function languageNote(language: Language): string | undefined {
  if (language === 'en') return undefined;
  const name = NAMES[language];
  return `Language: the customer writes in ${name} (${language}). Write every reply to the customer in ${name}; quote order numbers, product names and cited passages as they are, translating what you say about them.`;
}
