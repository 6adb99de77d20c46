/* Autosave for long forms (progressive enhancement; everything works without it).
 *
 * A form with data-autosave-url is posted there (same fields, same CSRF token) every few
 * seconds after a change. The endpoint answers JSON: {saved, version, progress, answered,
 * total, blocking, blockers, problems, message}: `problems` were not saved (malformed input);
 * `blockers` were saved but still stop the form being submitted, shown beside their fields. The result is announced in #autosave-status (a live region).
 * If the session has ended, the server redirects instead of answering: we stop and say so;
 * the next press of a save button keeps what was typed (see app/saved_input.py).
 */
(function () {
  "use strict";

  var INTERVAL = 5000;
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("autosave-status");
  var changed = false;
  var busy = false;
  var stopped = false;
  // A button pressed while a background save was on its way: pressed again once it is back,
  // so the page is sent with the version that save produced (not refused as out of date).
  var waiting = null;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function clock() {
    var now = new Date();
    var minutes = String(now.getMinutes());
    return now.getHours() + ":" + (minutes.length < 2 ? "0" + minutes : minutes);
  }

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  // What still blocks submitting each answer, beside its field: {field id: message}.
  function showBlockers(blockers) {
    each("[data-blocker]", function (note) {
      var message = blockers[note.id.replace(/-blocker$/, "")];
      note.hidden = !message;
      note.textContent = "";
      if (message) {
        var hidden = document.createElement("span");
        hidden.className = "govuk-visually-hidden";
        hidden.textContent = "Before you submit: ";
        note.appendChild(hidden);
        note.appendChild(document.createTextNode(message));
      }
    });
  }

  function showProgress(body) {
    var bar = document.querySelector("[data-progress-bar]");
    if (body.progress) {
      each("[data-progress-text]", function (text) {
        text.textContent = body.progress;
      });
    }
    if (typeof body.blocking === "string") {
      each("[data-blocking-text]", function (text) {
        text.textContent = body.blocking;
        text.hidden = !body.blocking;
      });
    }
    if (body.blockers && typeof body.blockers === "object") {
      showBlockers(body.blockers);
    }
    if (bar && typeof body.answered === "number") {
      bar.value = body.answered;
      bar.max = body.total;
      bar.textContent = Math.round((100 * body.answered) / (body.total || 1)) + "%";
    }
  }

  function markChanged() {
    changed = true;
  }

  function save() {
    if (!changed || busy || stopped) {
      return;
    }
    busy = true;
    changed = false;
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 0 ||
            response.status === 302 || response.status === 401) {
          stopped = true;
          say("Automatic saving has stopped because your session has ended. Press " +
              "'Save draft': if you are asked to sign in again, what you typed will be kept.");
          return null;
        }
        return response.json().then(function (body) {
          if (response.ok && body.saved) {
            var version = form.querySelector("input[name='version']");
            if (version && body.version !== null && body.version !== undefined) {
              version.value = body.version;
            }
            showProgress(body);
            var text = "Saved at " + clock() + ".";
            if (body.problems && body.problems.length) {
              text += " Not saved yet: " + body.problems.join("; ") + ".";
            }
            say(text);
          } else {
            stopped = true;
            say(body.message || "Automatic saving has stopped. Press 'Save draft' to save.");
          }
        });
      })
      .catch(function () {
        changed = true;
        say("Could not save automatically just now. What you typed is still on this page; " +
            "we will try again.");
      })
      .then(function () {
        busy = false;
        if (waiting) {
          var button = waiting;
          waiting = null;
          if (button.click) {
            button.click();
          } else {
            form.submit();
          }
        }
      });
  }

  form.addEventListener("input", markChanged);
  form.addEventListener("change", markChanged);
  form.addEventListener("submit", function (event) {
    if (busy) {
      event.preventDefault();
      waiting = event.submitter || form.querySelector("button[type='submit'], button:not([type])");
      return;
    }
    stopped = true;
  });
  window.setInterval(save, INTERVAL);
  // Leaving by a link (or closing the tab) before the next save: the change is sent on the
  // way out, so an answer chosen a moment before leaving is still there on coming back.
  window.addEventListener("pagehide", function () {
    if (!changed || stopped || !fetch) {
      return;
    }
    changed = false;
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      keepalive: true
    }).catch(function () {});
  });
})();
