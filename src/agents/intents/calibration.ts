/**
 * @module agents/intents/calibration
 * Picks the out-of-scope threshold from scored held-out predictions.
 */

/** One scored held-out prediction: what the router picked (before the threshold) and the truth. */
export interface ScoredPrediction {
  readonly score: number;
  /** The router's pick ignoring the threshold (the out-of-scope label when that class won). */
  readonly nearest: string;
  readonly label: string;
}

/** Share of correct in-scope predictions kept when there are no out-of-scope examples to tune on. */
const KEEP_WITHOUT_NEGATIVES = 0.98;

/**
 * The threshold with the best held-out accuracy, where an out-of-scope example is right when its
 * score falls under the threshold (or the out-of-scope class won). Ties go to the lower threshold,
 * which rejects fewer real requests.
 */
export function calibrateThreshold(
  predictions: readonly ScoredPrediction[],
  outOfScopeLabel: string,
): number {
  const hasNegatives = predictions.some((prediction) => prediction.label === outOfScopeLabel);
  if (!hasNegatives) {
    const correct = predictions
      .filter((prediction) => prediction.nearest === prediction.label)
      .map((prediction) => prediction.score)
      .sort((a, b) => a - b);
    return correct[Math.floor(correct.length * (1 - KEEP_WITHOUT_NEGATIVES))] ?? 0;
  }
  const candidates = [0, ...new Set(predictions.map((prediction) => prediction.score))].sort((a, b) => a - b);
  let best = { threshold: 0, correct: -1 };
  for (const threshold of candidates) {
    let correct = 0;
    for (const prediction of predictions) {
      const predicted =
        prediction.nearest === outOfScopeLabel || prediction.score < threshold
          ? outOfScopeLabel
          : prediction.nearest;
      if (predicted === prediction.label) correct++;
    }
    if (correct > best.correct) best = { threshold, correct };
  }
  return best.threshold;
}
