// Crossing in the browser: the same forms and links as without JavaScript, sent in the background so
// the page never reloads. The server answers every form with a redirect to the page to show; this
// script fetches that page and swaps in its <main>. No other script, no outside assets.
"use strict";
(function () {
  var busy = false;
  var pollTimer = null;

  function swap(html, url, push) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("main");
    var main = document.getElementById("main");
    if (!fresh || !main) { window.location.assign(url); return; }
    var same = fresh.innerHTML === main.innerHTML;
    if (!same) {
      main.replaceWith(document.importNode(fresh, true));
      document.title = doc.title;
      var header = doc.querySelector("header");
      var mine = document.querySelector("header");
      if (header && mine) { mine.replaceWith(document.importNode(header, true)); }
    }
    if (push) { history.pushState({}, "", url); }
    if (!same) {
      var heading = document.querySelector("#main h1");
      if (heading) { heading.focus({ preventScroll: true }); }
      window.scrollTo(0, 0);
    }
    schedulePoll();
  }

  var polling = null;

  function load(url, options, push, poll) {
    if (busy) { return; }
    if (poll) {
      polling = new AbortController();
      options = Object.assign({ signal: polling.signal }, options || {});
    } else {
      if (polling) { polling.abort(); polling = null; }
      busy = true;
      document.body.setAttribute("aria-busy", "true");
    }
    fetch(url, Object.assign({ credentials: "same-origin", redirect: "follow" }, options || {}))
      .then(function (response) {
        return response.text().then(function (text) {
          // a form answered without a redirect is a refusal (a 4xx page): show it, stay at this address
          var posted = options && options.method === "POST";
          var landed = posted && !response.redirected ? window.location.href : (response.url || url);
          swap(text, landed, landed !== window.location.href && (push || posted));
        });
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") { return; }
        if (poll) { schedulePoll(); return; }
        if (options && options.method === "POST") { lost(); return; }
        window.location.assign(url);
      })
      .finally(function () {
        if (!poll) { busy = false; document.body.removeAttribute("aria-busy"); }
      });
  }

  function lost() {
    // the network is gone (the run is safe on the teacher's computer): say so, keep the page as it is
    var main = document.getElementById("main");
    var note = document.getElementById("lost") || document.createElement("p");
    note.id = "lost";
    note.className = "problem";
    note.setAttribute("role", "alert");
    note.textContent = "The connection to your teacher's computer was lost. Nothing is lost: try again in a moment.";
    if (main && !note.parentNode) { main.insertBefore(note, main.firstChild); }
  }

  function schedulePoll() {
    if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; }
    var main = document.getElementById("main");
    var seconds = main && parseInt(main.getAttribute("data-poll") || "0", 10);
    if (seconds > 0) {
      pollTimer = setTimeout(function () { load(window.location.href, {}, false, true); }, seconds * 1000);
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") { return; }
    event.preventDefault();
    var data = new FormData(form, event.submitter || undefined);
    load(form.action, {
      method: "POST",
      body: new URLSearchParams(data),
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    }, true);
  });

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link || link.hasAttribute("data-download") || link.target || event.ctrlKey || event.metaKey ||
        event.shiftKey || event.altKey || event.button !== 0) { return; }
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || url.hash) { return; }
    event.preventDefault();
    load(url.href, {}, true);
  });

  window.addEventListener("popstate", function () { load(window.location.href, {}, false); });
  document.addEventListener("DOMContentLoaded", schedulePoll);
})();
