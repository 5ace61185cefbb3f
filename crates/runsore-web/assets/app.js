// runsore: progressive enhancement only; every page works without this script.
(function () {
  "use strict";

  // Body map: a click, tap or Enter/Space on a shape toggles that spot (one side of one
  // region) in place instead of following the no-JS link; the region's box in the list follows.
  function spotBox(spot) {
    return document.getElementById("spot-" + spot.replace(":", "-"));
  }
  function syncRegion(region) {
    var box = document.getElementById("where-" + region);
    if (!box) return;
    var spots = document.querySelectorAll('input.spot[data-region="' + region + '"]');
    var anySpot = false;
    spots.forEach(function (s) { if (s.checked) anySpot = true; });
    document.querySelectorAll('[data-region="' + region + '"][data-spot]').forEach(function (el) {
      var s = spotBox(el.getAttribute("data-spot"));
      // A region ticked in the list, with no side tapped, marks both sides.
      var on = anySpot ? !!(s && s.checked) : box.checked;
      if (el.classList.contains("region")) el.classList.toggle("on", on);
      if (el.classList.contains("region-link")) el.setAttribute("aria-checked", on ? "true" : "false");
    });
  }
  document.querySelectorAll("a.region-link").forEach(function (link) {
    function toggle(ev) {
      ev.preventDefault();
      var region = link.getAttribute("data-region");
      var spot = spotBox(link.getAttribute("data-spot"));
      var box = document.getElementById("where-" + region);
      if (!spot || !box) return;
      spot.checked = !spot.checked;
      var anySpot = false;
      document.querySelectorAll('input.spot[data-region="' + region + '"]').forEach(function (s) {
        if (s.checked) anySpot = true;
      });
      box.checked = anySpot;
      syncRegion(region);
    }
    link.addEventListener("click", toggle);
    link.addEventListener("keydown", function (ev) {
      if (ev.key === " " || ev.key === "Spacebar") toggle(ev);
    });
  });
  document.querySelectorAll('input[name="where"]').forEach(function (box) {
    box.addEventListener("change", function () {
      // Unticking a region in the list forgets its sides too.
      if (!box.checked) {
        document.querySelectorAll('input.spot[data-region="' + box.value + '"]').forEach(function (s) {
          s.checked = false;
        });
      }
      syncRegion(box.value);
    });
  });

  // Upload with progress: the same form, sent by XHR so the bar can move.
  var form = document.getElementById("upload-form");
  if (form && window.FormData && window.XMLHttpRequest) {
    form.addEventListener("submit", function (ev) {
      var input = document.getElementById("file");
      if (!input || !input.files || input.files.length === 0) return;
      ev.preventDefault();
      var bar = document.getElementById("upload-progress");
      var status = document.getElementById("upload-status");
      if (!status) {
        status = document.createElement("p");
        status.id = "upload-status";
        status.setAttribute("role", "status");
        form.appendChild(status);
      }
      bar.hidden = false;
      bar.value = 0;
      status.textContent = "Uploading…";
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      });
      xhr.addEventListener("load", function () {
        var data = null;
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
        if (xhr.status >= 200 && xhr.status < 300) {
          bar.value = 100;
          status.textContent = "Done. Reloading…";
          window.location.assign("/runs");
        } else {
          status.textContent = (data && data.error) ? data.error : "The upload failed (" + xhr.status + ").";
          status.className = "field-error";
        }
      });
      xhr.addEventListener("error", function () {
        status.textContent = "The upload failed: the connection was lost.";
        status.className = "field-error";
      });
      xhr.send(new FormData(form));
    });
  }
})();
