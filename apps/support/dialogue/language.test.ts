import { describe, expect, it } from 'vitest';
import { detectLanguage, type Language, nextLanguage } from './language.ts';

// Held-out customer messages, written as customers write them (lower case, no accents, typos).
const SAMPLES: [Language, string][] = [
  ['en', 'where is my order, it was supposed to arrive yesterday'],
  ['en', 'hi can you help me with a return'],
  ['en', 'thx, thats all'],
  ['en', 'the thermostat shows E4 what does that mean'],
  ['en', 'I want to talk to a person please'],
  ['en', 'my router keeps dropping the connection'],
  ['es', 'hola, ¿dónde está mi pedido?'],
  ['es', 'quiero devolver la camara porque no funciona'],
  ['es', 'muchas gracias'],
  ['es', 'necesito hablar con una persona'],
  ['es', 'cuanto tarda el envio a canarias'],
  ['es', 'el termostato no enciende, que hago'],
  ['es', 'buenas tardes, tengo un problema con mi router'],
  ['fr', 'bonjour, où est ma commande ?'],
  ['fr', 'je voudrais retourner la caméra, elle ne marche pas'],
  ['fr', 'merci beaucoup, au revoir'],
  ['fr', "je veux parler à quelqu'un"],
  ['fr', 'combien de temps pour la livraison'],
  ['fr', "mon thermostat affiche une erreur, c'est normal ?"],
  ['de', 'hallo, wo ist meine bestellung?'],
  ['de', 'ich möchte die kamera zurückschicken, sie funktioniert nicht'],
  ['de', 'danke, tschüss'],
  ['de', 'kann ich bitte mit einem mitarbeiter sprechen'],
  ['de', 'wie lange dauert der versand nach österreich'],
  ['de', 'mein router verliert immer die verbindung'],
  ['de', 'guten tag'],
];

describe('detectLanguage', () => {
  it('recognises at least 24 of 26 held-out customer messages', () => {
    const wrong = SAMPLES.filter(([language, text]) => detectLanguage(text)?.language !== language);
    expect(wrong.length, JSON.stringify(wrong)).toBeLessThanOrEqual(2);
  });

  it('has no opinion on an order number or an email alone', () => {
    expect(detectLanguage('GW-10004')).toBeUndefined();
    expect(detectLanguage('maya.patel@example.com')).toBeUndefined();
  });

  it('keeps the conversation language when a message says nothing about it', () => {
    expect(nextLanguage('es', 'maya.patel@example.com')).toBe('es');
    expect(nextLanguage('fr', 'GW-10004')).toBe('fr');
    expect(nextLanguage(undefined, '12345')).toBe('en');
    expect(nextLanguage('en', 'gracias')).toBe('es');
  });
});
