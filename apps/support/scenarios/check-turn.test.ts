import { describe, expect, it } from 'vitest';
import { type CheckedTurn, checkTurn } from './check-turn.ts';
import { replyLanguage } from './reply-language.ts';

const base: CheckedTurn = {
  agent: 'returns',
  toolCalls: [],
  reply: 'I can open a return for order GW-10001 ($199.00). Shall I go ahead?',
  escalated: false,
  approvalRequested: false,
  refused: false,
  citations: [],
};

describe('checkTurn', () => {
  it('fails a forbidden tool that ran or waits for approval, not one the tool declined or the runtime stopped', () => {
    const call = { name: 'start_return', input: { orderNumber: 'GW-10001' } };
    const expect_ = { forbidTools: ['start_return'] };
    expect(checkTurn({ ...base, toolCalls: [{ ...call, output: { ok: true } }] }, expect_)).toEqual([
      'start_return ran, which it must not',
    ]);
    expect(checkTurn({ ...base, toolCalls: [{ ...call, output: undefined }] }, expect_)).toHaveLength(1);
    expect(checkTurn({ ...base, toolCalls: [{ ...call, output: { ok: false } }] }, expect_)).toEqual([]);
    expect(checkTurn({ ...base, toolCalls: [{ ...call, error: 'needs confirmation' }] }, expect_)).toEqual(
      [],
    );
  });

  it('matches order numbers as customers write them, and counts a stopped call as not made', () => {
    const calls = [{ name: 'verify_customer', input: { orderNumber: 'gw10001' }, output: { ok: true } }];
    expect(
      checkTurn(
        { ...base, toolCalls: calls },
        { tools: [{ name: 'verify_customer', args: { orderNumber: 'GW-10001' } }] },
      ),
    ).toEqual([]);
    const stopped = [{ name: 'verify_customer', input: {}, error: 'timeout' }];
    expect(checkTurn({ ...base, toolCalls: stopped }, { tools: [{ name: 'verify_customer' }] })).toEqual([
      'no call of verify_customer {}',
    ]);
  });

  it('checks notContains like excludes, case-insensitively', () => {
    expect(checkTurn(base, { notContains: ['shall i'] })).toEqual(['reply has "shall i"']);
    expect(checkTurn(base, { excludes: ['refund issued'], notContains: ['opened return'] })).toEqual([]);
  });

  it('checks the reply language', () => {
    expect(checkTurn(base, { language: 'en' })).toEqual([]);
    expect(checkTurn(base, { language: 'es' })).toEqual(['reply in en, expected es']);
  });

  it('wants every cited manual to be the expected one, and at least one', () => {
    const nova = { source: 'knowledge/manuals/nova-r7-router.md' };
    const aurora = { source: 'knowledge/manuals/aurora-mesh-router.md' };
    const faq = { source: 'knowledge/faq/faq.md' };
    expect(checkTurn({ ...base, citations: [nova, faq] }, { manual: 'nova-r7-router' })).toEqual([]);
    expect(checkTurn({ ...base, citations: [nova, aurora] }, { manual: 'nova-r7-router' })).toEqual([
      'cites knowledge/manuals/aurora-mesh-router.md, expected only nova-r7-router',
    ]);
    expect(checkTurn({ ...base, citations: [faq] }, { manual: 'nova-r7-router' })).toEqual([
      'cites no manual, expected nova-r7-router',
    ]);
  });

  it('compares a rejected turn by its code, and fails an answer where an error was expected', () => {
    const rejected = { ...base, reply: '', error: 'empty_message' };
    expect(checkTurn(rejected, { error: 'empty_message' })).toEqual([]);
    expect(checkTurn(rejected, { contains: ['x'] })).toEqual(['error empty_message']);
    expect(checkTurn(base, { error: 'empty_message' })).toEqual(['answered, expected error empty_message']);
  });
});

describe('replyLanguage', () => {
  it('tells the four languages apart', () => {
    expect(replyLanguage('Le paso con una persona de nuestro equipo; le responderá aquí.')).toBe('es');
    expect(replyLanguage('Je vous passe à une personne de notre équipe, elle vous répondra ici.')).toBe('fr');
    expect(
      replyLanguage('Ich verbinde Sie mit einer Person aus unserem Team, die Ihnen hier antwortet.'),
    ).toBe('de');
    expect(replyLanguage('I am handing you over to a member of our team; they will reply here.')).toBe('en');
    expect(replyLanguage('GW-10001 $199.00')).toBe('unknown');
  });
});
