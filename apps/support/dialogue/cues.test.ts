import { describe, expect, it } from 'vitest';
import { isClosing, isYes } from './closings.ts';
import { escalationCue } from './escalation.ts';
import { readOrderSlots } from './order-slots.ts';
import { mentionedProduct } from './products.ts';

describe('readOrderSlots', () => {
  it.each([
    ['GW10004', 'GW-10004'],
    ['gw 10004 pls', 'GW-10004'],
    ['order #10004', 'GW-10004'],
    ['my order number is 10004.', 'GW-10004'],
    ['pedido 10004', 'GW-10004'],
    ['commande n° 10004', 'GW-10004'],
    ['Bestellung 10004 ist nicht da', 'GW-10004'],
    ['(gw-10004)', 'GW-10004'],
  ])('reads the order number in "%s"', (text, orderNumber) => {
    expect(readOrderSlots(text).orderNumber).toBe(orderNumber);
  });

  it('does not take a price, a phone number or a year for an order number', () => {
    expect(readOrderSlots('it cost $10004 in 2025, call +1 415 555 0101').orderNumber).toBeUndefined();
  });

  it.each([
    ['<Maya.Patel@Example.com>', 'maya.patel@example.com'],
    ['its maya.patel@example.com.', 'maya.patel@example.com'],
    ['email: (maya.patel@example.com),', 'maya.patel@example.com'],
  ])('reads the email in "%s" without its punctuation', (text, email) => {
    expect(readOrderSlots(text).email).toBe(email);
  });
});

describe('isClosing', () => {
  it.each([
    'thanks!',
    'thank you so much',
    "that's all, thanks",
    'ok bye',
    'cheers 👍',
    'gracias',
    'merci, bonne journée',
    'vielen dank, tschüss',
    'das wars, danke',
  ])('closes on "%s"', (text) => expect(isClosing(text)).toBe(true));

  it.each([
    'thanks, but where is my order?',
    'ok',
    'bye the way my router is broken',
    'hello',
    'no thanks I want a refund',
  ])('does not close on "%s"', (text) => expect(isClosing(text)).toBe(false));

  it('reads a short yes in four languages', () => {
    for (const yes of ['yes please', 'sí, por favor', 'oui', 'ja gerne']) expect(isYes(yes)).toBe(true);
    expect(isYes('yes, where is my order GW-10004')).toBe(false);
  });
});

describe('escalationCue', () => {
  it.each([
    ['necesito hablar con alguien ya', 'human_request'],
    ['puis-je parler avec un conseiller', 'human_request'],
    ['ich will mit einem echten Menschen sprechen', 'human_request'],
    ['WHY IS NOTHING WORKING, I HAVE WAITED TWO WEEKS', 'frustration'],
    ['esto es una estafa', 'frustration'],
    ['c’est une arnaque', 'frustration'],
    ['der Thermostat riecht nach Rauch', 'sensitive'],
    ['I want compensation of 2000 dollars', 'high_value'],
  ])('escalates "%s" as %s', (text, intent) => {
    expect(escalationCue(text, readOrderSlots(text))?.intent).toBe(intent);
  });

  it.each([
    'where is my Nova router?',
    'I want a refund for GW-10005, it was $649',
    'the AURORA mesh keeps dropping',
    'refund of $45 please',
    'how do I talk to Alexa with the thermostat',
    'GW-10001 MAYA.PATEL@EXAMPLE.COM',
    'ORDER GW10004, EMAIL LIAM.OBRIEN@EXAMPLE.COM',
  ])('leaves "%s" to the assistant', (text) => {
    expect(escalationCue(text, readOrderSlots(text))).toBeUndefined();
  });
});

describe('mentionedProduct', () => {
  it.each([
    ['my lumen thermostst is dead', 'LUM-T2', /thermostat/],
    ['nova r7 keeps rebooting', 'NOVA-R7', /nova r7/],
    ['the halo outdor camera', 'HALO-C4X', /outdoor/],
  ])('finds the product in "%s" and corrects its spelling', (text, model, corrected) => {
    const mention = mentionedProduct(text);
    expect(mention.product?.model).toBe(model);
    expect(mention.text).toMatch(corrected);
  });

  it('leaves ordinary words alone', () => {
    expect(mentionedProduct('I spent a spare plus on this mess').text).toBe(
      'I spent a spare plus on this mess',
    );
    expect(mentionedProduct('where is my parcel').product).toBeUndefined();
  });
});
