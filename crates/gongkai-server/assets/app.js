// gongkai: small conveniences only; every page works without this file.
// A select marked data-autosubmit submits its form when changed (the organisation switcher).
document.addEventListener("change", function (e) {
  var t = e.target;
  if (t && t.matches && t.matches("select[data-autosubmit]") && t.form) {
    t.form.submit();
  }
});
