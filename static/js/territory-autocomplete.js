// Territory autocomplete (territoires/widgets.py): ARIA 1.2 combobox with a listbox.
// htmx fetches the suggestions (hx-get on the text input) into the listbox; this script
// sends the typed text as « q », opens and closes the listbox, moves the active option
// with the arrow keys, chooses with Entrée or a click, closes with Échap, and keeps the
// hidden input (the chosen id) in step. Without it the text field still works: the
// server resolves the typed name or code.
(function () {
  "use strict";

  function parts(element) {
    var root = element.closest("[data-territory-autocomplete]");
    if (!root) {
      return null;
    }
    return {
      root: root,
      input: root.querySelector("[role='combobox']"),
      hidden: root.querySelector("[data-territory-id]"),
      listbox: root.querySelector("[role='listbox']"),
      status: root.querySelector("[data-territory-status]"),
    };
  }

  function options(widget) {
    return Array.prototype.slice.call(widget.listbox.querySelectorAll("[role='option']"));
  }

  function setActive(widget, option) {
    options(widget).forEach(function (other) {
      var active = other === option;
      other.setAttribute("aria-selected", active ? "true" : "false");
      other.classList.toggle("active", active);
    });
    widget.input.setAttribute("aria-activedescendant", option ? option.id : "");
    if (option) {
      option.scrollIntoView({ block: "nearest" });
    }
  }

  function open(widget, isOpen) {
    widget.listbox.hidden = !isOpen;
    widget.input.setAttribute("aria-expanded", isOpen ? "true" : "false");
    if (!isOpen) {
      setActive(widget, null);
    }
  }

  function choose(widget, option) {
    widget.input.value = option.dataset.label;
    widget.hidden.value = option.dataset.value;
    open(widget, false);
    widget.status.textContent = option.dataset.label;
  }

  function announce(widget, count) {
    var data = widget.root.dataset;
    var text = count === 0 ? data.none : count === 1 ? data.one : data.many;
    widget.status.textContent = text.replace("%(count)s", String(count));
  }

  // htmx sends the input under its own name; the search endpoint reads « q ».
  document.addEventListener("htmx:configRequest", function (event) {
    var widget = parts(event.detail.elt);
    if (widget && event.detail.elt === widget.input) {
      if (widget.hidden.value) {
        // Just chosen (the text is the choice's label): nothing to look up.
        event.preventDefault();
        return;
      }
      event.detail.parameters.q = widget.input.value;
      delete event.detail.parameters[widget.input.name];
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var widget = parts(event.detail.target);
    if (!widget || event.detail.target !== widget.listbox) {
      return;
    }
    var count = options(widget).length;
    var typed = widget.input.value.trim().length > 0;
    open(widget, count > 0 && document.activeElement === widget.input);
    if (typed) {
      announce(widget, count);
    }
  });

  document.addEventListener("input", function (event) {
    var widget = parts(event.target);
    if (widget && event.target === widget.input) {
      // The text changed: the earlier choice no longer holds.
      widget.hidden.value = "";
      if (!widget.input.value.trim()) {
        widget.listbox.replaceChildren();
        open(widget, false);
      }
    }
  });

  document.addEventListener("keydown", function (event) {
    var widget = parts(event.target);
    if (!widget || event.target !== widget.input) {
      return;
    }
    var list = options(widget);
    var current = list.indexOf(document.getElementById(widget.input.getAttribute("aria-activedescendant") || ""));
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!list.length) {
        return;
      }
      event.preventDefault();
      if (widget.listbox.hidden) {
        open(widget, true);
      }
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = current === -1 ? (step === 1 ? 0 : list.length - 1) : (current + step + list.length) % list.length;
      setActive(widget, list[next]);
    } else if (event.key === "Enter") {
      if (!widget.listbox.hidden && current !== -1) {
        event.preventDefault();
        choose(widget, list[current]);
      }
    } else if (event.key === "Escape") {
      if (!widget.listbox.hidden) {
        event.preventDefault();
        open(widget, false);
      }
    }
  });

  // mousedown, not click: the input keeps the focus.
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest("[data-territory-autocomplete] [role='option']");
    if (option) {
      event.preventDefault();
      choose(parts(option), option);
    }
  });

  document.addEventListener("focusout", function (event) {
    var widget = parts(event.target);
    if (widget && event.target === widget.input) {
      open(widget, false);
    }
  });
})();
