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
