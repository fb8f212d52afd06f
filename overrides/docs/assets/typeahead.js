// Search as you type in the header's box, on every page: the WAI-ARIA combobox pattern
// (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/) over Pagefind's JavaScript API.
// Without JavaScript the box is a plain form to /sok/. Pagefind's index is loaded when the box
// gets focus, and every key searches at once (no debounce; stale answers are dropped).
// Results are written as text (textContent): Pagefind's excerpt is read by an inert parser, and
// only its text and its <mark> elements are copied over, so no markup from the index can run.
(() => {
  const script = document.currentScript;
  const bundle = new URL("../pagefind/pagefind.js", script.src).href;
  const searchPage = new URL("../sok/", script.src);
  const MAX = 6;

  const init = () => {
    const input = document.getElementById("hb-header-q");
    const form = input && input.form;
    if (!form) return;
    const list = document.createElement("ul");
    list.id = "hb-header-results";
    list.className = "hb-typeahead";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Treff");
    list.hidden = true;
    const status = document.createElement("p");
    status.className = "hb-sr";
    status.setAttribute("role", "status");
    form.append(list, status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    let pagefind = null;
    let asked = 0; // the number of the newest search: older answers are dropped
    let active = -1;
    const load = () => {
      if (!pagefind) {
        pagefind = import(bundle).then(async (module) => {
          await module.init();
          return module;
        });
      }
      return pagefind;
    };

    const options = () => Array.from(list.querySelectorAll('[role="option"]'));
    const open = (yes) => {
      list.hidden = !yes;
      input.setAttribute("aria-expanded", String(yes));
      if (!yes) select(-1);
    };
    const select = (index) => {
      const all = options();
      active = index;
      all.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    };
    const go = (option) => {
      window.location.href = option.dataset.href;
    };

    // Pagefind's excerpt as DOM nodes: its text, and <mark> around the matched words. Words
    // marked ⁂ are the hidden index words (generator/site/search_terms.py): left out.
    const HIDDEN = /\s*⁂\S*/g;
    const excerpt = (html) => {
      const out = document.createElement("span");
      out.className = "hb-typeahead__excerpt";
      const parsed = new DOMParser().parseFromString(html, "text/html");
      for (const node of parsed.body.childNodes) {
        const text = node.textContent.replace(HIDDEN, "");
        if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
          if (!text) continue;
          const mark = document.createElement("mark");
          mark.textContent = text;
          out.append(mark);
        } else {
          out.append(document.createTextNode(text));
        }
      }
      return out;
    };

    const option = (id, href, parts) => {
      const item = document.createElement("li");
      item.id = id;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.href = href;
      item.append(...parts);
      // mousedown: before the input's blur closes the list
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        go(item);
      });
      return item;
    };
    const span = (className, text) => {
      const element = document.createElement("span");
      element.className = className;
      element.textContent = text;
      return element;
    };

    const show = (query, found) => {
      list.replaceChildren();
      found.forEach((data, i) => {
        const title = (data.meta && data.meta.title) || data.url;
        const sub = (data.sub_results || [])[0];
        const parts = [span("hb-typeahead__title", title)];
        if (sub && sub.title && sub.title !== title) {
          parts.push(span("hb-typeahead__section", sub.title));
        }
        parts.push(excerpt((sub && sub.excerpt) || data.excerpt || ""));
        list.append(option(`hb-header-result-${i}`, (sub && sub.url) || data.url, parts));
      });
      const all = new URL(searchPage);
      all.searchParams.set("q", query);
      const more = found.length ? "Vis alle treff" : "Ingen treff her – søk på søkesiden";
      list.append(option("hb-header-result-all", all.href, [span("hb-typeahead__all", more)]));
      status.textContent = found.length
        ? `${found.length} treff vises. Bruk pil ned for å velge.`
        : "Ingen treff.";
      active = -1;
      open(true);
    };

    const search = async () => {
      const query = input.value.trim();
      const mine = ++asked;
      if (!query) {
        open(false);
        list.replaceChildren();
        status.textContent = "";
        return;
      }
      const module = await load();
      const answer = await module.search(query);
      if (mine !== asked) return;
      const found = await Promise.all(answer.results.slice(0, MAX).map((r) => r.data()));
      if (mine !== asked) return;
      show(query, found);
    };

    input.addEventListener("focus", () => {
      load();
      if (input.value.trim() && list.childElementCount) open(true);
    });
    input.addEventListener("input", search);
    input.addEventListener("blur", () => open(false));
    input.addEventListener("keydown", (event) => {
      const all = options();
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!all.length) return;
        event.preventDefault();
        if (list.hidden) open(true);
        const step = event.key === "ArrowDown" ? 1 : -1;
        select(active < 0 && step < 0 ? all.length - 1 : (active + step + all.length) % all.length);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0 && all[active]) {
          event.preventDefault();
          go(all[active]);
        } // otherwise the form goes to /sok/?q=
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          open(false);
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          search();
        }
      }
    });
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
