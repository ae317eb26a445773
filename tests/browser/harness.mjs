// Starts the real `portal` binary on a free port with a temporary data
// directory, and Debian's headless Chromium to drive it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ADMIN_PASSWORD = 'Quản trị trình duyệt: mưa phùn tháng hai 2026';

/** The password of a test account: long and unrelated to the name (the
 * portal refuses common passwords and names). */
export function passwordOf(username) {
  let h = 0x811c9dc5;
  for (const c of username) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return `Trời xanh, gió mát ${(h & 0xffffff).toString(16)}`;
}

const here = new URL('.', import.meta.url).pathname;
const bin = process.env.PORTAL_BIN ?? resolve(here, '../../target/debug/portal');

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

export async function startPortal(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'portal-browser-'));
  const port = await freePort();
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PORTAL_')));
  const child = spawn(bin, ['serve'], {
    env: {
      ...inherited,
      PORTAL_DATA_DIR: dir,
      PORTAL_LISTEN: `127.0.0.1:${port}`,
      PORTAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PORTAL_TWO_FACTOR_ROLES: '',
      PORTAL_BACKUP_KEEP: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`portal exited early:\n${log}`);
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`portal not ready:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

// Logs in through the editor's login form.
export async function login(page, base, username, password) {
  await page.goto(`${base}/editor/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/editor`);
}

// Creates accounts through the API as the first admin.
export async function createUsers(base, users) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const { token } = await r.json();
  for (const [username, roles] of users) {
    const res = await fetch(`${base}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ username, password: passwordOf(username), display_name: `User ${username}`, roles }),
    });
    if (res.status !== 201) throw new Error(`cannot create ${username}: ${await res.text()}`);
  }
}

async function api(base, token, method, path, body) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function token(base, username, password) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return (await r.json()).token;
}

// Publishes posts through the whole approval chain (users from
// `createUsers` with the roles contributor, editor, board_deputy_standing:
// `phongvien`, `bientap`, `phoban`). Returns their public URLs.
export async function publishPosts(base, posts) {
  const pv = await token(base, 'phongvien', passwordOf('phongvien'));
  const bt = await token(base, 'bientap', passwordOf('bientap'));
  const pb = await token(base, 'phoban', passwordOf('phoban'));
  const urls = [];
  for (const post of posts) {
    const sections = await api(base, pv, 'GET', `/sections?edition=${post.edition}`);
    const section = sections[post.section - 1];
    const created = await api(base, pv, 'POST', '/posts', { ...post, section_id: section.id });
    await api(base, pv, 'POST', `/posts/${created.id}/transitions`, { action: 'submit' });
    await api(base, bt, 'POST', `/posts/${created.id}/transitions`, { action: 'approve' });
    await api(base, pb, 'POST', `/posts/${created.id}/transitions`, { action: 'approve' });
    const moved = await api(base, bt, 'POST', `/posts/${created.id}/transitions`, { action: 'publish' });
    urls.push(moved.post.public_url);
  }
  return urls;
}

// Publishes structured entries (`documents`, `consultations`, `directory`…)
// through the whole approval chain, as `publishPosts` does. Returns their
// public URLs.
export async function publishEntries(base, plural, entries) {
  const pv = await token(base, 'phongvien', passwordOf('phongvien'));
  const bt = await token(base, 'bientap', passwordOf('bientap'));
  const pb = await token(base, 'phoban', passwordOf('phoban'));
  const urls = [];
  for (const entry of entries) {
    const created = await api(base, pv, 'POST', `/${plural}`, entry);
    await api(base, pv, 'POST', `/${plural}/${created.id}/transitions`, { action: 'submit' });
    await api(base, bt, 'POST', `/${plural}/${created.id}/transitions`, { action: 'approve' });
    await api(base, pb, 'POST', `/${plural}/${created.id}/transitions`, { action: 'approve' });
    const moved = await api(base, bt, 'POST', `/${plural}/${created.id}/transitions`, { action: 'publish' });
    urls.push(moved.entry.public_url);
  }
  return urls;
}
