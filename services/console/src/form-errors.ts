/** The API names each bad field as `body.<name>` (or `query.<name>`); the form shows each problem next to its input. */
export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

export interface PlacedProblems {
  /** Problems per input name. */
  readonly byField: ReadonlyMap<string, readonly string[]>;
  /** Problems that concern no input of the form: shown above it. */
  readonly general: readonly string[];
}

export function placeProblems(details: readonly FieldProblem[], inputs: readonly string[], prefix: string): PlacedProblems {
  const byField = new Map<string, string[]>();
  const general: string[] = [];
  for (const { field, problem } of details) {
    const name = field.startsWith(prefix) ? field.slice(prefix.length) : undefined;
    if (name !== undefined && inputs.includes(name)) {
      byField.set(name, [...(byField.get(name) ?? []), problem]);
    } else {
      general.push(`${field}: ${problem}`);
    }
  }
  return { byField, general };
}

/** Narrows the API's `data.details` (unknown JSON) to problems, dropping anything malformed. */
export function problemsOf(data: unknown): FieldProblem[] {
  if (typeof data !== 'object' || data === null) return [];
  const details = (data as { details?: unknown }).details;
  if (!Array.isArray(details)) return [];
  return details.filter(
    (d): d is FieldProblem => typeof d === 'object' && d !== null && typeof (d as FieldProblem).field === 'string' && typeof (d as FieldProblem).problem === 'string',
  );
}
