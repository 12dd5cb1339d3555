// Finds and inspects SQLite files the server wrote, with Debian's sqlite3 shell.
import { readdirSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** Runs one statement with /usr/bin/sqlite3: { out, err, status }. */
export function sqlite(file, sql) {
  const r = spawnSync('/usr/bin/sqlite3', [file, sql], { encoding: 'utf8', timeout: 30000 });
  return { out: r.stdout.trim(), err: r.stderr.trim(), status: r.status };
}

/**
 * The SQLite database file in a data dir, found by its header rather than its name; not the
 * search index beside it (`<name>-search.<ext>`, rebuilt from the database).
 */
export function findDatabase(dir) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (/-search\.[^.]*$/.test(name)) continue;
    if (!statSync(file).isFile() || statSync(file).size < 100) continue;  // the header is 100 bytes
    const fd = openSync(file, 'r');
    const head = Buffer.alloc(16);
    readSync(fd, head, 0, 16, 0);
    closeSync(fd);
    if (head.toString('latin1') === 'SQLite format 3\u0000') return name;
  }
  return null;
}
