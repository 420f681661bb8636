// Host side of the simulated Connect bridge: answers AP calls posted by the app's iframe.
(function () {
  "use strict";
  var ctx = JSON.parse(document.getElementById("host-context").textContent);
  var frame = document.getElementById("app-frame");
  var flags = document.getElementById("flags");

  var select = document.getElementById("as-user");
  ctx.users.forEach(function (u) {
    var opt = document.createElement("option");
    opt.value = u.accountId;
    opt.textContent = u.name;
    opt.selected = u.accountId === ctx.accountId;
    select.appendChild(opt);
  });
  select.addEventListener("change", function () {
    var url = new URL(window.location.href);
    url.searchParams.set("as", select.value);
    window.location.href = url.toString();
  });

  function showFlag(id, opts) {
    var el = document.createElement("div");
    el.className = "flag " + (opts.type || "info");
    el.dataset.flagId = id;
    var close = document.createElement("button");
    close.textContent = "×";
    close.setAttribute("aria-label", "Dismiss");
    close.onclick = function () { el.remove(); };
    var title = document.createElement("h4");
    title.textContent = opts.title || "";
    var body = document.createElement("div");
    body.textContent = opts.body || "";
    el.append(close, title, body);
    flags.appendChild(el);
    if (opts.close === "auto") { setTimeout(function () { el.remove(); }, 8000); }
  }

  var handlers = {
    "context.getToken": function () {
      return fetch("/__sim/context-token", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ accountId: ctx.accountId, appKey: ctx.appKey, site: ctx.site })
      }).then(function (r) {
        if (!r.ok) { throw new Error("context token: HTTP " + r.status); }
        return r.json();
      }).then(function (j) { return j.token; });
    },
    "context.getContext": function () {
      return { jira: {}, license: {}, url: { displayUrl: ctx.hostBase } };
    },
    "resize": function (width, height) {
      if (height) { frame.style.height = String(height).match(/^\d+$/) ? height + "px" : height; }
    },
    "sizeToParent": function () {
      frame.style.height = (window.innerHeight - frame.getBoundingClientRect().top - 8) + "px";
    },
    "navigator.go": function (target, context) {
      context = context || {};
      if (target === "addonmodule" && context.moduleKey) {
        var app = context.addonKey || ctx.appKey;
        window.location.href = "/jira/" + ctx.site + "/plugins/servlet/ac/" + encodeURIComponent(app) + "/" +
          encodeURIComponent(context.moduleKey) + "?as=" + encodeURIComponent(ctx.accountId);
      } else {
        showFlag("nav", { title: "Navigation", body: "AP.navigator.go('" + target + "') is not simulated", type: "info", close: "auto" });
      }
    },
    "navigator.reload": function () { window.location.reload(); },
    "history.getState": function () {
      var hash = window.location.hash;
      return hash.indexOf("#!") === 0 ? hash.slice(2) : "";
    },
    "history.pushState": function (state) { window.history.pushState(null, "", "#!" + state); },
    "history.replaceState": function (state) { window.history.replaceState(null, "", "#!" + state); },
    "flag.create": function (id, opts) { showFlag(id, opts || {}); },
    "flag.close": function (id) {
      var el = flags.querySelector('[data-flag-id="' + CSS.escape(String(id)) + '"]');
      if (el) { el.remove(); }
    }
  };

  window.addEventListener("message", function (event) {
    var msg = event.data;
    if (event.source !== frame.contentWindow || !msg || msg.__ap !== true) { return; }
    var reply = function (result, error) {
      frame.contentWindow.postMessage({ __apResponse: true, id: msg.id, result: result, error: error }, "*");
    };
    var handler = handlers[msg.method];
    if (!handler) { reply(undefined, "unsupported AP call " + msg.method); return; }
    Promise.resolve()
      .then(function () { return handler.apply(null, msg.args || []); })
      .then(function (result) { reply(result, undefined); }, function (err) { reply(undefined, String(err && err.message || err)); });
  });
})();
