/**
 * @module prompts/registry-prompt-source
 * The answerer's grounded prompt from the registry: `rag.system` at the `production` label, or at the
 * version of the request's experiment arm when an experiment runs on it, and `rag.user` at
 * `production`. Each template receives only the variables it declares, so a version that uses fewer
 * of the available values still renders.
 */
import type { AskRequest } from '../spec/answer.ts';
import type { GroundedPromptSelection, GroundedPromptSource, GroundedPromptValues } from '../spec/prompts.ts';
import type { PromptVersionRow } from '../store/prompts.ts';
import { RAG_SYSTEM, RAG_USER } from './builtin.ts';
import type { PromptRegistry } from './registry.ts';
import { renderTemplate } from './template.ts';

/** An experiment arm chosen for a request. */
export interface ArmAssignment {
  readonly experimentId: string;
  readonly arm: string;
  readonly version: number;
}

/** Assigns a request to an experiment arm of a prompt, or to none. */
export interface ArmAssigner {
  assign(
    request: Pick<AskRequest, 'tenantId' | 'userId' | 'conversationId'>,
    promptName: string,
  ): Promise<ArmAssignment | undefined>;
}

/** Creates the source the answerer renders its grounded prompt from. */
export function createRegistryPromptSource(
  registry: PromptRegistry,
  experiments?: ArmAssigner,
): GroundedPromptSource {
  return {
    async select(request): Promise<GroundedPromptSelection> {
      const assignment = await experiments?.assign(request, RAG_SYSTEM);
      const system = assignment
        ? await registry.version(request.tenantId, RAG_SYSTEM, assignment.version)
        : await registry.resolve(request.tenantId, RAG_SYSTEM);
      const user = await registry.resolve(request.tenantId, RAG_USER);
      return {
        ref: {
          name: RAG_SYSTEM,
          version: system.version,
          ...(assignment ? { experiment: { id: assignment.experimentId, arm: assignment.arm } } : {}),
        },
        // The system version's settings: what an experiment arm varies, with its text.
        generation: system.generation,
        render: (values) => ({ system: render(system, values), user: render(user, values) }),
      };
    },
  };
}

function render(version: PromptVersionRow, values: GroundedPromptValues): string {
  const declared = Object.fromEntries(
    version.variables.map((variable) => [variable.name, values[variable.name as keyof GroundedPromptValues]]),
  );
  return renderTemplate(version.template, version.variables, declared);
}
