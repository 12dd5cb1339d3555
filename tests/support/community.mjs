// Small shared steps for the channel/post integration tests: typed error checks, event
// predicates, channel and post shortcuts, metrics reads and seq checks (all waits bounded).
import assert from 'node:assert/strict';
import { httpRequest, parseMetrics } from './http.mjs';
import { sleep } from './ws_client.mjs';

export const ISO_MS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** How long "nothing else arrives" is watched. */
export const QUIET_MS = 400;

/** Asserts a reply is an error with the given code. */
export function assertError(reply, code) {
  assert.equal(reply.ok, false, `expected ${code}, got ${JSON.stringify(reply).slice(0, 400)}`);
  assert.equal(reply.error?.code, code, `expected ${code}, got ${JSON.stringify(reply).slice(0, 400)}`);
}

/** Predicate for a channel event of one kind (and optionally one seq). */
export function isEvent(kind, channelId, seq) {
  return (e) => e.event === kind && e.channel_id === channelId && (seq === undefined || e.seq === seq);
}

/** Creates a channel as `client` and returns the channel from the reply. */
export async function createChannel(client, slug, extra = {}) {
  const r = await client.ok('channel.create', { slug, title: `Title of ${slug}`, ...extra });
  return r.channel;
}

/** Posts and resolves to the reply's post. */
export async function post(client, channelId, body, extra = {}) {
  const r = await client.ok('post.create', { channel_id: channelId, body, ...extra });
  return r.post;
}

/** The channel as it appears in client's channel.list (optionally with archived ones), or undefined. */
export async function listed(client, channelId, fields = {}) {
  const r = await client.ok('channel.list', fields);
  return r.channels.find((c) => c.id === channelId);
}

/** GET /metrics parsed into a Map. */
export async function readMetrics(baseUrl) {
  const r = await httpRequest(baseUrl, '/metrics');
  assert.equal(r.status, 200, r.text);
  return parseMetrics(r.text);
}

/** Asserts the seqs are consecutive integers starting at `first` (when given). */
export function assertConsecutive(seqs, first, what = 'seqs') {
  if (seqs.length === 0) return;
  if (first !== undefined) assert.equal(seqs[0], first, `${what} start at ${first}: ${JSON.stringify(seqs)}`);
  for (let i = 1; i < seqs.length; i++) {
    assert.equal(seqs[i], seqs[i - 1] + 1, `${what} gap-free and in order at index ${i}: ${JSON.stringify(seqs.slice(Math.max(0, i - 5), i + 5))}`);
  }
}

/** Waits QUIET_MS (or ms) and asserts the client received no event matching predicate. */
export async function assertNoEvent(client, predicate, what, ms = QUIET_MS) {
  await sleep(ms);
  const got = client.eventsWhere(predicate);
  assert.equal(got.length, 0, `${what}: ${JSON.stringify(got).slice(0, 400)}`);
}

/**
 * Registers the given [key, handle, display name] users on a server started with
 * `--post-rate 0`, connects each, and stops everything after the file's tests (asserting a
 * clean exit). Returns { server(), U, c } where U[key] is the registration and c[key] the
 * connected client.
 */
export function useCommunity(people, { before, after, assert, startServer, registerUser, connect }) {
  let server;
  const U = {};
  const c = {};
  before(async () => {
    server = await startServer({ args: ['--post-rate', '0'] });
    for (const [key, handle, name] of people) {
      U[key] = await registerUser(server.url, handle, 'correct horse battery', name);
      c[key] = await connect(server.wsUrl, { token: U[key].token });
    }
  });
  after(async () => {
    for (const k of Object.keys(c)) await c[k]?.close();
    if (server) {
      const exit = await server.stop();
      assert.equal(exit.code, 0, `server exit ${JSON.stringify(exit)}; stderr: ${server.stderr()}`);
    }
  });
  return { server: () => server, U, c };
}
