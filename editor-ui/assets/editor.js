// Progressive enhancement for the post editor: a live Markdown preview
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
