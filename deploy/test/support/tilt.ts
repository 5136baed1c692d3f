/**
 * Reads a Tiltfile through tiltfile_checker.py (Python's ast for the Starlark check, then an
 * evaluation with stand-ins for Tilt's builtins that records what the file declares).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './k8s.js';

export const tiltfilePath = path.join(repoRoot, 'Tiltfile');
const checker = path.join(__dirname, 'tiltfile_checker.py');

export interface LiveUpdateStep {
  kind: 'sync' | 'run' | 'fall_back_on' | 'restart_container';
  local_path?: string;
  remote_path?: string;
  cmd?: string;
  trigger?: string[];
  files?: string[];
}

export interface DockerBuild {
  ref: string;
  context: string;
  dockerfile: string;
  build_args: Record<string, string>;
  only: string[];
  ignore: string[];
  entrypoint: string | string[];
  target: string;
  live_update: LiveUpdateStep[];
}

export interface PortForward {
  local?: number;
  container?: number;
  host?: string | null;
  invalid?: string;
}

export interface K8sResource {
  workload: string;
  new_name: string;
  port_forwards: PortForward[];
  resource_deps: string[];
  objects: string[];
  labels: string[];
  links: string[];
}

export interface LocalResource {
  name: string;
  cmd: string;
  serve_cmd: string;
  deps: string[];
  ignore: string[];
  resource_deps: string[];
  labels: string[];
  trigger_mode: string | null;
  auto_init: boolean;
}

export interface TiltCalls {
  docker_build: DockerBuild[];
  k8s_resource: K8sResource[];
  local_resource: LocalResource[];
  k8s_yaml: unknown[];
  local: { command: string | string[]; dir: string }[];
}

export interface TiltfileReport {
  violations: { line: number; message: string }[];
  calls: TiltCalls | null;
}

/** Why python3 cannot be used here, or undefined when it can. */
export const python3Unavailable = (): string | undefined => {
  const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (probe.error) return `python3 is not installed (${probe.error.message})`;
  if (probe.status !== 0) return `\`python3 --version\` failed: ${probe.stderr.trim()}`;
  return undefined;
};

/** Declares a suite that needs python3, or prints why it is skipped. */
export const withPython3 = (title: string, declare: () => void): void => {
  const reason = python3Unavailable();
  if (reason !== undefined) {
    console.log(`${title} skipped: ${reason}`);
    describe.skip(title, () => it('needs python3', () => undefined));
    return;
  }
  describe(title, declare);
};

export const checkTiltfile = (file: string = tiltfilePath): TiltfileReport => {
  const result = spawnSync('python3', [checker, file], { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`tiltfile_checker.py failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as TiltfileReport;
};

/** Checks Tiltfile source text (written to a temporary file). */
export const checkTiltfileSource = (source: string): TiltfileReport => {
  const dir = mkdtempSync(path.join(tmpdir(), 'workshare-tiltfile-'));
  try {
    const file = path.join(dir, 'Tiltfile');
    writeFileSync(file, source);
    return checkTiltfile(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** The calls of a Tiltfile that must pass the Starlark check (throws with the violations). */
export const tiltCalls = (report: TiltfileReport): TiltCalls => {
  if (report.violations.length > 0 || report.calls === null) {
    throw new Error(`Tiltfile rejected: ${report.violations.map((v) => `line ${v.line}: ${v.message}`).join('; ')}`);
  }
  return report.calls;
};
