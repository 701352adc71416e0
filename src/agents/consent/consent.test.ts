import { describe, expect, it } from 'vitest';
import { confirmationAnswer } from './confirmation.ts';
import { requestForm } from './request-form.ts';

describe('requestForm', () => {
  const cases: [string, ReturnType<typeof requestForm>][] = [
    ['I want to return order GW-10001', 'request'],
    ['Please refund order GW-10002, too many cameras', 'request'],
    ['Could you start a return for GW-10001 please?', 'request'],
    ['I would like to return my thermostat, if possible', 'request'],
    ['return GW-10001', 'request'],
    ['the camera', 'request'],
    ['I want to return GW-10001, it does not work and I want a refund', 'request'],
    ['It is not compatible with my boiler, so I want to return it', 'request'],
    ['Quiero devolver el pedido GW-10001', 'request'],
    ['if I return the camera, who pays shipping?', 'hypothetical'],
    ["if it doesn't arrive by Friday I want to cancel", 'hypothetical'],
    ['Suppose I sent it back, would I get the whole amount?', 'hypothetical'],
    ['In case the router breaks, could I send it back?', 'hypothetical'],
    ['What if I return it after 31 days', 'hypothetical'],
    ['I do NOT want to return anything', 'negated'],
    ["I don't want a refund, the cameras are great", 'negated'],
    ["I'm not returning GW-10001", 'negated'],
    ['never mind the return for GW-10001', 'negated'],
    ['I no longer want to send it back', 'negated'],
    ['Can I return GW-10001?', 'question'],
    ['How do I return my router', 'question'],
    ['who pays for return shipping?', 'question'],
    ['Is it too late to return GW-10003', 'question'],
    ['Do I get a refund for a clearance item?', 'question'],
  ];
  for (const [text, form] of cases) it(`"${text}" is ${form}`, () => expect(requestForm(text)).toBe(form));
});

describe('confirmationAnswer', () => {
  const yes = [
    'yes',
    'Yes please',
    'YES!',
    'ok, go ahead',
    'yes, do it',
    'Sure.',
    'yep thanks',
    'confirm',
    'Sí',
    'oui',
    'ja bitte',
    'go ahead',
  ];
  const no = ['no', 'No, leave it', 'nope', 'cancel', "don't", 'wait', 'never mind', 'non', 'nein'];
  const other = [
    'yes?',
    'yes but only if shipping is free',
    'how long does the refund take?',
    'hmm, let me think',
    'maybe',
    'yes, and also where is my order GW-10004',
    'ok so what does it cost',
    'I said yes to the other thing',
    '',
    'yes if you pay shipping',
    'sure, why not return the router too',
  ];
  for (const text of yes) it(`"${text}" confirms`, () => expect(confirmationAnswer(text)).toBe('yes'));
  for (const text of no) it(`"${text}" declines`, () => expect(confirmationAnswer(text)).toBe('no'));
  for (const text of other)
    it(`"${text}" does not confirm`, () => expect(confirmationAnswer(text)).toBe('other'));
});
