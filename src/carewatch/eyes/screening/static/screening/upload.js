// The visit page's photo boxes: drop a photo on an eye's box, see it before sending, and
// watch the upload's progress. The form works without this file (plain multipart POST);
// htmx sends it in the background and fires htmx:xhr:progress as the bytes go out.
// Listeners sit on the document, so they keep working after htmx swaps the page's content.
(function () {
  "use strict";
  var PREVIEWABLE = /^image\/(jpeg|png|webp|gif|heic|heif)$/;

  function words() {
    var node = document.querySelector("[data-upload-words]");
    return node ? node.dataset : {};
  }

  function showHints() {
    document.querySelectorAll("[data-drop-hint]").forEach(function (hint) { hint.hidden = false; });
  }

  function preview(box, file) {
    var figure = box.querySelector("[data-preview]");
    if (!figure) return;
    var img = figure.querySelector("img");
    var caption = figure.querySelector("figcaption");
    if (img.src) URL.revokeObjectURL(img.src);
    if (!file) { figure.hidden = true; img.removeAttribute("src"); return; }
    var size = (file.size / 1048576).toFixed(1) + " MB";
    if (PREVIEWABLE.test(file.type)) {
      img.src = URL.createObjectURL(file);
      img.hidden = false;
      caption.textContent = file.name + " · " + size;
    } else {  // DICOM and others: the browser cannot draw them
      img.removeAttribute("src");
      img.hidden = true;
      caption.textContent = file.name + " · " + size + " · " + (words().noPreview || "");
    }
    figure.hidden = false;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    var box = input.closest && input.closest("[data-drop-zone]");
    if (!box || input.type !== "file") return;
    // One photo per eye: choosing with one input clears the other.
    box.querySelectorAll("input[type=file]").forEach(function (other) {
      if (other !== input && input.files.length) other.value = "";
    });
    preview(box, input.files[0]);
  });

  document.addEventListener("dragover", function (event) {
    var box = event.target.closest && event.target.closest("[data-drop-zone]");
    if (!box) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    box.classList.add("dragging");
  });

  document.addEventListener("dragleave", function (event) {
    var box = event.target.closest && event.target.closest("[data-drop-zone]");
    if (box && !box.contains(event.relatedTarget)) box.classList.remove("dragging");
  });

  document.addEventListener("drop", function (event) {
    var box = event.target.closest && event.target.closest("[data-drop-zone]");
    if (!box) return;
    event.preventDefault();
    box.classList.remove("dragging");
    var files = event.dataTransfer.files;
    var input = box.querySelector("input[type=file]:not([capture])");
    if (!files.length || !input) return;
    var one = new DataTransfer();  // only the first file: each box is one eye
    one.items.add(files[0]);
    input.files = one.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });

  function progressOf(form) {
    return form && form.querySelector("[data-progress]");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var progress = progressOf(event.target.closest && event.target.closest("[data-upload]"));
    if (!progress) return;
    progress.hidden = false;
    progress.querySelector("progress").value = 0;
    progress.querySelector("span").textContent = words().sending || "";
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    var progress = progressOf(event.target.closest && event.target.closest("[data-upload]"));
    if (!progress || !event.detail.lengthComputable) return;
    var done = event.detail.loaded / event.detail.total;
    progress.querySelector("progress").value = Math.round(done * 100);
    if (done >= 1) progress.querySelector("span").textContent = words().checking || "";
  });

  document.addEventListener("htmx:afterSwap", showHints);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showHints);
  } else {
    showHints();
  }
})();
