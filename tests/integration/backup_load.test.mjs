// `staffroom backup PATH` while several clients keep posting, editing and reacting: every copy
// opens and passes PRAGMA integrity_check, and a server started on a copy sees a gap-free
// prefix of every channel (DESIGN.md "Durability"). The single-writer case is in cli.test.mjs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, copyFileSync, rmSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findDatabase, sqlite } from '../support/sqlite_files.mjs';
import { BIN, startServer, tempDataDir } from '../support/server.mjs';
import { registerUser } from '../support/http.mjs';
import { connect } from '../support/ws_client.mjs';
import { createChannel, assertConsecutive } from '../support/community.mjs';

const scratch = mkdtempSync(path.join(tmpdir(), 'staffroom-backup-load-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function runBin(args, timeoutMs) {
  return new Promise((resolve) => {
    const env = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('STAFFROOM_')) env[k] = v;
    const proc = spawn(BIN, args, { env, cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    proc.stderr.on('data', (d) => { stderr += d; });
    proc.stdout.resume();
    const timer = setTimeout(() => { timedOut = true; proc.kill('SIGKILL'); }, timeoutMs);
    proc.on('close', (code) => { clearTimeout(timer); resolve({ code, stderr, timedOut }); });
  });
}

test('three backups taken under continuous writes from four clients all pass integrity_check; a copy restores a gap-free prefix', async () => {
  assert.ok(existsSync('/usr/bin/sqlite3'), 'the sqlite3 shell checks the copies');
  const dataDir = tempDataDir();
  const restoreDir = tempDataDir();
  const server = await startServer({ dataDir, args: ['--post-rate', '0'] });
  let restored;
  const clients = [];
  let running = true;
  let loops = [];
  try {
    const writers = [];
    for (let w = 0; w < 3; w++) {
      const u = await registerUser(server.url, `writer.${w}`);
      const ws = await connect(server.wsUrl, { token: u.token });
      clients.push(ws);
      writers.push({ ws, token: u.token, ch: await createChannel(ws, `load-${w}`), posted: 0 });
    }
    const ed = await registerUser(server.url, 'editor.e');
    const e = await connect(server.wsUrl, { token: ed.token });
    clients.push(e);
    const ech = await createChannel(e, 'load-edits');
    const target = (await e.ok('post.create', { channel_id: ech.id, body: 'edit me' })).post;

    // A database of a few MB first, so that each copy takes a while.
    for (const w of writers) {
      for (let k = 0; k < 4; k++) {
        await Promise.all(Array.from({ length: 100 }, () => w.ws.ok('post.create', { channel_id: w.ch.id, body: `w ${w.posted++} ${'y'.repeat(4000)}` }, 30000)));
      }
    }
    // Each writer keeps five posts in flight; the editor alternates edits and reaction toggles.
    loops = writers.map((w) => (async () => {
      while (running) {
        await Promise.all(Array.from({ length: 5 }, () => w.ws.ok('post.create', { channel_id: w.ch.id, body: `w ${w.posted++} ${'z'.repeat(400)}` }, 20000)));
      }
    })());
    loops.push((async () => {
      let i = 0;
      while (running) {
        await e.ok('post.edit', { post_id: target.id, body: `edit ${i}` }, 20000);
        await e.ok('post.react', { post_id: target.id, emoji: '👍', on: i % 2 === 0 }, 20000);
        i++;
      }
    })());

    const copies = [];
    for (let k = 0; k < 3; k++) {
      const before = writers.reduce((s, w) => s + w.posted, 0);
      const out = path.join(scratch, `backup-${k}.db`);
      const t0 = Date.now();
      const r = await runBin(['backup', out, '--data-dir', dataDir], 60000);
      const ms = Date.now() - t0;
      const during = writers.reduce((s, w) => s + w.posted, 0) - before;
      assert.equal(r.timedOut, false, 'the backup finishes');
      assert.equal(r.code, 0, `backup ${k} exits 0; stderr: ${r.stderr}`);
      console.log(`backup ${k}: ${ms} ms, ${statSync(out).size} bytes, ${during} posts written meanwhile`);
      const check = sqlite(out, 'PRAGMA integrity_check;');
      assert.equal(check.out, 'ok', `backup ${k} integrity_check: ${check.out} ${check.err}`);
      const fk = sqlite(out, 'PRAGMA foreign_key_check;');
      assert.equal(fk.out, '', `backup ${k} foreign_key_check: ${fk.out} ${fk.err}`);
      const tables = sqlite(out, "SELECT count(*) FROM sqlite_master WHERE type='table';");
      assert.ok(Number(tables.out) > 0, `the copy has tables: ${tables.out} ${tables.err}`);
      copies.push(out);
    }
    running = false;
    await Promise.all(loops);
    const total = writers.reduce((s, w) => s + w.posted, 0);
    assert.ok(total >= 30, `the load kept writing (${total} posts)`);

    // The last copy is a working database with a consistent prefix of each channel.
    const dbName = findDatabase(dataDir);
    assert.ok(dbName, 'a SQLite database in the data dir');
    copyFileSync(copies.at(-1), path.join(restoreDir, dbName));
    restored = await startServer({ dataDir: restoreDir });
    const rws = await connect(restored.wsUrl, { token: writers[0].token });
    try {
      for (const w of writers) {
        let seqs = [];
        let after = 1;
        for (;;) {
          const h = await rws.ok('post.history', { channel_id: w.ch.id, after_seq: after, limit: 200 });
          seqs = seqs.concat(h.posts.map((p) => p.seq));
          if (!h.has_more) break;
          after = h.posts.at(-1).seq;
        }
        assertConsecutive(seqs, seqs.length ? 2 : undefined, `${w.ch.slug} in the copy`);
        assert.ok(seqs.length <= w.posted, 'no post the server did not acknowledge');
        const listed = (await rws.ok('channel.list')).channels.find((c) => c.id === w.ch.id);
        assert.equal(listed.last_seq, seqs.length ? seqs.at(-1) : 1, 'last_seq matches the copied posts');
      }
    } finally {
      await rws.close();
    }
  } finally {
    running = false;
    await Promise.allSettled(loops);
    for (const c of clients) await c.close();
    if (restored) await restored.stop({ removeData: true });
    await server.stop({ removeData: true });
  }
});
