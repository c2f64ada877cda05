// Child processes the fault suite starts, kills and restarts: each writes to a log file of its own, and every one
// still running is killed when the suite's process exits, however it exits.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

const running = new Set<ChildProcess>();
/** Processes started by a library rather than here (embedded PostgreSQL), by how to find their pid at exit. */
const others = new Set<() => number | null>();
const killAll = () => {
  for (const child of running) child.kill('SIGKILL');
  for (const pidOf of others) {
    const pid = pidOf();
    if (pid) process.kill(pid, 'SIGQUIT');
  }
};

export function killAtExit(pidOf: () => number | null): void {
  others.add(pidOf);
}
process.on('exit', killAll);
// Ctrl-C ends the suite without its exit handlers unless it is caught: nothing may be left running.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });

export interface Managed {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<string>;
  kill(signal: NodeJS.Signals): Promise<string>;
}

export function startProcess(opts: {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
}): Managed {
  const log = fs.openSync(opts.logFile, 'a');
  const child = spawn(opts.command, opts.args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  if (child.pid === undefined) throw new Error(`${opts.name}: could not start ${opts.command}`);
  running.add(child);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(signal ?? `exit ${code}`);
    });
    child.once('error', (err) => {
      running.delete(child);
      resolve(`error ${err.message}`);
    });
  });
  return {
    name: opts.name,
    pid: child.pid,
    exited,
    async kill(signal) {
      if (running.has(child)) child.kill(signal);
      return await exited;
    },
  };
}

/** Resident set size of a process in MB (Linux), or 0 once it has gone. */
export function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Polls `check` until it returns true, or fails naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // Not up yet: the check is tried again until the deadline.
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(200);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
