/**
 * Just enough of Dockerfile and .dockerignore syntax to check deploy/Dockerfile against the
 * Tiltfile: instructions by stage, the files COPY takes from the build context, and whether a
 * context path is excluded.
 */
import path from 'node:path';
import { deployDir } from './k8s.js';

export const dockerfilePath = path.join(deployDir, 'Dockerfile');
export const dockerignorePath = path.join(deployDir, 'Dockerfile.dockerignore');

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string | undefined;
  from: string;
  instructions: Instruction[];
}

/** Instructions with continuation lines joined and comments dropped. */
export const parseDockerfile = (text: string): Instruction[] => {
  const instructions: Instruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (/^\s*#/.test(line)) return;
    if (pending === undefined && line.trim() === '') return;
    const continued = line.endsWith('\\');
    const part = (continued ? line.slice(0, -1) : line).trim();
    pending = pending ?? { parts: [], line: index + 1 };
    if (part !== '') pending.parts.push(part);
    if (!continued) {
      const joined = pending.parts.join(' ');
      const match = /^(\S+)\s*(.*)$/.exec(joined);
      if (match?.[1] !== undefined)
        instructions.push({ keyword: match[1].toUpperCase(), args: match[2] ?? '', line: pending.line });
      pending = undefined;
    }
  });
  return instructions;
};

export const stagesOf = (instructions: readonly Instruction[]): { globalArgs: Instruction[]; stages: Stage[] } => {
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const match = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(instruction.args);
      stages.push({ from: match?.[1] ?? '', name: match?.[2], instructions: [] });
    } else {
      const current = stages.at(-1);
      if (current === undefined) globalArgs.push(instruction);
      else current.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
};

/** The context paths a COPY/ADD instruction reads (none when it copies from a stage). */
export const contextSources = (instruction: Instruction): string[] => {
  if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') return [];
  let rest = instruction.args.trim();
  const flags: string[] = [];
  while (rest.startsWith('--')) {
    const match = /^(--\S+)\s+(.*)$/.exec(rest);
    if (match?.[1] === undefined) break;
    flags.push(match[1]);
    rest = match[2] ?? '';
  }
  if (flags.some((f) => f.startsWith('--from='))) return [];
  const words = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
  return words.slice(0, -1).map((source) => source.replace(/^\.\//, '').replace(/\/$/, '') || '.');
};

// --- .dockerignore --------------------------------------------------------------------------

interface IgnoreRule {
  negated: boolean;
  pattern: RegExp;
}

const patternRegex = (pattern: string): RegExp => {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '*' && pattern[i + 1] === '*') {
      // `**/` matches any number of folders (zero included); a trailing `**` anything.
      if (pattern[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
};

export const parseDockerignore = (text: string): IgnoreRule[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = path.posix
        .normalize((negated ? line.slice(1) : line).trim())
        .replace(/^\/+/, '')
        .replace(/\/+$/, '');
      return { negated, pattern: patternRegex(pattern) };
    });

/**
 * Whether a context path is left out, as Docker decides: the last rule that matches the path
 * or one of its parent folders wins.
 */
export const isIgnored = (rules: readonly IgnoreRule[], contextPath: string): boolean => {
  const parts = path.posix.normalize(contextPath).split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) if (candidates.some((candidate) => rule.pattern.test(candidate))) ignored = !rule.negated;
  return ignored;
};

/** Whether a context path is one of Tilt's `only` paths or lies under one. */
export const isUnderOnly = (only: readonly string[], contextPath: string): boolean => {
  const normal = path.posix.normalize(contextPath).replace(/\/$/, '');
  return only.some((entry) => {
    const base = path.posix.normalize(entry).replace(/\/$/, '');
    return base === '.' || normal === base || normal.startsWith(`${base}/`);
  });
};
