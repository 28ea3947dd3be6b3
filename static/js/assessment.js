// The questionnaire's only script: shows htmx's inline errors (400 answers carry a message
// with role=alert), retries a save the network dropped, and puts the focus on the page's
// first question once the page has loaded (the counter and progress bar that follow each
// save come from the server, swapped out of band). Without it, or without JavaScript, the
// "Save" and "Save and continue" buttons post the whole page.
(function () {
  "use strict";
  var RETRY_MS = 3000;

  // After each page, the first question, unless the page opened on an error to read first.
  if (!document.getElementById("form-error")) {
    var first = document.querySelector("#questionnaire fieldset.question input");
    if (first) {
      first.focus({ preventScroll: false });
    }
  }

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.body.addEventListener("htmx:sendError", function (event) {
    var fieldset = event.detail.elt;
    var status = fieldset.querySelector(".save-status");
    if (status) {
      status.textContent = status.dataset.retrying || "…";
    }
    window.setTimeout(function () {
      window.htmx.trigger(fieldset, "change");
    }, RETRY_MS);
  });
})();
