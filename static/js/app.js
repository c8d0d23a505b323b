// tuanjian: the little script the pages need. No inline script anywhere (the CSP forbids it).
"use strict";

// Ask before irreversible actions: data-confirm="确定……吗？" on the form, or on the one
// submit button of a form that can also do something harmless (the button's question
// wins, since it names what that button does).
function confirmation(form, button) {
  var asked = button && button.getAttribute && button.getAttribute("data-confirm");
  return asked || (form.getAttribute && form.getAttribute("data-confirm"));
}

document.addEventListener("submit", function (event) {
  var question = confirmation(event.target, event.submitter);
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// The menu starts open on wide screens, folded on phones.
document.addEventListener("DOMContentLoaded", function () {
  var menu = document.querySelector("details.menu");
  if (menu && window.matchMedia("(min-width: 720px)").matches) {
    menu.open = true;
  }
});

// Print buttons: <button data-print>.
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target && target.closest && target.closest("[data-print]")) {
    window.print();
  }
});

// Upload progress: htmx reports the bytes sent.
document.addEventListener("htmx:xhr:progress", function (event) {
  var bar = document.getElementById("upload-bar");
  if (bar && event.detail && event.detail.lengthComputable) {
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  }
});
