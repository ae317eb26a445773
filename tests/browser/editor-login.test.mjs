// An admin logs in at /editor and sees the dashboard with name, roles and unit.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, launchBrowser, startPortal } from './harness.mjs';

let portal;
let browser;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

test('log in at /editor and see the dashboard', async () => {
  const page = await browser.newPage();
  await page.goto(`${portal.base}/editor`);
  assert.match(page.url(), /\/editor\/login/);
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  await page.fill('#username', 'admin');
  await page.fill('#password', 'wrong password');
  await page.click('button[type=submit]');
  assert.match(await page.textContent('[role=alert]'), /Sai tên đăng nhập/);
  await page.fill('#password', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${portal.base}/editor`);
  assert.match(await page.textContent('h1'), /Quản trị hệ thống/);
  assert.match(await page.textContent('#me-roles'), /Quản trị hệ thống/);
  assert.match(await page.textContent('#me-unit'), /Trung tâm Công nghệ thông tin/);
  await page.click('text=English');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.textContent('#me-unit'), /IT Centre/);
  await page.click('text=Log out');
  await page.waitForURL(/\/editor\/login/);
});
