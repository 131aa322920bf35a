// A collection's live figures (templates/collection/detail.html): every 5 s, ask
// GET /api/studies/{code}/collections/{id}/progress for the complete and partial responses and
// each quota's count, and write them in the page. Without JavaScript the page shows the figures
// of when it was loaded.
(function () {
  "use strict";
  var DELAY = 5000;

  function write(element, text) {
    if (element && element.textContent !== text) element.textContent = text;
  }

  function follow(section) {
    var url = section.getAttribute("data-progress-url");

    function show(figures) {
      write(section.querySelector("[data-count=complete]"), String(figures.complete));
      write(section.querySelector("[data-count=partial]"), String(figures.partial));
      figures.quotas.forEach(function (row) {
        var line = section.querySelector('[data-quota="' + row.variable + "=" + row.level + '"]');
        if (!line) return;
        var percent = Math.min(100, Math.round(100 * row.filled));
        write(line.querySelector("[data-field=count]"), String(row.count));
        write(line.querySelector("[data-field=percent]"), String(percent));
        var meter = line.querySelector("[data-field=meter]");
        if (meter) meter.value = percent;
      });
      section.setAttribute("data-updated", String(Date.now()));
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (figures) {
          show(figures);
          if (figures.open) window.setTimeout(poll, DELAY);
        })
        .catch(function () { window.setTimeout(poll, DELAY * 2); });
    }

    poll();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.getElementById("live");
    if (section && section.getAttribute("data-progress-url")) follow(section);
  });
})();
