// runsore: progressive enhancement only; every page works without this script.
(function () {
  "use strict";

  // A page brought back by the back button from the browser's memory (the back/forward cache)
  // is read again, so a check-in step says when its check-in was saved meanwhile.
  window.addEventListener("pageshow", function (ev) {
    if (ev.persisted) window.location.reload();
  });

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
  // The summary of an upload survives the reload that shows the new runs: counts first, then
  // every skipped or failed file with its reason.
  function uploadSummary(data) {
    var o = (data && data.outcome) || {};
    var plural = function (n, one, many) { return n + " " + (n === 1 ? one : many); };
    var lines = [plural(o.imported || 0, "run", "runs") + " imported, " + (o.duplicates || 0) + " already stored."];
    (o.skipped || []).forEach(function (s) { lines.push("Skipped " + s.name + ": " + s.reason); });
    ((data && data.errors) || []).forEach(function (e) { lines.push("Not imported: " + e); });
    return lines;
  }
  function showSummary(lines, failed) {
    var box = document.getElementById("upload-summary");
    if (!box) {
      box = document.createElement("div");
      box.id = "upload-summary";
      box.setAttribute("role", "status");
      box.className = failed ? "upload-summary field-error" : "upload-summary";
      form.parentNode.insertBefore(box, form);
    }
    box.textContent = "";
    lines.forEach(function (l) {
      var p = document.createElement("p");
      p.textContent = l;
      box.appendChild(p);
    });
    box.scrollIntoView({ block: "nearest" });
  }
  if (form && window.sessionStorage) {
    var saved = sessionStorage.getItem("runsore-upload");
    if (saved) {
      sessionStorage.removeItem("runsore-upload");
      try { showSummary(JSON.parse(saved), false); } catch (e) { /* a stale entry: ignore */ }
    }
  }
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
          var lines = uploadSummary(data);
          status.textContent = lines[0];
          try { sessionStorage.setItem("runsore-upload", JSON.stringify(lines)); } catch (e) { /* private mode */ }
          window.location.assign("/runs");
        } else {
          status.textContent = (data && data.error) ? data.error : "The upload failed (" + xhr.status + ").";
          status.className = "field-error";
          if (data && (data.outcome || data.errors)) showSummary(uploadSummary(data), true);
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
