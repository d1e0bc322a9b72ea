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
// An upload form (form data-upload-progress="<progress id>"): the files are sent in the
// background so that the bar shows how much has been sent; the answer's page (the redirect the
// form would follow) is then opened. Without this file the form posts as usual.
document.addEventListener("submit", function (e) {
  var form = e.target;
  if (!form.hasAttribute || !form.hasAttribute("data-upload-progress") || !window.FormData) return;
  var bar = document.getElementById(form.getAttribute("data-upload-progress"));
  if (!bar) return;
  e.preventDefault();
  var box = bar.parentNode;
  var percent = box.querySelector("[role=status]");
  box.hidden = false;
  var button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
  var xhr = new XMLHttpRequest();
  xhr.open("POST", form.action);
  xhr.upload.addEventListener("progress", function (p) {
    if (!p.lengthComputable) return;
    var n = Math.floor((p.loaded * 100) / p.total);
    bar.value = n;
    if (percent) percent.textContent = n + "%";
  });
  xhr.addEventListener("load", function () {
    if (xhr.status < 400) {
      window.location.assign(xhr.responseURL || window.location.href);
    } else {
      // The server's page explains the refusal (e.g. a file too large): show it as the form would.
      document.open();
      document.write(xhr.responseText);
      document.close();
    }
  });
  xhr.addEventListener("error", function () {
    if (button) button.disabled = false;
    if (percent) percent.textContent = form.getAttribute("data-upload-failed") || "";
  });
  xhr.send(new FormData(form));
});
