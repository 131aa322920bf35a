// A job under way (templates/jobs/progress.html): every 1.5 s, ask GET /api/jobs/{id} how far it
// went, show its status, step and progress, and reload the page once it is done or failed (the
// page then shows the result, or why it failed). Without JavaScript, <noscript> refreshes the page.
(function () {
  "use strict";
  var DELAY = 1500;
  var FINISHED = { done: true, failed: true };

  function follow(section) {
    var url = section.getAttribute("data-job-api");
    var steps = JSON.parse(section.getAttribute("data-steps") || "{}");
    var statuses = JSON.parse(section.getAttribute("data-statuses") || "{}");
    var status = section.querySelector("[data-job-field=status]");
    var step = section.querySelector("[data-job-field=step]");
    var bar = section.querySelector("progress");
    section.setAttribute("data-following", "1");

    function write(element, text) {
      if (element && element.textContent !== text) element.textContent = text;
    }

    function show(job) {
      write(status, statuses[job.status] || job.status);
      var doing = "";
      if (job.step && !FINISHED[job.status]) {
        doing = " — " + (steps[job.step] || job.step) + (job.subject ? " (" + job.subject + ")" : "");
      }
      write(step, doing);
      if (bar) {
        bar.value = job.progress;
        write(bar, Math.round(job.progress * 100) + " %");
      }
      section.setAttribute("data-job-status", job.status);
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (job) {
          show(job);
          if (FINISHED[job.status]) {
            window.location.reload();
          } else {
            window.setTimeout(poll, DELAY);
          }
        })
        .catch(function () {
          window.setTimeout(poll, DELAY * 2); // the network or the server hiccuped: try later
        });
    }

    window.setTimeout(poll, DELAY);
  }

  var sections = document.querySelectorAll("section.job[data-job-api]");
  for (var index = 0; index < sections.length; index += 1) {
    var section = sections[index];
    var status = section.getAttribute("data-job-status");
    if (!section.hasAttribute("data-following") && !FINISHED[status]) follow(section);
  }
})();
