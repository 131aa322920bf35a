// Upload forms of the workspace (form[data-upload]): drop a file on the form, see the upload's
// progress. Without JavaScript the form is a plain file upload; with it, the same request is
// sent by XHR so that its progress can be shown, then the page it answers is followed.
(function () {
  "use strict";

  function enhance(form) {
    var input = form.querySelector('input[type="file"]');
    var path = form.querySelector('input[name="path"]');
    var bar = form.querySelector("progress");
    var hint = form.querySelector(".drop");
    if (!input) {
      return;
    }
    if (hint) {
      hint.hidden = false;
    }
    function chosen(file) {
      if (path && !path.value && file) {
        path.value = file.name;
      }
    }
    input.addEventListener("change", function () {
      chosen(input.files[0]);
    });
    ["dragenter", "dragover"].forEach(function (name) {
      form.addEventListener(name, function (event) {
        event.preventDefault();
        form.classList.add("dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      form.addEventListener(name, function () {
        form.classList.remove("dragging");
      });
    });
    form.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        chosen(input.files[0]);
      }
    });
    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData) {
        return;
      }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.upload.addEventListener("progress", function (progress) {
        if (bar && progress.lengthComputable) {
          bar.hidden = false;
          bar.value = progress.loaded / progress.total;
        }
      });
      request.addEventListener("load", function () {
        if (request.status < 400 && request.responseURL) {
          window.location.assign(request.responseURL);
          return;
        }
        var page = new DOMParser().parseFromString(request.responseText, "text/html");
        document.title = page.title;
        document.body.replaceWith(page.body);
        var again = document.querySelector("form[data-upload]");
        if (again) {
          enhance(again);
        }
      });
      request.addEventListener("error", function () {
        form.submit();
      });
      var button = form.querySelector('button[type="submit"]');
      if (button) {
        button.disabled = true;
      }
      request.send(new FormData(form));
    });
  }

  document.querySelectorAll("form[data-upload]").forEach(enhance);
})();
