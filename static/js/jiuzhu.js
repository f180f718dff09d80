// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = form.querySelector("button.danger, button.btn-danger");
  if (button && !window.confirm("确定要" + button.textContent.trim() + "吗？此操作会记入审计日志。")) {
    event.preventDefault();
  }
});

// Print buttons (public notice board): <button data-print>.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
  var all = event.target.closest("[data-check-all]");
  if (all) {  // <button data-check-all="counties">: tick every checkbox of that name
    var boxes = document.querySelectorAll("input[type=checkbox][name='" + all.dataset.checkAll + "']");
    var tick = Array.prototype.some.call(boxes, function (b) { return !b.checked; });
    boxes.forEach(function (b) { b.checked = tick; });
  }
});

// Content-Security-Policy forbids inline script (issue #15): what templates did inline lives here.
// <button data-confirm="…">: ask before submitting.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// <select data-autosubmit>: submit its form on change (a <noscript> button is the fallback).
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.submit();
  }
});

// The export job page (<div id="export-job" data-poll>): poll the status, show progress, reload when done.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("export-job");
  if (!el || !el.hasAttribute("data-poll")) {
    return;
  }
  var timer = setInterval(function () {
    fetch(el.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (d) {
      document.getElementById("job-bar").style.width = d.progress + "%";
      document.getElementById("job-rows").textContent = d.progress + "% · 已写入 " + d.rows + " 行";
      if (["succeeded", "failed", "interrupted", "cancelled"].indexOf(d.status) >= 0) {
        clearInterval(timer);
        location.reload();
      }
    });
  }, 1500);
});
