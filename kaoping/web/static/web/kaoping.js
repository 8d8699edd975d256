/* Kaoping: small progressive enhancements. Every form also works without JavaScript. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // Selects marked data-autosubmit (year picker, language) submit their form on change.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
  // Buttons marked data-print print the page (no inline handlers: the CSP forbids them).
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.closest && target.closest("button[data-print]")) {
      window.print();
    }
  });
})();
