/* Progress of a background job (core.jobs): every element with data-job-url is polled (JSON: status,
   progress, stage) until the job ends, then the page reloads to show the result. No inline script. */
(function () {
  document.querySelectorAll('[data-job-url]').forEach(function (el) {
    var bar = el.querySelector('[data-job-bar]'), text = el.querySelector('[data-job-text]');
    var timer = setInterval(function () {
      fetch(el.dataset.jobUrl, {credentials: 'same-origin'}).then(function (r) { return r.json(); }).then(function (d) {
        if (bar) { bar.style.width = d.progress + '%'; }
        if (text) { text.textContent = d.progress + '% · ' + (d.stage || '') + (d.detail ? ' · ' + d.detail : ''); }
        if (d.status !== 'queued' && d.status !== 'running') { clearInterval(timer); location.reload(); }
      });
    }, 1500);
  });
})();
