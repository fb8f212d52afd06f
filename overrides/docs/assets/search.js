// Pagefind search on /sok/: Norwegian stemming, query taken from ?q= (the header form).
document.addEventListener("DOMContentLoaded", () => {
  if (!document.getElementById("hb-search") || !window.PagefindUI) return;
  const ui = new PagefindUI({
    element: "#hb-search",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    autofocus: true,
    // Words marked ⁂ are hidden index words (generator/site/search_terms.py): not shown.
    processResult: (result) => {
      const clean = (html) => (html || "").replace(/\s*(<mark>)?⁂[^\s<]*(<\/mark>)?/g, "");
      result.excerpt = clean(result.excerpt);
      for (const sub of result.sub_results || []) sub.excerpt = clean(sub.excerpt);
      return result;
    },
  });
  // Pagefind labels its input only with a title; give it a real accessible name.
  const label = () => {
    const input = document.querySelector("#hb-search input.pagefind-ui__search-input");
    if (input) input.setAttribute("aria-label", "Søk i håndboka");
    return Boolean(input);
  };
  if (!label()) {
    new MutationObserver((_, observer) => label() && observer.disconnect()).observe(
      document.getElementById("hb-search"), { childList: true, subtree: true });
  }
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
