/**
 * @module support/scenarios/routing-figures
 * The intent router's figures on the app's held-out test split (`apps/support/intents`, `test`):
 * accuracy, out-of-scope recall and precision, per-intent accuracy and the confusions. The router is
 * trained on `train` and calibrated on `validation` only, as the app trains it; the test split is
 * never used to tune it.
 */
import type { IntentRouter } from '../../../src/agents/intents/router.ts';
import { loadIntentSplits } from '../intents/index.ts';
import { trainSupportRouter } from './runner.ts';

/** One confusion: `count` test utterances of `expected` routed to `predicted`. */
export interface RoutingConfusion {
  readonly expected: string;
  readonly predicted: string;
  readonly count: number;
  readonly examples: readonly string[];
}

/** The router's figures on the test split. */
export interface RoutingFigures {
  /** Which representation routed (TF-IDF without an embedder). */
  readonly representation: string;
  readonly testSize: number;
  /** Right intent, out-of-scope counted as an intent. */
  readonly accuracy: number;
  /** Out-of-scope test utterances the router rejected. */
  readonly outOfScopeRecall: number;
  /** Rejected utterances that were out of scope. */
  readonly outOfScopePrecision: number;
  readonly perIntent: Readonly<Record<string, { readonly correct: number; readonly total: number }>>;
  /** Wrong predictions, most frequent first. */
  readonly confusions: readonly RoutingConfusion[];
  /** The bar the issue sets for `accuracy`. */
  readonly target: number;
}

/** The accuracy the router should reach on its test split. */
export const ROUTING_TARGET = 0.95;

/** Measures `router` (default: the app's, trained as the app trains it) on the test split. */
export async function measureRouting(router?: IntentRouter): Promise<RoutingFigures> {
  const splits = await loadIntentSplits();
  const used = router ?? (await trainSupportRouter());
  const predictions = await used.classifyMany(splits.test.map((example) => example.text));
  const oos = used.outOfScopeLabel;
  const perIntent: Record<string, { correct: number; total: number }> = {};
  const confusions = new Map<
    string,
    { expected: string; predicted: string; count: number; examples: string[] }
  >();
  let correct = 0;
  let rejected = 0;
  let rejectedRight = 0;
  let oosTotal = 0;
  splits.test.forEach((example, index) => {
    const predicted = predictions[index]!.intent;
    perIntent[example.intent] ??= { correct: 0, total: 0 };
    const entry = perIntent[example.intent]!;
    entry.total++;
    if (example.intent === oos) oosTotal++;
    if (predicted === oos) {
      rejected++;
      if (example.intent === oos) rejectedRight++;
    }
    if (predicted === example.intent) {
      correct++;
      entry.correct++;
      return;
    }
    const key = `${example.intent}>${predicted}`;
    const confusion = confusions.get(key) ?? { expected: example.intent, predicted, count: 0, examples: [] };
    confusion.count++;
    confusion.examples.push(example.text);
    confusions.set(key, confusion);
  });
  return {
    representation: used.representation,
    testSize: splits.test.length,
    accuracy: ratio(correct, splits.test.length),
    outOfScopeRecall: ratio(rejectedRight, oosTotal),
    outOfScopePrecision: ratio(rejectedRight, rejected),
    perIntent,
    confusions: [...confusions.values()].sort((a, b) => b.count - a.count),
    target: ROUTING_TARGET,
  };
}

function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}
