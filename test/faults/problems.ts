/** Violations found by a check, grouped by rule: a count and a few examples each, not thousands of lines. */
export interface Problems {
  fail(rule: string, example: string): void;
  /** One line per broken rule. */
  list(): string[];
}

export function problems(): Problems {
  const byRule = new Map<string, string[]>();
  return {
    fail(rule, example) {
      const examples = byRule.get(rule) ?? [];
      examples.push(example);
      byRule.set(rule, examples);
    },
    list: () => [...byRule].map(([rule, examples]) => `${rule}: ${examples.length} (e.g. ${examples.slice(0, 3).join('; ')})`),
  };
}
