// Reads a routing policy from YAML and validates it, pointing every mistake at its line and column in the file.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { PolicySchema, type RoutingPolicy } from './policy-schema';

export interface PolicyError {
  /** 1-based, as editors count. */
  line: number;
  column: number;
  /** Dotted place in the policy, e.g. "rules.2.when.tier"; "" for the file as a whole. */
  path: string;
  message: string;
}

export type ParsedPolicy = { ok: true; policy: RoutingPolicy } | { ok: false; errors: PolicyError[] };

export interface PolicyCheckOptions {
  /** When given, every team the policy routes to must be one of these. */
  teamIds?: Iterable<string>;
}

export function parsePolicy(yamlText: string, options: PolicyCheckOptions = {}): ParsedPolicy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        return {
          line: pos.line,
          column: pos.col,
          path: '',
          message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
        };
      }),
    };
  }

  if (doc.contents === null)
    return {
      ok: false,
      errors: [{ line: 1, column: 1, path: '', message: 'the policy is empty: it needs at least an sla list' }],
    };

  const result = PolicySchema.safeParse(doc.toJS());
  const errors: PolicyError[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) errors.push(...describeIssue(doc, lineCounter, issue));
  } else if (options.teamIds) {
    const teams = new Set(options.teamIds);
    const check = (team: string, path: Array<string | number>) => {
      if (!teams.has(team))
        errors.push(at(doc, lineCounter, path, `no team ${team} in the directory (teams: ${[...teams].join(', ')})`));
    };
    result.data.rules.forEach((rule, i) => check(rule.team, ['rules', i, 'team']));
    if (result.data.default) check(result.data.default.team, ['default', 'team']);
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line || a.column - b.column) };
  if (!result.success) throw new Error('unreachable: a failed parse always has issues');
  return { ok: true, policy: result.data };
}

function describeIssue(doc: Document, lines: LineCounter, issue: z.core.$ZodIssue): PolicyError[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  // A strict object names each unknown key: point at the key itself.
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => at(doc, lines, [...path, key], `unknown field ${key}`));
  const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
  return [at(doc, lines, path, missing ? `${String(path.at(-1) ?? 'policy')} is required` : issue.message)];
}

function at(doc: Document, lines: LineCounter, path: Array<string | number>, message: string): PolicyError {
  const pos = lines.linePos(offsetOf(doc, path));
  return { line: pos.line, column: pos.col, path: path.join('.'), message };
}

/** Where the deepest existing node on the path starts: a missing field points at the object that lacks it. */
function offsetOf(doc: Document, path: Array<string | number>): number {
  let node: unknown = doc.contents;
  let offset = doc.contents?.range?.[0] ?? 0;
  for (const [i, key] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      const keyNode = pair.key as Node;
      const valueNode = pair.value as Node | null;
      // The last step points at the key ("tier: D" → the line of tier), earlier steps descend into the value.
      offset = (i === path.length - 1 || !valueNode?.range ? keyNode.range?.[0] : valueNode.range[0]) ?? offset;
      node = valueNode;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}
