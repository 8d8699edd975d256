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
  // A table's tools (web/_table_tools.html): a changed filter or page size submits the
  // form at once (requestSubmit, so htmx swaps only the table); the 查询 button is hidden
  // by kaoping.css under html.js, and the search box submits with Enter.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("form[data-table-tools] select[data-table-choice]")) {
      if (typeof target.form.requestSubmit === "function") {
        target.form.requestSubmit();
      } else {
        target.form.submit();
      }
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

/* chrome: toasts, confirm dialogs. */
(function () {
  "use strict";
  // Toasts (web/_toasts.html): each can be closed; a success hides itself after a while,
  // unless the pointer or the focus is on it. Without JavaScript they stay as plain text.
  var TOAST_MS = 8000;
  function closeToast(toast) {
    var region = toast.parentNode;
    toast.remove();
    if (region && !region.querySelector(".kp-toast")) {
      region.remove();
    }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-toast-close]");
    if (button) {
      closeToast(button.closest(".kp-toast"));
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".kp-toast[data-autohide]").forEach(function (toast) {
      var held = false;
      ["mouseenter", "focusin"].forEach(function (name) {
        toast.addEventListener(name, function () { held = true; });
      });
      ["mouseleave", "focusout"].forEach(function (name) {
        toast.addEventListener(name, function () { held = false; });
      });
      function later() {
        window.setTimeout(function () {
          if (held) {
            later();
          } else if (toast.isConnected) {
            closeToast(toast);
          }
        }, TOAST_MS);
      }
      later();
    });
  });

  // Confirm dialogs: a form marked data-confirm is posted only after the <dialog> in the
  // base layout is confirmed, then with confirm=1. data-confirm="text" shows that text;
  // data-confirm="" (only on a form whose view has a confirmation step, web/confirm.html)
  // posts the form without confirm, which changes nothing, and shows the consequences
  // that page lists (or its refusal, with no way to confirm). Without JavaScript the form
  // goes to that confirmation page (or shows its consequences itself). A submit button
  // marked data-confirm asks only for itself (a form that saves or closes: the close).
  function confirmInput(form) {
    if (!form.querySelector("input[name=confirm]")) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "confirm";
      input.value = "1";
      form.appendChild(input);
    }
  }
  function fill(dialog, nodes, refusal) {
    var box = dialog.querySelector(".kp-confirm-text");
    box.replaceChildren.apply(box, nodes);
    dialog.querySelector("[data-confirm-ok]").hidden = refusal;
  }
  function textNodes(text) {
    return text.split("\n").filter(Boolean).map(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      return p;
    });
  }
  function ask(form, submitter) {
    var dialog = document.getElementById("kp-confirm");
    var template = document.getElementById("kp-confirm-template");
    if (!dialog && template) {
      dialog = template.content.firstElementChild.cloneNode(true);
      dialog.dataset.title = dialog.querySelector("h2").textContent;
      document.body.appendChild(dialog);
    }
    if (!dialog || typeof dialog.showModal !== "function") {
      return false;
    }
    var marked = submitter && submitter.hasAttribute("data-confirm") ? submitter : form;
    var text = marked.getAttribute("data-confirm");
    var title = form.getAttribute("data-confirm-title");
    dialog.querySelector("#kp-confirm-title").textContent =
      title || (submitter && submitter.textContent.trim()) || dialog.dataset.title || "";
    dialog.onclose = function () {
      if (dialog.returnValue === "ok") {
        confirmInput(form);
        form.dataset.confirmed = "1";
        form.requestSubmit(submitter || undefined);
      }
    };
    dialog.returnValue = "";
    if (text) {
      fill(dialog, textNodes(text), false);
      dialog.showModal();
      return true;
    }
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    data.delete("confirm");
    fill(dialog, textNodes("…"), true);
    dialog.showModal();
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var section = page.querySelector("section.confirm");
        if (!section) {
          throw new Error("no confirmation");
        }
        var nodes = [];
        Array.prototype.forEach.call(section.children, function (node) {
          if (node.tagName !== "H1" && node.tagName !== "FORM") {
            nodes.push(document.importNode(node, true));
          }
        });
        fill(dialog, nodes, Boolean(section.querySelector(".error")));
      })
      .catch(function () {
        // The consequences could not be fetched: the server's own confirmation page.
        dialog.onclose = null;
        dialog.close();
        form.dataset.confirmed = "1";
        form.requestSubmit(submitter || undefined);
      });
    return true;
  }
  // Capture phase: before htmx or any handler on the form sees the submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    if (!form.hasAttribute || !(form.hasAttribute("data-confirm") ||
        (submitter && submitter.hasAttribute("data-confirm")))) {
      return;
    }
    if (form.dataset.confirmed === "1") {
      delete form.dataset.confirmed;
      return;
    }
    if (ask(form, submitter)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
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
      // Tom Select points the label at its own input; the hidden select keeps its name.
      var label = select.id ? document.querySelector("label[for='" + select.id + "']") : null;
      if (label && !select.hasAttribute("aria-label")) {
        select.setAttribute("aria-label", label.textContent.replace(/[：*（必填）\s]+$/g, "").trim());
      }
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
