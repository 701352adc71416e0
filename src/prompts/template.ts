/**
 * @module prompts/template
 * Prompt templates with declared, typed variables: `{{name}}` placeholders, each declared with a type
 * (`string`, `number` or `boolean`). A template is checked when a version is created (every placeholder
 * declared, every declaration used), and rendering checks the values (none missing, none unknown, each
 * of its type), each failure with a stable code. Substitution is one pass, so a value that contains
 * `{{…}}` is inserted as text and never expanded.
 */
import { InvalidRequestError } from '../errors.ts';

/** Types a variable can have. */
export const VARIABLE_TYPES = ['string', 'number', 'boolean'] as const;

/** A declared variable. */
export interface PromptVariable {
  readonly name: string;
  readonly type: (typeof VARIABLE_TYPES)[number];
  readonly description?: string;
}

/** Values to render a template with. */
export type PromptValues = Readonly<Record<string, string | number | boolean>>;

/** A variable name. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The distinct placeholder names of a template, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

/** Throws `prompt_variable_undeclared` or `prompt_variable_unused` when template and declarations disagree. */
export function checkTemplate(template: string, variables: readonly PromptVariable[]): void {
  const declared = new Set(variables.map((variable) => variable.name));
  if (declared.size !== variables.length) {
    throw new InvalidRequestError('prompt_variable_duplicate', 'A variable is declared twice.');
  }
  const used = placeholdersOf(template);
  const undeclared = used.filter((name) => !declared.has(name));
  if (undeclared.length > 0) {
    throw new InvalidRequestError(
      'prompt_variable_undeclared',
      `The template uses ${undeclared.map((name) => `{{${name}}}`).join(', ')} without declaring it; add it to variables.`,
      { variables: undeclared },
    );
  }
  const unused = [...declared].filter((name) => !used.includes(name));
  if (unused.length > 0) {
    throw new InvalidRequestError(
      'prompt_variable_unused',
      `The template never uses the declared variable(s) ${unused.join(', ')}; remove them or use {{${unused[0]}}}.`,
      { variables: unused },
    );
  }
}

/**
 * Renders `template` with `values`.
 *
 * @example
 * renderTemplate('Question: {{question}}', [{ name: 'question', type: 'string' }], { question: 'Refunds?' }); // 'Question: Refunds?'
 */
export function renderTemplate(
  template: string,
  variables: readonly PromptVariable[],
  values: PromptValues,
): string {
  const declared = new Map(variables.map((variable) => [variable.name, variable]));
  const unknown = Object.keys(values).filter((name) => !declared.has(name));
  if (unknown.length > 0) {
    throw new InvalidRequestError(
      'prompt_variable_unknown',
      `The prompt declares no variable ${unknown.join(', ')}.`,
      { variables: unknown },
    );
  }
  const missing = variables.filter((variable) => !Object.hasOwn(values, variable.name));
  if (missing.length > 0) {
    throw new InvalidRequestError(
      'prompt_variable_missing',
      `The prompt needs a value for ${missing.map((variable) => variable.name).join(', ')}.`,
      { variables: missing.map((variable) => variable.name) },
    );
  }
  for (const variable of variables) {
    const type = typeof values[variable.name];
    if (type !== variable.type) {
      throw new InvalidRequestError(
        'prompt_variable_type',
        `The variable ${variable.name} must be a ${variable.type}, not a ${type}.`,
        { variable: variable.name },
      );
    }
  }
  return template.replace(PLACEHOLDER, (_, name: string) => String(values[name]));
}
