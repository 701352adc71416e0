/**
 * @module support/scenarios/scenario-schema
 * Validates a scenario file: unknown fields, misspelt expectations, duplicate ids and turns that are
 * neither a customer message nor an operator action are `invalid_scenarios` errors naming the
 * scenario and field, so a typo cannot silently turn an expectation off.
 */
import { z } from 'zod';
import { InvalidRequestError } from '../../../src/errors.ts';
import { OPERATOR_ACTIONS, SCENARIO_LANGUAGES, SCENARIO_MODES, type Scenario } from './scenario.ts';

const toolSpec = z.strictObject({
  name: z.string().min(1),
  args: z.record(z.string(), z.unknown()).optional(),
});

const expectation = z.strictObject({
  agent: z.string().min(1).optional(),
  tools: z.array(toolSpec).optional(),
  forbidTools: z.array(z.string().min(1)).min(1).optional(),
  contains: z.array(z.string().min(1)).optional(),
  excludes: z.array(z.string().min(1)).optional(),
  notContains: z.array(z.string().min(1)).optional(),
  escalated: z.boolean().optional(),
  approvalRequested: z.boolean().optional(),
  refused: z.boolean().optional(),
  language: z.enum(SCENARIO_LANGUAGES).optional(),
  manual: z.string().min(1).optional(),
  approvalListed: z.boolean().optional(),
  error: z
    .string()
    .regex(/^[a-z_]+$/)
    .optional(),
});

const turn = z
  .strictObject({
    user: z.string().optional(),
    operator: z
      .strictObject({
        action: z.enum(OPERATOR_ACTIONS),
        text: z.string().min(1).optional(),
      })
      .optional(),
    model: z.strictObject({ tools: z.array(toolSpec) }).optional(),
    newConversation: z.boolean().optional(),
    expect: expectation,
  })
  .refine((value) => (value.user === undefined) !== (value.operator === undefined), {
    message: 'a turn has either `user` or `operator`',
  })
  .refine(
    (value) =>
      !value.operator ||
      value.operator.action === 'approve' ||
      value.operator.action === 'reject' ||
      Object.keys(value.expect).every((key) => key === 'error'),
    { message: 'an inbox operator turn may only expect `error`' },
  )
  .refine((value) => value.operator?.action !== 'reply' || value.operator.text !== undefined, {
    message: 'an operator `reply` needs `text`',
  });

const scenario = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case words joined by dashes'),
  topic: z.string().min(1),
  category: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'categories are lower-case words joined by dashes')
    .optional(),
  modes: z.array(z.enum(SCENARIO_MODES)).min(1).optional(),
  note: z.string().optional(),
  turns: z.array(turn).min(1),
});

/** The scenarios in `data` (parsed JSON), or an `invalid_scenarios` error naming what is wrong. */
export function parseScenarios(data: unknown, file = 'scenarios.json'): Scenario[] {
  const parsed = z.array(scenario).safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => {
      const [index, ...rest] = issue.path;
      const id = typeof index === 'number' ? (data as { id?: unknown }[])[index]?.id : undefined;
      const where =
        typeof index === 'number' ? `scenario ${index}${typeof id === 'string' ? ` (${id})` : ''}` : '';
      return `${where}${rest.length > 0 ? ` ${rest.join('.')}` : ''}: ${issue.message}`;
    });
    throw new InvalidRequestError(
      'invalid_scenarios',
      `${file} is not a valid scenario file: ${problems.join('; ')}`,
    );
  }
  const seen = new Set<string>();
  for (const { id } of parsed.data) {
    if (seen.has(id))
      throw new InvalidRequestError('invalid_scenarios', `${file} has two scenarios named ${id}.`);
    seen.add(id);
  }
  return parsed.data as Scenario[];
}
