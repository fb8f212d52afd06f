// Pagefind search on /sok/: Norwegian stemming, query taken from ?q= (the header form).
document.addEventListener("DOMContentLoaded", () => {
  if (!document.getElementById("hb-search") || !window.PagefindUI) return;
  const ui = new PagefindUI({
    element: "#hb-search",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    autofocus: true,
  });
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
