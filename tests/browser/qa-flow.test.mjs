// A citizen asks on the public form (typing a phone number into the
// question); a coordinator forwards it, a responder of that unit answers,
// a board member approves, the coordinator takes the phone number out of
// the wording that goes public and publishes, and the answer appears on
// the public Q&A page without it. Every status and history line on the
// screens is in Vietnamese words, with the acting person's name.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, launchBrowser, login, startPortal, passwordOf } from './harness.mjs';

let portal;
let browser;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  const r = await fetch(`${portal.base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const { token } = await r.json();
  const units = await (await fetch(`${portal.base}/api/v1/units`)).json();
  const office = units.find((u) => u.code === 'office').id;
  for (const [username, roles, unit_id] of [['dieuphoi', ['qa_coordinator'], null], ['traloi', ['qa_responder'], office], ['uyvien', ['board_member'], null]]) {
    const res = await fetch(`${portal.base}/api/v1/users`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ username, password: passwordOf(username), display_name: username, roles, unit_id }),
    });
    assert.equal(res.status, 201);
  }
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

async function as(username) {
  const page = await (await browser.newContext()).newPage();
  await login(page, portal.base, username, passwordOf(username));
  return page;
}

test('ask, forward, answer, approve, publish', async () => {
  const citizen = await (await browser.newContext()).newPage();
  await citizen.goto(`${portal.base}/vi/hoi-dap/dat-cau-hoi`);
  await citizen.fill('#q-name', 'Hoàng Văn Em');
  await citizen.fill('#q-email', 'em@example.vn');
  await citizen.selectOption('#q-category', 'unemployment_insurance');
  await citizen.fill('#q-title', 'Hưởng trợ cấp thất nghiệp bao lâu?');
  await citizen.fill('#q-content', 'Tôi đóng bảo hiểm thất nghiệp 5 năm thì được hưởng bao nhiêu tháng? Số của tôi 0912 345 678.');
  await citizen.check('input[name=consent]');
  await citizen.click('#ask-submit');
  const code = (await citizen.textContent('#tracking-code')).trim();
  assert.equal(code.length, 10);

  const coordinator = await as('dieuphoi');
  await coordinator.goto(`${portal.base}/editor/qa`);
  await coordinator.click('text=Hưởng trợ cấp thất nghiệp bao lâu?');
  await coordinator.check('label.check:text-is("Văn phòng") input');
  await coordinator.click('#qa-action-forward');
  await coordinator.waitForLoadState();
  assert.equal(await coordinator.getAttribute('#qa-status', 'data-status'), 'forwarded');
  const url = coordinator.url();

  const responder = await as('traloi');
  await responder.goto(url);
  await responder.fill('#draft_answer-answer', 'Đóng đủ 36 tháng được hưởng 3 tháng; cứ thêm 12 tháng được thêm 1 tháng.');
  await responder.click('#qa-action-draft_answer');
  await responder.waitForLoadState();
  assert.equal(await responder.getAttribute('#qa-status', 'data-status'), 'answered');

  const board = await as('uyvien');
  await board.goto(url);
  await board.click('#qa-action-approve_answer');
  await board.waitForLoadState();

  await coordinator.goto(url);
  assert.match(await coordinator.textContent('#qa-status'), /Đã duyệt, chờ đăng/);
  assert.match(await coordinator.textContent('#qa-flags'), /số điện thoại: 0912 345 678/);
  await coordinator.click('#qa-action-publish');
  await coordinator.waitForLoadState();
  assert.match(await coordinator.textContent('[role=alert]'), /thông tin cá nhân: 0912 345 678/);
  assert.equal(await coordinator.getAttribute('#qa-status', 'data-status'), 'approved');
  await coordinator.fill('#publish-content', 'Tôi đóng bảo hiểm thất nghiệp 5 năm thì được hưởng bao nhiêu tháng?');
  await coordinator.click('#qa-action-publish');
  await coordinator.waitForLoadState();
  assert.equal(await coordinator.getAttribute('#qa-status', 'data-status'), 'published');
  assert.match(await coordinator.textContent('#qa-status'), /Đã đăng trên Cổng/);
  const history = await coordinator.textContent('#qa-history');
  assert.match(history, /dieuphoi.*Chuyển đơn vị/s);
  assert.match(history, /traloi \(Văn phòng\): Gửi câu trả lời/);
  assert.doesNotMatch(history, /draft_answer|forward|approve_answer|received|classify/);

  let listed = false;
  for (let i = 0; i < 20 && !listed; i++) {
    await citizen.goto(`${portal.base}/vi/hoi-dap/bao-hiem-that-nghiep`);
    listed = (await citizen.content()).includes('Hưởng trợ cấp thất nghiệp bao lâu?');
    if (!listed) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(listed, 'the answer is on the public Q&A page');
  await citizen.click('text=Hưởng trợ cấp thất nghiệp bao lâu?');
  const html = await citizen.content();
  assert.match(html, /36 tháng/);
  assert.ok(!html.includes('Hoàng Văn Em') && !html.includes('em@example.vn'), 'no personal data');
  assert.ok(!html.includes('0912 345 678'), 'the phone number typed into the question stays private');
  // The asker tracks it by a form POST: the address never enters a URL.
  await citizen.goto(`${portal.base}/vi/hoi-dap/tra-cuu?code=${code}`);
  assert.equal(await citizen.inputValue('#t-code'), code);
  await citizen.fill('#t-email', 'em@example.vn');
  await citizen.click('main form[method=post] button[type=submit]');
  await citizen.waitForSelector('#track-status');
  assert.ok(!citizen.url().includes('example.vn'), citizen.url());
  assert.match(await citizen.textContent('#track-status'), /Đã/);
  // A published answer is withdrawn: the public list follows.
  await coordinator.goto(url);
  await coordinator.fill('#withdraw-reason', 'Chính sách đã thay đổi, cần cập nhật.');
  await coordinator.click('#qa-action-withdraw');
  await coordinator.waitForLoadState();
  assert.equal(await coordinator.getAttribute('#qa-status', 'data-status'), 'approved');
  assert.match(await coordinator.textContent('#qa-history'), /dieuphoi: Gỡ khỏi Cổng — Chính sách đã thay đổi/);
  // A new reader (the first one's browser may keep the page a minute).
  const reader = await (await browser.newContext()).newPage();
  let gone = false;
  for (let i = 0; i < 20 && !gone; i++) {
    await reader.goto(`${portal.base}/vi/hoi-dap/bao-hiem-that-nghiep`);
    gone = !(await reader.content()).includes('Hưởng trợ cấp thất nghiệp bao lâu?');
    if (!gone) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(gone, 'the withdrawn answer leaves the public page');
});
