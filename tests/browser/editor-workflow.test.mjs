// An editor writes a post with an image, submits it, and it goes through
// the approval chain with the other accounts until it is published.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createUsers, launchBrowser, login, startPortal, passwordOf } from './harness.mjs';

// A 2 × 2 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

let portal;
let browser;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  await createUsers(portal.base, [
    ['bientap', ['editor']],
    ['bientap2', ['editor']],
    ['phoban', ['board_deputy_standing']],
  ]);
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

async function as(username) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, portal.base, username, passwordOf(username));
  return page;
}

test('write, illustrate, submit, approve twice and publish', async () => {
  const editor = await as('bientap');
  await editor.click('text=Viết bài mới (vi)');
  await editor.fill('#f-title', 'Hướng dẫn tra cứu quá trình đóng BHXH');
  await editor.selectOption('#f-section', { label: 'Tin tức' });
  await editor.fill('#f-summary', 'Người lao động có thể tự tra cứu trên Cổng.');
  await editor.fill('#f-body', 'Các bước **tra cứu**:\n\n1. Truy cập Cổng\n2. Nhập mã số BHXH');
  await editor.click('#save');
  await editor.waitForURL(/\/editor\/posts\/\d+/);
  const url = editor.url().split('?')[0];
  assert.match(await editor.textContent('#preview'), /tra cứu/);

  await editor.setInputFiles('#u-file', { name: 'tra-cuu.png', mimeType: 'image/png', buffer: PNG });
  await editor.fill('#u-alt', 'Màn hình tra cứu quá trình đóng');
  await editor.fill('#u-credit', 'Trung tâm Truyền thông');
  await editor.click('#upload');
  await editor.waitForURL(/saved=1/);
  assert.match(await editor.inputValue('#f-body'), /!\[Màn hình tra cứu quá trình đóng\]\(\/media\/\d+\/2\.webp\)/);
  const img = await editor.$('#preview img');
  assert.ok(img, 'the image shows in the preview');

  await editor.click('#action-submit');
  await editor.waitForLoadState();
  assert.equal(await editor.getAttribute('#post-state', 'data-state'), 'submitted');
  assert.equal(await editor.$('#action-approve'), null, 'no approving one\'s own post');

  const second = await as('bientap2');
  assert.match(await second.textContent('#awaiting'), /Hướng dẫn tra cứu/);
  await second.goto(url);
  await second.click('#action-approve');
  await second.waitForLoadState();
  assert.equal(await second.getAttribute('#post-state', 'data-state'), 'in_review');

  const deputy = await as('phoban');
  await deputy.goto(url);
  await deputy.click('#action-approve');
  await deputy.waitForLoadState();
  assert.equal(await deputy.getAttribute('#post-state', 'data-state'), 'approved');

  await editor.goto(url);
  await editor.click('#action-publish');
  await editor.waitForLoadState();
  assert.equal(await editor.getAttribute('#post-state', 'data-state'), 'published');
  const history = await editor.textContent('#history');
  assert.match(history, /Gửi duyệt/);
  assert.match(history, /Xuất bản/);
});
