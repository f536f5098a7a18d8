// Live markdown preview for post forms: the server renders it, exactly as the post will look.
// Without JavaScript the form's Preview button does the same with a round trip.
(function () {
  "use strict";
  document.querySelectorAll("form[data-preview-url]").forEach(function (form) {
    var body = form.querySelector("textarea[name=body]");
    var region = form.querySelector("[data-preview]");
    var target = form.querySelector("[data-preview-body]");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!body || !region || !target || !csrf) return;
    var timer = null;
    var sent = null;
    function refresh() {
      var text = body.value;
      if (text === sent) return;
      sent = text;
      if (!text.trim()) { region.hidden = true; target.innerHTML = ""; return; }
      var data = new FormData();
      data.append("body", text);
      if (form.dataset.bodyFormat) data.append("body_format", form.dataset.bodyFormat);
      fetch(form.dataset.previewUrl, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": csrf.value },
        credentials: "same-origin",
      }).then(function (response) {
        if (!response.ok) throw new Error("preview failed");
        return response.text();
      }).then(function (html) {
        if (text !== body.value) return;  // a newer keystroke will bring its own preview
        target.innerHTML = html;  // sanitised by the server, as stored posts are
        region.hidden = false;
      }).catch(function () { sent = null; });
    }
    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
  });
})();
