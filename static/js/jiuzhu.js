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
});
