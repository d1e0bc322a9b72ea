// gongkai: small conveniences only; every page works without this file.
// A select marked data-autosubmit submits its form when changed (the organisation switcher).
document.addEventListener("change", function (e) {
  var t = e.target;
  if (t && t.matches && t.matches("select[data-autosubmit]") && t.form) {
    t.form.submit();
  }
});
// The annual report draft (form data-recheck): after the prose is edited, the 检查 button is
// pressed for the user once typing pauses for two seconds (the check runs on the server).
(function () {
  var timer = null;
  document.addEventListener("input", function (e) {
    var form = e.target && e.target.form;
    if (!form || !form.hasAttribute("data-recheck")) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var button = form.querySelector("#check-draft");
      if (button) button.click();
    }, 2000);
  });
})();
