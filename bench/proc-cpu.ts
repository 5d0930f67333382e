import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  cpuSec: number;
  rssBytes: number;
}

function stat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, rss 24 (pages)
    return {
      pid,
      comm,
      ppid: Number(fields[1]),
      cpuSec: (Number(fields[11]) + Number(fields[12])) / TICKS,
      rssBytes: Number(fields[21]) * 4096,
    };
  } catch {
    return undefined;
  }
}

/** `root` and every process below it, as they are now. */
export function processTree(root: number): ProcStat[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => stat(Number(d)))
    .filter((s): s is ProcStat => s !== undefined);
  const children = new Map<number, ProcStat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const found: ProcStat[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      found.push(c);
      walk(c.pid);
    }
  };
  const self = all.find((s) => s.pid === root);
  if (self) found.push(self);
  walk(root);
  return found;
}

/** CPU seconds used so far by a process tree (only processes alive now are counted). */
export function treeCpuSec(root: number, filter: (s: ProcStat) => boolean = () => true): number {
  return processTree(root)
    .filter(filter)
    .reduce((sum, s) => sum + s.cpuSec, 0);
}

export function treeRssBytes(root: number): number {
  return processTree(root).reduce((sum, s) => sum + s.rssBytes, 0);
}
