/* Drag the rows of a tabular inline to reorder them; the «порядок» inputs follow.
   Plain HTML5 drag and drop: no library, nothing from a CDN. */
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".sortable-questions tbody").forEach((body) => {
    let dragged = null;
    const renumber = () => {
      let n = 1;
      body.querySelectorAll("tr.form-row:not(.empty-form)").forEach((row) => {
        const input = row.querySelector("input[name$='-position']");
        if (input) { input.value = n++; }
      });
    };
    body.querySelectorAll("tr.form-row:not(.empty-form)").forEach((row) => {
      row.draggable = true;
      row.style.cursor = "move";
      row.title = "Перетащите строку, чтобы изменить порядок";
      row.addEventListener("dragstart", () => { dragged = row; row.style.opacity = "0.5"; });
      row.addEventListener("dragend", () => { row.style.opacity = ""; dragged = null; renumber(); });
      row.addEventListener("dragover", (event) => {
        event.preventDefault();
        if (!dragged || dragged === row) { return; }
        const box = row.getBoundingClientRect();
        const after = event.clientY > box.top + box.height / 2;
        body.insertBefore(dragged, after ? row.nextSibling : row);
      });
    });
  });
});
