// Progressive enhancement for the editor: a live Markdown preview
// rendered (and sanitised) by the server. Everything works without it.
(function () {
  var body = document.getElementById('f-body');
  var preview = document.getElementById('preview');
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (!body || !preview || !meta) return;
  var timer = null;
  body.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch('/api/v1/preview', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': meta.content },
        body: JSON.stringify({ body: body.value })
      }).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) { if (j) preview.innerHTML = j.html; })
        .catch(function () {});
    }, 300);
  });
})();

// The editing lock: renewed every five minutes while the edit page is
// open, given back when the page is left. Without the script the lock
// simply expires after fifteen minutes.
(function () {
  var form = document.getElementById('post-form');
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (!form || !meta || form.getAttribute('data-lock') !== 'mine') return;
  var base = '/editor/posts/' + form.getAttribute('data-post');
  var body = function () { return new URLSearchParams({ csrf: meta.content }); };
  var leaving = false;
  form.addEventListener('submit', function () { leaving = true; });
  setInterval(function () {
    fetch(base + '/lock', { method: 'POST', credentials: 'same-origin', body: body() }).catch(function () {});
  }, 5 * 60 * 1000);
  window.addEventListener('pagehide', function () {
    if (leaving) return;
    if (navigator.sendBeacon) navigator.sendBeacon(base + '/release', body());
  });
})();

// Uploads with a progress bar: the form is sent by XMLHttpRequest, and a
// refusal is shown beside the form, which keeps what was typed.
(function () {
  var forms = document.querySelectorAll('form[data-upload]');
  Array.prototype.forEach.call(forms, function (form) {
    var bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.hidden = true;
    var status = document.createElement('p');
    status.setAttribute('role', 'status');
    form.appendChild(bar);
    form.appendChild(status);
    form.addEventListener('submit', function (e) {
      if (!window.FormData || !window.XMLHttpRequest) return;
      e.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.upload.addEventListener('progress', function (p) {
        if (p.lengthComputable) {
          bar.value = Math.round((p.loaded / p.total) * 100);
          status.textContent = bar.value + ' %';
        }
      });
      xhr.addEventListener('load', function () {
        if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL && xhr.responseURL !== form.action) {
          window.location.href = xhr.responseURL;
          return;
        }
        bar.hidden = true;
        var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
        var err = doc.querySelector('[role="alert"]');
        status.className = 'error';
        status.textContent = err ? err.textContent : (form.getAttribute('data-failed') || '');
      });
      xhr.addEventListener('error', function () {
        bar.hidden = true;
        status.className = 'error';
        status.textContent = form.getAttribute('data-failed') || '';
      });
      bar.hidden = false;
      status.className = '';
      status.textContent = '0 %';
      xhr.send(new FormData(form));
    });
  });
})();
