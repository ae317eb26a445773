// On a public article page, staff signed in to the editor get a link to
// edit the post. The marker cookie grants nothing: the editor checks the
// session. Readers without it load this file once (cached) and see nothing.
(function () {
  if (!/(?:^|; )portal_staff=1/.test(document.cookie)) return;
  var article = document.querySelector('article[data-post]');
  if (!article) return;
  var p = document.createElement('p');
  var link = document.createElement('a');
  link.href = '/editor/posts/' + article.getAttribute('data-post');
  link.className = 'staff-edit';
  link.textContent = document.documentElement.lang === 'en' ? 'Edit this post' : 'Sửa bài này';
  p.appendChild(link);
  article.insertBefore(p, article.firstChild);
})();
