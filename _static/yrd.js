// Marks the boxes that scroll sideways (wide tables, formulas, outputs) with .yrd-scrolls, so that
// yrd.css can show a visible cue above them; re-checked after MathJax typesets and on resize.
(function () {
  const SELECTOR = ".pst-scrollable-table-container, div.math mjx-container, div.cell_output .output";
  function mark() {
    document.querySelectorAll(SELECTOR).forEach(function (el) {
      const wide = el.scrollWidth > el.clientWidth + 1;
      const target = el.matches("mjx-container") ? el.closest("div.math") : el;
      if (target) target.classList.toggle("yrd-scrolls", wide);
    });
  }
  window.addEventListener("load", function () {
    mark();
    const mj = window.MathJax && window.MathJax.startup && window.MathJax.startup.promise;
    if (mj) mj.then(mark);
  });
  window.addEventListener("resize", mark);
})();
