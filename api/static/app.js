// crosscheck's page: verify a claim, show the evidence grouped by source, open a timeline; or
// paste a post and see the stored claims it matches, with fact-checkers' ratings.
// Every piece of data is put on the page as text (textContent), never as markup.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("check");
  const claimInput = $("claim");
  const asOfInput = $("as-of");
  const button = $("check-button");
  const status = $("status");
  const results = $("results");
  const matches = $("matches");
  const timeline = $("timeline");
  const dates = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
  let lastStatement = null;
  let mode = "verify";
  // The markup holds the verification wording; the search wording is in data-search (text)
  // and data-search-label (aria-label).
  const worded = [...document.querySelectorAll("[data-search]")].map((node) => [node, node.textContent]);
  const labelled = [...document.querySelectorAll("[data-search-label]")].map((node) => [node, node.getAttribute("aria-label")]);

  function el(tag, options, children) {
    const node = document.createElement(tag);
    const settings = options || {};
    if (settings.text !== undefined) node.textContent = settings.text;
    if (settings.className) node.className = settings.className;
    for (const [name, value] of Object.entries(settings.attrs || {})) node.setAttribute(name, value);
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  // The status line is read out by screen readers; a success repeats what the page shows, so
  // it is then kept out of sight (but not out of hearing).
  function say(message, isError, shownElsewhere) {
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
    status.classList.toggle("visually-hidden", Boolean(shownElsewhere));
  }

  function safeUrl(url) {
    // Only web links: a stored URL must never become a script.
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (_error) {
      return null;
    }
  }

  function dateOf(iso) {
    return iso ? el("time", { text: dates.format(new Date(iso)), attrs: { datetime: iso } }) : el("span", { text: "undated" });
  }

  async function api(path, options, verb) {
    const response = await fetch(path, options);
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const error = body && body.error ? body.error : {};
      const failed = `Could not ${verb || "check"}`;
      if (response.status === 503) throw new Error("The service is still loading. Try again in a moment.");
      throw new Error(error.message ? `${failed}: ${error.message}` : `${failed} (HTTP ${response.status}).`);
    }
    return body;
  }

  function setMode(next) {
    mode = next;
    const searching = next === "search";
    $(`mode-${next}`).checked = true;
    for (const [node, text] of worded) node.textContent = searching ? node.dataset.search : text;
    for (const [node, label] of labelled) node.setAttribute("aria-label", searching ? node.dataset.searchLabel : label);
    for (const node of document.querySelectorAll("[data-mode]")) node.hidden = node.dataset.mode !== next;
    results.hidden = true;
    matches.hidden = true;
    timeline.hidden = true;
    say("");
  }

  function asOfParam() {
    return asOfInput.value ? `${asOfInput.value}T23:59:59Z` : null;
  }

  function statementItem(item, counts) {
    const claim = item.claim;
    const open = el("button", { text: claim.text, className: "statement", attrs: { type: "button", "aria-describedby": `meta-${claim.id}` } });
    open.addEventListener("click", () => showTimeline(claim.id, open));
    const meta = el("p", { className: "meta", attrs: { id: `meta-${claim.id}` } }, [dateOf(claim.stated_at)]);
    const link = claim.url ? safeUrl(claim.url) : null;
    if (link) meta.append(el("a", { text: "where it was said", attrs: { href: link, rel: "noopener noreferrer" } }));
    meta.append(el("span", { text: `confidence ${Math.round(item.confidence * 100)}%` }));
    const entry = el("li", { className: item.superseded_by ? "superseded" : "" }, [open, meta]);
    if (item.superseded_by) {
      entry.append(el("p", {}, [el("span", { text: "Superseded", className: "tag" }), document.createTextNode(" by a newer statement of the same source; it no longer counts.")]));
    } else if (counts && !item.counted) {
      entry.append(el("p", {}, [el("span", { text: "Not counted again", className: "tag" }), document.createTextNode(" its source counts once, by its most confident statement here.")]));
    }
    const reasons = el("ul", { className: "reasons", attrs: { "aria-label": "Reasons" } });
    for (const reason of item.reasons) reasons.append(el("li", { text: reason }));
    entry.append(reasons);
    return entry;
  }

  function renderSide(container, items, order, counts) {
    container.replaceChildren();
    if (!items.length) {
      container.append(el("p", { text: "No statement." }));
      return;
    }
    // One group per independent source: the summary's order first, then the rest.
    const groups = new Map(order.map((source) => [source.id, { source, items: [] }]));
    for (const item of items) {
      const source = item.claim.source;
      if (!groups.has(source.id)) groups.set(source.id, { source, items: [] });
      groups.get(source.id).items.push(item);
    }
    for (const { source, items: said } of groups.values()) {
      if (!said.length) continue;
      const list = el("ul", { className: "statements" }, said.map((item) => statementItem(item, counts)));
      container.append(el("article", { className: "source", attrs: { "aria-label": source.name } }, [el("h4", { text: source.name }), list]));
    }
  }

  function plural(count, one, many) {
    return `${count} ${count === 1 ? one : many}`;
  }

  function render(answer) {
    const summary = answer.summary;
    const verdict = $("verdict");
    verdict.textContent = answer.verdict;
    verdict.className = `verdict ${answer.verdict}`;
    const when = answer.as_of ? ` as of ${dates.format(new Date(answer.as_of))}` : "";
    const divided = summary.divided_sources.length
      ? ` ${plural(summary.divided_sources.length, "source says", "sources say")} both (${summary.divided_sources.map((s) => s.name).join(", ")}), counted on neither side.`
      : "";
    const text = `${plural(summary.corroborating_origins, "independent source corroborates", "independent sources corroborate")}, ${plural(summary.contradicting_origins, "contradicts", "contradict")}${when}.${divided}`;
    $("summary").textContent = text;
    const notices = $("notices");
    notices.replaceChildren(...answer.notices.map((notice) => el("li", { text: notice.message })));
    notices.hidden = !answer.notices.length;
    renderSide($("corroborating"), answer.corroborating, summary.corroborating_sources, true);
    renderSide($("contradicting"), answer.contradicting, summary.contradicting_sources, true);
    renderSide($("related"), answer.related, [], false);
    timeline.hidden = true;
    matches.hidden = true;
    results.hidden = false;
    const notes = answer.notices.map((notice) => ` ${notice.message}.`).join("");
    say(`Verdict: ${answer.verdict}. ${text}${notes}`, false, true);
  }

  // Newest first; undated reviews last.
  function byNewest(a, b) {
    if (!a.reviewed_at || !b.reviewed_at) return (b.reviewed_at ? 1 : 0) - (a.reviewed_at ? 1 : 0);
    return Date.parse(b.reviewed_at) - Date.parse(a.reviewed_at);
  }

  function reviewItem(review) {
    const link = safeUrl(review.url);
    const reviewer = link
      ? el("a", { text: review.reviewer, attrs: { href: link, rel: "noopener noreferrer" } })
      : el("span", { text: review.reviewer });
    const item = el("li", {}, ["Rated ", el("strong", { text: review.rating, className: "rating" }), " by ", reviewer]);
    if (review.reviewed_at) item.append(", ", dateOf(review.reviewed_at));
    return item;
  }

  function matchItem(item) {
    const claim = item.claim;
    const entry = el("li", { className: item.rating === null ? "match" : "match reviewed" });
    entry.append(el("p", { text: claim.text, className: "match-text" }));
    if (claim.title) entry.append(el("p", { text: claim.title, className: "match-title" }));
    const meta = el("p", { className: "meta" }, [el("span", { text: claim.source.name, className: "source-name" }), dateOf(claim.stated_at)]);
    const link = claim.url ? safeUrl(claim.url) : null;
    if (link) meta.append(el("a", { text: "where it was said", attrs: { href: link, rel: "noopener noreferrer" } }));
    meta.append(el("span", { text: `score ${item.score.toFixed(3)}` }));
    if (item.similarity !== null) meta.append(el("span", { text: `similarity ${item.similarity.toFixed(2)}` }));
    meta.append(el("a", { text: "weigh the evidence", attrs: { href: `?claim=${encodeURIComponent(claim.id)}` } }));
    entry.append(meta);
    if (item.rating !== null) {
      const reviews = [...claim.reviews].sort(byNewest).map(reviewItem);
      entry.append(
        el("div", { className: "review" }, [
          el("p", {}, [el("span", { text: "Fact-checked", className: "tag rated" })]),
          el("ul", { className: "reviews", attrs: { "aria-label": "Fact-checkers' ratings" } }, reviews),
        ]),
      );
    }
    return entry;
  }

  function renderMatches(answer) {
    const items = answer.items;
    const rated = items.filter((item) => item.rating !== null).length;
    const text = items.length
      ? `${plural(items.length, "stored claim matches", "stored claims match")}, best first; ${rated ? plural(rated, "is", "are") : "none is"} fact-checked.`
      : "No stored claim matches this text.";
    $("matches-summary").textContent = text;
    const query = $("matches-query");
    query.textContent = `Matched as: ${answer.query.normalized}`;
    query.hidden = !answer.query.normalized || answer.query.normalized === answer.query.text.trim();
    $("matches-list").replaceChildren(...items.map(matchItem));
    results.hidden = true;
    timeline.hidden = true;
    matches.hidden = false;
    say(text, false, true);
  }

  async function run(work, show, section) {
    button.disabled = true;
    section.setAttribute("aria-busy", "true");
    say(section === matches ? "Searching…" : "Checking…");
    try {
      show(await work());
    } catch (error) {
      say(error.message, true);
    } finally {
      button.disabled = false;
      section.removeAttribute("aria-busy");
    }
  }

  function searchText(text) {
    const body = JSON.stringify({ text });
    return api("/v1/search", { method: "POST", headers: { "content-type": "application/json" }, body }, "search");
  }

  function verifyText(text) {
    const body = { text };
    const asOf = asOfParam();
    if (asOf) body.as_of = asOf;
    return api("/v1/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  }

  async function verifyStored(claimId) {
    const claim = await api(`/v1/claims/${encodeURIComponent(claimId)}`);
    claimInput.value = claim.text;
    const asOf = asOfParam();
    const query = asOf ? `?as_of=${encodeURIComponent(asOf)}` : "";
    return api(`/v1/claims/${encodeURIComponent(claimId)}/evidence${query}`);
  }

  async function showTimeline(claimId, opener) {
    lastStatement = opener || null;
    say("Loading the timeline…");
    try {
      const answer = await api(`/v1/claims/${encodeURIComponent(claimId)}/timeline`);
      const list = $("timeline-list");
      list.replaceChildren();
      const byId = new Map(answer.statements.map((entry) => [entry.claim.id, entry]));
      for (const entry of answer.statements) {
        const item = el("li", { attrs: entry.claim.id === answer.claim.id ? { "aria-current": "true" } : {} });
        item.append(el("p", { className: "meta" }, [dateOf(entry.stated_at), el("span", { text: entry.current ? "current" : "superseded", className: entry.current ? "tag current" : "tag" })]));
        item.append(el("p", { text: entry.claim.text }));
        const newer = entry.superseded_by ? byId.get(entry.superseded_by) : null;
        if (newer) {
          item.append(el("p", { className: "meta" }, [document.createTextNode("Superseded by the statement of "), dateOf(newer.stated_at)]));
        }
        list.append(item);
      }
      const source = answer.claim.source.name;
      $("timeline-intro").textContent = `What ${source} said on this over time, oldest first (${plural(answer.statements.length, "statement", "statements")}).`;
      timeline.hidden = false;
      $("timeline-heading").focus();
      say(`Timeline of ${source}: ${plural(answer.statements.length, "statement", "statements")}.`, false, true);
    } catch (error) {
      say(error.message, true);
    }
  }

  $("timeline-close").addEventListener("click", () => {
    timeline.hidden = true;
    if (lastStatement && document.body.contains(lastStatement)) lastStatement.focus();
  });

  form.addEventListener("change", (event) => {
    if (event.target.name === "mode") setMode(event.target.value);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = claimInput.value.trim();
    if (!text) {
      say(mode === "search" ? "Paste a post to look up." : "Type a claim to check.", true);
      claimInput.focus();
      return;
    }
    if (mode === "search") {
      history.replaceState(null, "", `?${new URLSearchParams({ search: text })}`);
      run(() => searchText(text), renderMatches, matches);
      return;
    }
    const params = new URLSearchParams({ q: text });
    if (asOfInput.value) params.set("as_of", asOfInput.value);
    history.replaceState(null, "", `?${params}`);
    run(() => verifyText(text), render, results);
  });

  // Links into the page: ?claim=ID (a stored claim, as ClaimReview links it), ?q=TEXT, or
  // ?search=TEXT (the stored claims a post matches).
  const params = new URLSearchParams(location.search);
  // A browser may restore the mode chosen before a reload; a link says which it wants.
  const linked = params.get("search") ? "search" : params.get("claim") || params.get("q") ? "verify" : null;
  setMode(linked || ($("mode-search").checked ? "search" : "verify"));
  if (params.get("as_of")) asOfInput.value = params.get("as_of");
  if (params.get("claim")) {
    run(() => verifyStored(params.get("claim")), render, results);
  } else if (params.get("q")) {
    claimInput.value = params.get("q");
    run(() => verifyText(params.get("q")), render, results);
  } else if (params.get("search")) {
    claimInput.value = params.get("search");
    run(() => searchText(params.get("search")), renderMatches, matches);
  }
})();
