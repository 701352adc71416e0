/**
 * @module prompts/experiments
 * Prompt experiments: traffic on one prompt split between versions (arms) by weight, with sticky
 * assignment (see assignment.ts), at most one running experiment per prompt and tenant. The running
 * experiment of a prompt is cached briefly; starting or stopping one in this process clears the cache,
 * other processes follow within `cacheMs`. Requests with neither a user nor a conversation are not
 * enrolled (they get the production label), since they could not be kept in one arm.
 */
import { InvalidRequestError, NotFoundError } from '../errors.ts';
import type { AskRequest } from '../spec/answer.ts';
import { type AnswerLogReader, UNBATCHED_ANSWER_LOG } from '../spec/answer-log.ts';
import type { Database } from '../store/database.ts';
import {
  type ExperimentArm,
  type ExperimentRow,
  getExperiment,
  insertExperiment,
  listExperiments,
  runningExperiment,
  stopExperiment,
} from '../store/experiments.ts';
import { assignArm, stickySubject } from './assignment.ts';
import { type ExperimentResults, experimentResults } from './experiment-results.ts';
import type { PromptRegistry } from './registry.ts';
import type { ArmAssigner, ArmAssignment } from './registry-prompt-source.ts';

/** A new experiment. */
export interface NewExperiment {
  readonly name: string;
  readonly promptName: string;
  /** Two or more arms; the first is the control the others are compared with. */
  readonly arms: readonly ExperimentArm[];
}

/** The experiment service. */
export class ExperimentService implements ArmAssigner {
  private readonly running = new Map<string, { experiment: ExperimentRow | undefined; until: number }>();

  constructor(
    private readonly db: Database,
    private readonly registry: PromptRegistry,
    private readonly options: {
      readonly cacheMs?: number;
      /** The answer log, read for results (its batched writer flushes first). */
      readonly answers?: AnswerLogReader;
    } = {},
  ) {}

  /** Starts an experiment; every arm's version must exist. */
  async create(tenantId: string, request: NewExperiment): Promise<ExperimentRow> {
    const names = new Set(request.arms.map((arm) => arm.name));
    if (request.arms.length < 2 || names.size !== request.arms.length) {
      throw new InvalidRequestError(
        'invalid_experiment',
        'An experiment needs two or more arms with distinct names.',
      );
    }
    for (const arm of request.arms) await this.registry.version(tenantId, request.promptName, arm.version);
    const created = await insertExperiment(this.db, { tenantId, ...request });
    if (!created) {
      throw new InvalidRequestError(
        'experiment_already_running',
        `An experiment already runs on ${request.promptName}; stop it first.`,
      );
    }
    this.running.clear();
    return created;
  }

  /** Stops an experiment; its answers and results stay. */
  async stop(tenantId: string, id: string): Promise<ExperimentRow> {
    await this.get(tenantId, id);
    await stopExperiment(this.db, tenantId, id);
    this.running.clear();
    return this.get(tenantId, id);
  }

  /** One experiment; `experiment_not_found` when the tenant has none with that id. */
  async get(tenantId: string, id: string): Promise<ExperimentRow> {
    const experiment = await getExperiment(this.db, tenantId, id);
    if (!experiment) throw new NotFoundError('experiment_not_found', `There is no experiment ${id}.`);
    return experiment;
  }

  /** The tenant's experiments, newest first. */
  list(tenantId: string): Promise<ExperimentRow[]> {
    return listExperiments(this.db, tenantId);
  }

  /** Per-arm outcomes and their comparison with the control arm. */
  async results(tenantId: string, id: string): Promise<ExperimentResults> {
    const experiment = await this.get(tenantId, id);
    return (this.options.answers ?? UNBATCHED_ANSWER_LOG).read(() => experimentResults(this.db, experiment));
  }

  /** The arm of the running experiment on `promptName` this request belongs to, if any. */
  async assign(
    request: Pick<AskRequest, 'tenantId' | 'userId' | 'conversationId'>,
    promptName: string,
  ): Promise<ArmAssignment | undefined> {
    const subject = stickySubject(request);
    if (!subject) return undefined;
    const experiment = await this.runningOn(request.tenantId, promptName);
    if (!experiment) return undefined;
    const arm = assignArm(experiment.id, subject, experiment.arms);
    return { experimentId: experiment.id, arm: arm.name, version: arm.version };
  }

  private async runningOn(tenantId: string, promptName: string): Promise<ExperimentRow | undefined> {
    const key = JSON.stringify([tenantId, promptName]);
    const now = performance.now();
    const hit = this.running.get(key);
    if (hit && hit.until > now) return hit.experiment;
    const experiment = await runningExperiment(this.db, tenantId, promptName);
    this.running.set(key, { experiment, until: now + (this.options.cacheMs ?? 10_000) });
    return experiment;
  }
}
