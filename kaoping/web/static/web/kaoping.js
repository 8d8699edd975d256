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
})();
