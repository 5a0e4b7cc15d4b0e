// Samba's processes, found and stopped by pid only (never by name: other labs run the same binary).
// `samba -D` daemonizes as a session leader, so the master's pid is also the session id of every
// worker it forks (ldap master, prefork workers, their tfork helpers).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Fields of /proc/<pid>/stat after the `(comm)` part, which may itself contain spaces or parentheses. */
async function statFields(pid: number): Promise<string[] | null> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** True while `pid` exists and is not a zombie (a killed worker is a zombie until init reaps it). */
async function isRunning(pid: number): Promise<boolean> {
  const fields = await statFields(pid);
  return fields !== null && fields[0] !== 'Z' && fields[0] !== 'X';
}

async function anyRunning(pids: number[]): Promise<boolean> {
  return (await Promise.all(pids.map(isRunning))).some(Boolean);
}

async function runningOf(pids: number[]): Promise<number[]> {
  const flags = await Promise.all(pids.map(isRunning));
  return pids.filter((_, i) => flags[i]);
}

/** Every live pid whose session id is `sid` (the session leader included). */
export async function sessionPids(sid: number): Promise<number[]> {
  const entries = await fs.readdir('/proc');
  const pids: number[] = [];
  await Promise.all(
    entries.map(async (entry) => {
      if (!/^\d+$/.test(entry)) return;
      const fields = await statFields(Number(entry));
      // after comm: state(0) ppid(1) pgrp(2) session(3)
      if (fields && Number(fields[3]) === sid && fields[0] !== 'Z') pids.push(Number(entry));
    }),
  );
  return pids.sort((a, b) => a - b);
}

async function readPid(pidFile: string): Promise<number | null> {
  try {
    const pid = Number.parseInt((await fs.readFile(pidFile, 'utf8')).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** True when `pid` has `file` open (the Samba master keeps its pid file open while it runs). */
async function holdsOpen(pid: number, file: string): Promise<boolean> {
  try {
    const fds = await fs.readdir(`/proc/${pid}/fd`);
    for (const fd of fds) {
      const target = await fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      if (target === file) return true;
    }
  } catch {
    // the process is gone
  }
  return false;
}

/**
 * The pid of the running Samba master of this instance, or null. The pid must be a live samba
 * process that holds this very pid file open: after a reboot the number in a stale pid file can
 * belong to another lab's samba, which must never be mistaken for ours (and stopped).
 */
export async function runningPid(pidFile: string): Promise<number | null> {
  const pid = await readPid(pidFile);
  if (pid === null || !(await isRunning(pid))) return null;
  try {
    const exe = await fs.readlink(`/proc/${pid}/exe`);
    if (!/\/samba( \(deleted\))?$/.test(exe)) return null;
  } catch {
    return null;
  }
  return (await holdsOpen(pid, path.resolve(pidFile))) ? pid : null;
}

/**
 * SIGTERM the master, wait for it (it stops its own workers), then SIGKILL any process of its
 * session still alive. Returns the pids that were part of the lab.
 */
export async function stopSession(pid: number, graceMs = 10_000): Promise<number[]> {
  const before = await sessionPids(pid);
  if (!before.includes(pid)) before.push(pid);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && (await anyRunning(before))) await sleep(50);
  const leftovers = await runningOf([...new Set([...before, ...(await sessionPids(pid))])]);
  for (const p of leftovers) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  const killDeadline = Date.now() + 5_000;
  while (Date.now() < killDeadline && (await anyRunning(leftovers))) await sleep(50);
  const survivors = await runningOf(leftovers);
  if (survivors.length > 0) throw new Error(`lab processes survived SIGKILL: ${survivors.join(', ')}`);
  return before;
}
