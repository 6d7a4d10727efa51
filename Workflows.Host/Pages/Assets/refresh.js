// Progressive enhancement for staff pages: every 60 seconds the parts marked data-live are fetched again and
// replaced, unless the visitor is typing in a form. Without JavaScript the page simply stays as it was loaded.
(function () {
  var parts = document.querySelectorAll('[data-live]');
  if (!parts.length || !window.fetch || !window.DOMParser) { return; }
  setInterval(function () {
    var active = document.activeElement;
    if (active && /INPUT|TEXTAREA|SELECT/.test(active.tagName)) { return; }
    fetch(location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        parts.forEach(function (part) {
          var next = fresh.getElementById(part.id);
          if (next) { part.innerHTML = next.innerHTML; }
        });
      })
      .catch(function () { });
  }, 60000);
})();
