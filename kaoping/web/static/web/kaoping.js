/* Kaoping: small progressive enhancements. Every form also works without JavaScript. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // The installable web app: the worker caches the shell and shows an offline page.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () {});
    });
  }
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
  // The side menu is cached per role, so the current page is marked here: the link whose
  // path is the longest prefix of this page's path.
  document.addEventListener("DOMContentLoaded", function () {
    var best = null, bestLength = 0, here = window.location.pathname;
    document.querySelectorAll(".kp-side nav.main a.nav-link").forEach(function (link) {
      var path = new URL(link.href, window.location.href).pathname;
      if (here.indexOf(path) === 0 && path.length > bestLength && !link.hash) {
        best = link;
        bestLength = path.length;
      }
    });
    if (best) {
      best.setAttribute("aria-current", "page");
    }
    document.querySelectorAll(".kp-tabbar a").forEach(function (link) {
      var url = new URL(link.href, window.location.href);
      if (url.pathname === here && !url.hash) {
        link.setAttribute("aria-current", "page");
      }
    });
  });
})();

/* forms: searchable pickers (kit.forms.Picker, select[data-picker]) with Tom Select; without
   JavaScript, or before it loads, they stay the plain selects the server rendered. */
(function () {
  "use strict";
  function pickers(root) {
    if (!window.TomSelect || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("select[data-picker]").forEach(function (select) {
      if (select.tomselect) {
        return;
      }
      var blank = select.querySelector("option[value='']");
      new window.TomSelect(select, {
        allowEmptyOption: !select.required && !select.multiple && blank !== null,
        placeholder: blank ? blank.textContent : "",
        maxOptions: null,
        plugins: select.multiple ? ["remove_button"] : [],
        render: {
          no_results: function () {
            return '<div class="no-results">' + (document.documentElement.lang === "en" ? "No match" : "没有匹配的选项") + "</div>";
          }
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    pickers(document);
  });
  // A form htmx swaps in (shown again with its errors) gets its pickers too.
  document.addEventListener("htmx:load", function (event) {
    pickers(event.target);
  });
})();
