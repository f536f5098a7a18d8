// After a link to one post (#post-<id>, as every permalink and "jump to the first unread"
// lead), put the keyboard focus on that post: Tab goes on from there, and a screen reader
// starts reading it, not the top of the page.
(function () {
  "use strict";
  function focusTarget() {
    var id = window.location.hash.slice(1);
    if (!/^post-\d+$/.test(id)) return;
    var post = document.getElementById(id);
    if (!post) return;
    post.setAttribute("tabindex", "-1");
    post.focus({ preventScroll: true });
  }
  focusTarget();
  window.addEventListener("hashchange", focusTarget);
})();
