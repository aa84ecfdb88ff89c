// Signature pads of the émargement pages: draw with a finger, a stylus or the mouse
// on a canvas; the points go to a hidden field as JSON integers in a 600 × 200 box
// (checked and drawn back as SVG by the server, presences/strokes.py). Without
// JavaScript the canvas stays hidden and the typed-name field signs. On the tablet
// page, « Signer » loads the pad into a modal <dialog> (htmx): Escape closes it, the
// page behind is inert, focus returns to the button.
(function () {
  "use strict";
  var WIDTH = 600;
  var HEIGHT = 200;

  function initPad(root) {
    if (root.dataset.ready) {
      return;
    }
    root.dataset.ready = "1";
    var area = root.querySelector("[data-signature-draw]");
    var canvas = root.querySelector("[data-signature-canvas]");
    var input = root.querySelector("[data-signature-input]");
    var clear = root.querySelector("[data-signature-clear]");
    if (!area || !canvas || !input || !canvas.getContext) {
      return;
    }
    area.hidden = false;
    canvas.style.touchAction = "none";
    var context = canvas.getContext("2d");
    context.lineWidth = 4;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#111";
    var strokes = [];
    var current = null;

    function point(event) {
      var box = canvas.getBoundingClientRect();
      var x = Math.round(((event.clientX - box.left) / box.width) * WIDTH);
      var y = Math.round(((event.clientY - box.top) / box.height) * HEIGHT);
      return [Math.max(0, Math.min(WIDTH, x)), Math.max(0, Math.min(HEIGHT, y))];
    }

    function save() {
      input.value = strokes.length ? JSON.stringify(strokes) : "";
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      var p = point(event);
      current = [p];
      strokes.push(current);
      context.beginPath();
      context.moveTo(p[0], p[1]);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!current || current.length > 1500) {
        return;
      }
      var p = point(event);
      var last = current[current.length - 1];
      if (p[0] === last[0] && p[1] === last[1]) {
        return;
      }
      current.push(p);
      context.lineTo(p[0], p[1]);
      context.stroke();
    });
    function end() {
      if (current) {
        current = null;
        save();
      }
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    clear.addEventListener("click", function () {
      strokes = [];
      context.clearRect(0, 0, WIDTH, HEIGHT);
      save();
    });
    var form = root.closest("form");
    if (form) {
      form.addEventListener("submit", save);
    }
  }

  function initAll(scope) {
    scope.querySelectorAll("[data-signature-pad]").forEach(initPad);
  }

  var opener = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    opener = event.detail.elt;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "signature-dialog-content") {
      return;
    }
    var dialog = document.getElementById("signature-dialog");
    initAll(target);
    if (!dialog.open) {
      dialog.showModal();
    }
    var first = target.querySelector("input[type=text], button");
    if (first) {
      first.focus();
    }
  });
  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-dialog-close]");
    if (close) {
      close.closest("dialog").close();
    }
  });
  document.addEventListener("close", function (event) {
    if (event.target.id === "signature-dialog") {
      document.getElementById("signature-dialog-content").innerHTML = "";
      if (opener) {
        opener.focus();
      }
    }
  }, true);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  } else {
    initAll(document);
  }
})();
