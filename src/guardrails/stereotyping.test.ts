import { describe, expect, it } from 'vitest';
import { DEFAULT_MODERATION_ACTIONS } from '../config/guardrails-config.ts';
import type { GuardrailActionSource } from '../spec/moderation.ts';
import { createStereotypingGuardrail, findStereotypes } from './stereotyping.ts';

describe('stereotyping detection', () => {
  it('finds generalisations about protected groups in answers', () => {
    const stereotypes = [
      'Women are bad at setting up routers, so ask your husband to do it.',
      'People from India are always late with payments.',
      'Older customers tend to struggle with technology, so keep it simple.',
      'As a woman, you might find the advanced settings confusing.',
      'Muslims are generally more aggressive customers.',
      'Since you are elderly, you probably will not understand the app.',
      'Men are naturally better at technical tasks.',
      'Disabled people usually cannot use smart home devices anyway.',
      'Typical of Mexicans to ask for a discount.',
      'Asians are good at math, so the configuration will be easy for you.',
      'Young people are too lazy to read the manual.',
      'Like most Germans, you will want every detail.',
      'Gay men are very particular about design, so you will love the colours.',
      'Jewish customers always haggle over the price.',
      'Immigrants are more likely to commit fraud, so we verify them twice.',
      'Elderly customers often forget their passwords.',
      'Given your age, this might be too complicated.',
      'Women always overreact about delivery delays.',
      'French customers are rude, but we will still help.',
      'People from Nigeria are usually scammers, so we need extra checks.',
    ];
    const missed = stereotypes.filter((text) => findStereotypes(text).length === 0);
    expect(missed).toEqual([]);
  });

  it('leaves answers that mention groups without generalising alone', () => {
    const benign = [
      'The senior discount applies to customers over 65 on every order [1].',
      'Women’s and men’s sizes are listed on the product page.',
      'Customers from Canada pay import duties on delivery [2].',
      'Our support team speaks English, Spanish, Arabic and Hindi.',
      'People from any country can order, but we ship only to the US and Canada.',
      'Older models of the router are slower than the Nova R7 [1].',
      'The app has large-text and screen-reader modes for people with visual impairments.',
      'Children under 13 cannot open an account.',
      'Elderly users can turn on the simplified home screen in Settings.',
      'The camera detects people, cars and animals.',
      'Women-owned businesses get free shipping during March.',
      'Most customers set up the thermostat in under ten minutes.',
      'People with a Pro plan are eligible for next-day delivery.',
      'Muslim holidays such as Eid are listed in the delivery calendar.',
      'We respond to customers in Germany within one business day.',
    ];
    const flagged = benign.filter((text) => findStereotypes(text).length > 0);
    expect(flagged).toEqual([]);
  });

  it('acts on the output as the tenant says: block by default, escalate or log on request', async () => {
    const actions = (stereotyping: 'block' | 'escalate' | 'log'): GuardrailActionSource => ({
      actionsFor: async () => ({ moderation: DEFAULT_MODERATION_ACTIONS, stereotyping }),
    });
    const text = 'Women are bad at setting up routers.';
    const context = { stage: 'output' as const, tenantId: 't' };
    const guardrail = createStereotypingGuardrail();
    expect(guardrail.stages).toEqual(['output']);
    expect(await guardrail.check(text, context)).toMatchObject({
      action: 'block',
      code: 'guardrail_stereotyping',
      categories: ['stereotyping'],
    });
    expect(
      await createStereotypingGuardrail({ actions: actions('escalate') }).check(text, context),
    ).toMatchObject({ action: 'escalate', code: 'guardrail_stereotyping_escalated' });
    expect(await createStereotypingGuardrail({ actions: actions('log') }).check(text, context)).toMatchObject(
      {
        action: 'log',
        code: 'guardrail_stereotyping_logged',
      },
    );
    expect((await guardrail.check('Returns take 30 days [1].', context)).action).toBe('allow');
  });
});
