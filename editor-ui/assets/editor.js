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

// The writing toolbar over the Markdown field: headings, bold, italic,
// lists, link, image from the library, table, quote, with Ctrl+B, Ctrl+I
// and Ctrl+K; an image pasted or dropped into the field is uploaded to
// the library and inserted. Its words come from the page (`data-*`).
(function () {
  var body = document.getElementById('f-body');
  var words = document.getElementById('toolbar-words');
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (!body || !words || !meta) return;
  var w = function (k) { return words.getAttribute('data-' + k) || k; };
  var changed = function () { body.dispatchEvent(new Event('input')); body.focus(); };
  var wrap = function (before, after, fallback) {
    var s = body.selectionStart, e = body.selectionEnd;
    var picked = body.value.slice(s, e) || fallback;
    body.setRangeText(before + picked + after, s, e, 'end');
    body.selectionStart = s + before.length;
    body.selectionEnd = s + before.length + picked.length;
    changed();
  };
  var lines = function (prefix) {
    var s = body.value.lastIndexOf('\n', body.selectionStart - 1) + 1;
    var e = body.selectionEnd;
    var block = body.value.slice(s, e) || w('text');
    var n = 0;
    var out = block.split('\n').map(function (l) {
      n += 1;
      return (typeof prefix === 'function' ? prefix(n) : prefix) + l;
    }).join('\n');
    body.setRangeText(out, s, e, 'end');
    changed();
  };
  var insert = function (text) {
    body.setRangeText(text, body.selectionStart, body.selectionEnd, 'end');
    changed();
  };
  var link = function () {
    var url = window.prompt(w('link-prompt'), 'https://');
    if (url) wrap('[', '](' + url + ')', w('text'));
  };
  var imageMarkdown = function (m) {
    var webp = (m.derivatives || []).filter(function (d) { return d.format === 'webp'; });
    var src = webp.length ? webp[webp.length - 1].url : m.url;
    return '\n\n![' + (m.alt || '').replace(/[[\]]/g, '') + '](' + src + ')\n';
  };
  var upload = function (file) {
    var alt = window.prompt(w('alt-prompt'), '');
    if (alt === null) return;
    var data = new FormData();
    data.append('file', file);
    data.append('alt', alt);
    var status = document.getElementById('toolbar-status');
    status.textContent = w('uploading');
    fetch('/api/v1/media', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': meta.content }, body: data })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (r) {
        if (!r.ok) { status.textContent = w('upload-failed'); return; }
        status.textContent = '';
        insert(imageMarkdown(r.j));
      })
      .catch(function () { status.textContent = w('upload-failed'); });
  };
  var library = function () {
    var dialog = document.getElementById('library-picker');
    var list = dialog.querySelector('ul');
    list.textContent = '';
    fetch('/api/v1/media?limit=60', { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (items) {
        items.filter(function (m) { return m.kind === 'image'; }).forEach(function (m) {
          var li = document.createElement('li');
          var b = document.createElement('button');
          b.type = 'button';
          var img = document.createElement('img');
          img.src = (m.derivatives[0] || m).url;
          img.alt = '';
          img.width = 120;
          b.appendChild(img);
          b.appendChild(document.createTextNode(m.alt || m.file_name));
          b.addEventListener('click', function () { dialog.close(); insert(imageMarkdown(m)); });
          li.appendChild(b);
          list.appendChild(li);
        });
      });
    dialog.showModal();
  };
  var tools = [
    ['h2', function () { lines('## '); }],
    ['h3', function () { lines('### '); }],
    ['bold', function () { wrap('**', '**', w('text')); }, 'b'],
    ['italic', function () { wrap('_', '_', w('text')); }, 'i'],
    ['list', function () { lines('- '); }],
    ['numbered', function () { lines(function (n) { return n + '. '; }); }],
    ['link', link, 'k'],
    ['image', library],
    ['table', function () { insert('\n\n| ' + w('column') + ' 1 | ' + w('column') + ' 2 |\n| --- | --- |\n|   |   |\n'); }],
    ['quote', function () { lines('> '); }],
  ];
  var bar = document.createElement('div');
  bar.className = 'toolbar';
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', w('toolbar'));
  bar.setAttribute('aria-controls', 'f-body');
  var keys = {};
  tools.forEach(function (t) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = w(t[0]);
    if (t[2]) {
      b.setAttribute('aria-keyshortcuts', 'Control+' + t[2].toUpperCase());
      b.title = w(t[0]) + ' (Ctrl+' + t[2].toUpperCase() + ')';
      keys[t[2]] = t[1];
    }
    b.addEventListener('click', t[1]);
    bar.appendChild(b);
  });
  var status = document.createElement('span');
  status.id = 'toolbar-status';
  status.setAttribute('role', 'status');
  bar.appendChild(status);
  body.parentNode.insertBefore(bar, body);
  body.addEventListener('keydown', function (e) {
    var f = (e.ctrlKey || e.metaKey) && keys[e.key.toLowerCase()];
    if (f) { e.preventDefault(); f(); }
  });
  body.addEventListener('paste', function (e) {
    var files = Array.prototype.filter.call((e.clipboardData || {}).files || [], function (f) { return /^image\//.test(f.type); });
    if (files.length) { e.preventDefault(); upload(files[0]); }
  });
  body.addEventListener('dragover', function (e) { e.preventDefault(); });
  body.addEventListener('drop', function (e) {
    var files = Array.prototype.filter.call((e.dataTransfer || {}).files || [], function (f) { return /^image\//.test(f.type); });
    if (files.length) { e.preventDefault(); upload(files[0]); }
  });
})();
